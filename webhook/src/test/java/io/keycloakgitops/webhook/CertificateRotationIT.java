package io.keycloakgitops.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keycloakgitops.testsupport.TestCluster;
import io.keycloakgitops.webhook.tls.CertBundle;
import io.keycloakgitops.webhook.tls.Certificates;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two replicas share self-managed certificates through a Secret and keep the caBundle of the registered webhook
 * configurations current, on the real API server. With lifetimes of seconds, the serving certificate is renewed
 * and the CA rotated while admission requests stream through both webhooks; not one request may fail. The settle
 * time (5 s) is how long the API server gets to load a new caBundle; a third of the serving certificate's life
 * (8 s) covers it, so a renewal that waits for the new CA never outlives the old certificate.
 */
class CertificateRotationIT {
  private static final String LABEL = "keycloak-gitops.io/rotation-it";

  @Test
  void rotationDuringAStreamOfRequestsLosesNone() throws Exception {
    var cluster = TestCluster.shared();
    cluster.installCrds();
    KubernetesClient client = cluster.client();
    String id = UUID.randomUUID().toString().substring(0, 8);
    String system = cluster.createNamespace("webhook-system");
    String namespace = cluster.createNamespace("rotation-it", Map.of(LABEL, id));
    String configName = "kgw-rotation-it-" + id;
    var config = WebhookConfig.loopback().withCluster(client, system, "webhook-certs", configName)
        .withRotation(Duration.ofSeconds(36), Duration.ofSeconds(24), Duration.ofMillis(500), Duration.ofSeconds(5));

    try (var first = WebhookServer.start(config); var second = WebhookServer.start(config)) {
      assertThat(second.servingCertificate()).as("the replicas share the Secret").isEqualTo(first.servingCertificate());
      X509Certificate firstCa = Certificates.parseCertificates(first.caBundlePem()).getFirst();
      // Validation on one replica, mutation on the other: every request crosses both.
      var configurations = new WebhookConfigurations(
          WebhookConfigurations.forUrl(configName, first.baseUrl(), first.caBundlePem(), system).validating(),
          WebhookConfigurations.forUrl(configName, second.baseUrl(), second.caBundlePem(), system).mutating())
          .onlyInNamespacesLabelled(Map.of(LABEL, id));
      configurations.apply(client);
      try {
        var keycloak = Json.YAML.readValue("apiVersion: k8s.keycloak.org/v2beta1\nkind: Keycloak\nmetadata:\n"
            + "  name: stream\nspec:\n  http:\n    tlsSecret: kc-tls\n  hostname:\n    hostname: sso.example.com\n",
            GenericKubernetesResource.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> mutatedByTheWebhook(client, keycloak, namespace));

        var running = new AtomicBoolean(true);
        var admitted = new AtomicInteger();
        var failures = new CopyOnWriteArrayList<String>();
        Set<BigInteger> leaves = ConcurrentHashMap.newKeySet();
        var maxTrusted = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(3);
        for (int i = 0; i < 3; i++) {
          workers.submit(() -> {
            while (running.get()) {
              try {
                if (mutatedByTheWebhook(client, keycloak, namespace)) {
                  admitted.incrementAndGet();
                } else {
                  failures.add("admitted without the mutating webhook");
                }
              } catch (RuntimeException e) {
                failures.add(e.getMessage());
              }
            }
          });
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
          for (var replica : List.of(first, second)) {
            leaves.add(replica.servingCertificate().getSerialNumber());
            maxTrusted.accumulateAndGet(Certificates.parseCertificates(replica.caBundlePem()).size(), Math::max);
          }
          return !signedBy(first.servingCertificate(), firstCa) && !signedBy(second.servingCertificate(), firstCa);
        });
        Thread.sleep(3000); // keep streaming on the certificate from the new CA
        running.set(false);
        workers.shutdown();
        assertThat(workers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(failures).as("requests that failed during the rotation").isEmpty();
        assertThat(admitted.get()).isGreaterThan(50);
        assertThat(leaves).as("serving certificates seen: the first, a renewal, and one from the new CA").hasSizeGreaterThanOrEqualTo(3);
        assertThat(maxTrusted.get()).as("old and new CA were trusted together").isEqualTo(2);
        Secret secret = client.secrets().inNamespace(system).withName("webhook-certs").get();
        assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(secret.getData()).containsKeys(CertBundle.TLS_CRT, CertBundle.TLS_KEY, CertBundle.CA_CRT,
            CertBundle.CA_KEY, CertBundle.CA_BUNDLE);
        String published = client.admissionRegistration().v1().validatingWebhookConfigurations().withName(configName)
            .get().getWebhooks().getFirst().getClientConfig().getCaBundle();
        assertThat(published).isEqualTo(secret.getData().get(CertBundle.CA_BUNDLE));
      } finally {
        configurations.delete(client);
      }
    }
  }

  /** A server dry-run create: passes both webhooks; the mutating one must have added its defaults. */
  private static boolean mutatedByTheWebhook(KubernetesClient client, GenericKubernetesResource keycloak,
      String namespace) {
    var created = client.resource(keycloak).inNamespace(namespace).dryRun().create();
    return created.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec && spec.containsKey("networkPolicy");
  }

  private static boolean signedBy(X509Certificate leaf, X509Certificate ca) {
    try {
      leaf.verify(ca.getPublicKey());
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
