package io.keycloakgitops.webhook.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.keycloakgitops.webhook.WebhookConfig;
import io.keycloakgitops.webhook.WebhookConfigurations;
import io.keycloakgitops.webhook.WebhookServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve POST /validate and /mutate (AdmissionReview v1), /healthz, /readyz and /metrics over HTTPS.")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "${env:WEBHOOK_PORT:-8443}", description = "HTTPS port (env WEBHOOK_PORT; default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bind", defaultValue = "${env:WEBHOOK_BIND:-127.0.0.1}",
      description = "Address to listen on (env WEBHOOK_BIND; default ${DEFAULT-VALUE}; in a pod: 0.0.0.0).")
  String bind;

  @Option(names = "--cert-dir", defaultValue = "${env:WEBHOOK_CERT_DIR}",
      description = "Directory with tls.crt/tls.key (e.g. from cert-manager; reloaded on change). Without them, "
          + "certificates are generated into it (env WEBHOOK_CERT_DIR).")
  Path certDir;

  @Option(names = "--cert-secret", defaultValue = "${env:WEBHOOK_CERT_SECRET}",
      description = "Keep self-managed certificates in this Secret of --namespace, shared by all replicas, and "
          + "publish the CA to the webhook configurations (env WEBHOOK_CERT_SECRET).")
  String certSecret;

  @Option(names = "--namespace", defaultValue = "${env:POD_NAMESPACE}",
      description = "The webhook's namespace, for the Secret and the certificate names (env POD_NAMESPACE).")
  String namespace;

  @Option(names = "--service", defaultValue = "${env:WEBHOOK_SERVICE:-" + WebhookConfig.DEFAULT_SERVICE + "}",
      description = "The webhook's Service name, for the certificate names (env WEBHOOK_SERVICE; default ${DEFAULT-VALUE}).")
  String service;

  @Option(names = "--webhook-config", defaultValue = "${env:WEBHOOK_CONFIG_NAME:-" + WebhookConfigurations.DEFAULT_NAME + "}",
      description = "Name of the Validating- and MutatingWebhookConfiguration whose caBundle is kept current "
          + "(env WEBHOOK_CONFIG_NAME; default ${DEFAULT-VALUE}).")
  String webhookConfig;

  @Option(names = "--policy", defaultValue = "${env:WEBHOOK_POLICY_FILE}",
      description = "Namespace relaxation policy (YAML), reloaded on change (env WEBHOOK_POLICY_FILE).")
  Path policy;

  @Option(names = "--ca-lifetime", defaultValue = "${env:WEBHOOK_CA_LIFETIME:-365d}", converter = Durations.class,
      description = "Lifetime of a generated CA; replaced when 1/3 remains (default ${DEFAULT-VALUE}).")
  Duration caLifetime;

  @Option(names = "--cert-lifetime", defaultValue = "${env:WEBHOOK_CERT_LIFETIME:-7d}", converter = Durations.class,
      description = "Lifetime of a generated serving certificate; renewed at 2/3 (default ${DEFAULT-VALUE}).")
  Duration certLifetime;

  @Option(names = "--cert-check-interval", defaultValue = "${env:WEBHOOK_CERT_CHECK_INTERVAL:-1m}",
      converter = Durations.class,
      description = "How often certificates, certificate files and the policy file are checked (default ${DEFAULT-VALUE}).")
  Duration checkInterval;

  @Option(names = "--shutdown-delay", defaultValue = "${env:WEBHOOK_SHUTDOWN_DELAY:-5s}", converter = Durations.class,
      description = "On SIGTERM, report not ready and keep serving this long before closing the port, so the "
          + "Service stops routing here first (default ${DEFAULT-VALUE}).")
  Duration shutdownDelay;

  @Override
  public Integer call() throws InterruptedException {
    KubernetesClient client = certSecret == null ? null : new KubernetesClientBuilder().build();
    var config = WebhookConfig.loopback().withBindAddress(bind).withPort(port).withCertDir(certDir)
        .withServiceName(service).withPolicyFile(policy)
        .withCluster(client, namespace, certSecret, webhookConfig)
        .withRotation(caLifetime, certLifetime, checkInterval, Duration.ofSeconds(10));
    var stopped = new CountDownLatch(1);
    WebhookServer server = WebhookServer.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.drainAndClose(shutdownDelay);
      if (client != null) {
        client.close();
      }
      stopped.countDown();
    }, "webhook-shutdown"));
    stopped.await();
    return 0;
  }
}
