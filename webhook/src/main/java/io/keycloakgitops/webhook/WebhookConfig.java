package io.keycloakgitops.webhook;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the webhook server needs, built once (from flags and env by {@code serve}, or in code by a test).
 *
 * <p>TLS, in order of precedence: {@code certSecret} (self-managed, shared by replicas through that Secret;
 * needs {@code client} and {@code namespace}); {@code certDir} holding tls.crt/tls.key that the webhook did not
 * generate (external, e.g. cert-manager; reloaded on change); {@code certDir} otherwise (self-managed in the
 * directory); neither (self-managed in memory). Self-managed certificates publish their CA bundle to the
 * configurations named {@code webhookConfigName} when a {@code client} is given.
 *
 * @param port 0 picks a free port
 * @param caSettle how long a new CA must have been published before the serving certificate switches to it
 */
public record WebhookConfig(String bindAddress, int port, Path certDir, String certSecret, String namespace,
    String serviceName, String webhookConfigName, Path policyFile, KubernetesClient client, Duration caLifetime,
    Duration certLifetime, Duration checkInterval, Duration caSettle) {

  public static final String DEFAULT_SERVICE = "keycloak-gitops-webhook";

  /** Loopback, a free port, in-memory certificates, no cluster: what a test or the e2e suite starts from. */
  public static WebhookConfig loopback() {
    return new WebhookConfig("127.0.0.1", 0, null, null, null, DEFAULT_SERVICE, WebhookConfigurations.DEFAULT_NAME,
        null, null, Duration.ofDays(365), Duration.ofDays(7), Duration.ofMinutes(1), Duration.ofSeconds(10));
  }

  public WebhookConfig withPort(int port) {
    return new WebhookConfig(bindAddress, port, certDir, certSecret, namespace, serviceName, webhookConfigName,
        policyFile, client, caLifetime, certLifetime, checkInterval, caSettle);
  }

  public WebhookConfig withBindAddress(String bindAddress) {
    return new WebhookConfig(bindAddress, port, certDir, certSecret, namespace, serviceName, webhookConfigName,
        policyFile, client, caLifetime, certLifetime, checkInterval, caSettle);
  }

  public WebhookConfig withCertDir(Path certDir) {
    return new WebhookConfig(bindAddress, port, certDir, certSecret, namespace, serviceName, webhookConfigName,
        policyFile, client, caLifetime, certLifetime, checkInterval, caSettle);
  }

  /** Self-managed certificates in Secret {@code namespace/certSecret}; the CA bundle goes to {@code webhookConfigName}. */
  public WebhookConfig withCluster(KubernetesClient client, String namespace, String certSecret,
      String webhookConfigName) {
    return new WebhookConfig(bindAddress, port, certDir, certSecret, namespace, serviceName, webhookConfigName,
        policyFile, client, caLifetime, certLifetime, checkInterval, caSettle);
  }

  public WebhookConfig withServiceName(String serviceName) {
    return new WebhookConfig(bindAddress, port, certDir, certSecret, namespace, serviceName, webhookConfigName,
        policyFile, client, caLifetime, certLifetime, checkInterval, caSettle);
  }

  public WebhookConfig withPolicyFile(Path policyFile) {
    return new WebhookConfig(bindAddress, port, certDir, certSecret, namespace, serviceName, webhookConfigName,
        policyFile, client, caLifetime, certLifetime, checkInterval, caSettle);
  }

  /** Certificate lifetimes and how often they (and external certificate files) are checked. */
  public WebhookConfig withRotation(Duration caLifetime, Duration certLifetime, Duration checkInterval,
      Duration caSettle) {
    return new WebhookConfig(bindAddress, port, certDir, certSecret, namespace, serviceName, webhookConfigName,
        policyFile, client, caLifetime, certLifetime, checkInterval, caSettle);
  }

  /** Fails fast on a configuration that cannot work. */
  public WebhookConfig validated() {
    require(bindAddress != null && !bindAddress.isBlank(), "--bind must not be empty");
    require(port >= 0 && port <= 65535, "--port must be between 0 and 65535, not " + port);
    require(certSecret == null || (client != null && namespace != null && !namespace.isBlank()),
        "--cert-secret needs the webhook's namespace (--namespace / POD_NAMESPACE) and cluster access");
    require(certLifetime.compareTo(caLifetime) <= 0, "the certificate lifetime must not exceed the CA lifetime");
    require(!checkInterval.isNegative() && !checkInterval.isZero(), "the check interval must be positive");
    // A renewal may wait for clients to trust a new CA; the old certificate must outlive that wait.
    require(certLifetime.dividedBy(3).compareTo(caSettle.plus(checkInterval.multipliedBy(2))) > 0,
        "the certificate lifetime must exceed 3 x (CA settle time " + caSettle + " + 2 x check interval "
            + checkInterval + ")");
    return this;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
