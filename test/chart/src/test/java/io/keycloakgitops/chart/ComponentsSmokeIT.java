package io.keycloakgitops.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import io.keycloakgitops.testsupport.Fixtures;
import io.keycloakgitops.testsupport.FreePort;
import io.keycloakgitops.testsupport.Listeners;
import io.keycloakgitops.testsupport.ServiceProcess;
import io.keycloakgitops.testsupport.TestCluster;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RBAC sufficiency with the real services: each runs from its shaded jar with the args and env of the chart's
 * Deployment, authenticated as the chart's ServiceAccount (a TokenRequest token, no impersonation), against the
 * real API server where the chart is installed, and does its job without a 403.
 */
class ComponentsSmokeIT {
  private static TestCluster cluster;
  private static KubernetesClient admin;
  private static String namespace;
  private static String release;
  private static Manifests installed;

  @BeforeAll
  static void install() {
    cluster = ChartCluster.get();
    admin = cluster.client();
    namespace = ChartCluster.restrictedNamespace("kg-smoke");
    release = "smoke" + UUID.randomUUID().toString().substring(0, 6);
    ChartCluster.helm("install", release, Tools.chartDir().toString(), "--namespace", namespace,
        "--set", "webhook.failurePolicy=Ignore");
    installed = Manifests.parse(ChartCluster.helm("get", "manifest", release, "--namespace", namespace).stdout());
  }

  @AfterAll
  static void uninstall() {
    if (release != null) {
      ChartCluster.helm("uninstall", release, "--namespace", namespace);
    }
  }

  @Test
  void webhookKeepsItsCertificateSecretAndPublishesTheCa() throws Exception {
    String fullname = release + "-keycloak-gitops";
    int port = FreePort.pick();
    try (ServiceProcess webhook = startWebhook(port)) {
      assertThat(Listeners.nonLoopback(webhook.handle())).isEmpty();

      Secret secret = admin.secrets().inNamespace(namespace).withName(fullname + "-webhook-tls").get();
      assertThat(secret).as("the webhook created its certificate Secret").isNotNull();
      assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
      X509Certificate serving = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
          new ByteArrayInputStream(Base64.getDecoder().decode(secret.getData().get("tls.crt"))));
      assertThat(serving.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))).toList())
          .as("the certificate names the chart's Service").contains(fullname + "-webhook." + namespace + ".svc");
      String ca = publishedCaBundle();
      assertThat(new String(Base64.getDecoder().decode(ca), StandardCharsets.US_ASCII)).contains("BEGIN CERTIFICATE");
      assertThat(webhook.log()).as("no API call was refused").doesNotContainIgnoringCase("forbidden");
    }
  }

  /**
   * What docs/argocd.md says about diffs, against the real webhook: the chart's MutatingWebhookConfiguration
   * (pointed at the local process, limited to one namespace) defaults a Keycloak applied the way Argo CD applies
   * it; no field of the manifest is changed; and a server-side diff (what ServerSideDiff=true runs) shows nothing,
   * even where a client-side diff would (a declared podTemplate container list).
   */
  @Test
  void serverSideDiffShowsNoWebhookDefaults() throws Exception {
    int port = FreePort.pick();
    try (ServiceProcess webhook = startWebhook(port)) {
      String ca = publishedCaBundle();
      String label = UUID.randomUUID().toString().substring(0, 8);
      String apps = cluster.createNamespace("kg-argo", Map.of("kg-test", label));
      ObjectNode mutating = installed.get("MutatingWebhookConfiguration", release + "-keycloak-gitops").deepCopy();
      String configName = "argo-diff-" + label;
      ((ObjectNode) mutating.path("metadata")).put("name", configName);
      for (JsonNode entry : mutating.path("webhooks")) {
        ((ObjectNode) entry).putObject("clientConfig").put("url", "https://127.0.0.1:" + port + "/mutate").put("caBundle", ca);
        ((ObjectNode) entry.path("namespaceSelector")).putObject("matchLabels").put("kg-test", label);
      }
      ChartCluster.kubectl(cluster, "apply", "--server-side", "-f", write(Manifests.toYaml(List.of(mutating))));
      try {
        JsonNode plain = keycloakManifest(apps, "plain", null);
        JsonNode withContainers = keycloakManifest(apps, "declared-containers",
            "{\"spec\":{\"containers\":[{\"name\":\"keycloak\",\"env\":[{\"name\":\"A\",\"value\":\"b\"}]}]}}");
        for (JsonNode manifest : List.of(plain, withContainers)) {
          String file = write(Manifests.toYaml(List.of((ObjectNode) manifest)));
          ChartCluster.kubectl(cluster, "apply", "--server-side", "--field-manager=argocd-controller", "-f", file);
          JsonNode live = Manifests.YAML.valueToTree(admin.resources(Keycloak.class).inNamespace(apps)
              .withName(manifest.path("metadata").path("name").asText()).get());
          assertThat(live.path("spec").path("automountServiceAccountToken").isBoolean())
              .as("the mutating webhook defaulted the CR: " + live.path("spec")).isTrue();
          assertDeclaredFieldsKept(manifest.path("spec"), live.path("spec"), "spec");
          var diff = cluster.kubectl("diff", "--server-side", "--field-manager=argocd-controller", "-f", file);
          assertThat(diff.exitCode()).as("server-side diff is empty: " + diff).isZero();
        }
        JsonNode declared = withContainers.path("spec").path("unsupported").path("podTemplate").path("spec").path("containers");
        JsonNode live = Manifests.YAML.valueToTree(admin.resources(Keycloak.class).inNamespace(apps).withName("declared-containers").get())
            .path("spec").path("unsupported").path("podTemplate").path("spec").path("containers");
        assertThat(live).as("a client-side diff compares this list whole: it differs").isNotEqualTo(declared);
        assertThat(live.get(0).has("securityContext")).isTrue();
      } finally {
        admin.admissionRegistration().v1().mutatingWebhookConfigurations().withName(configName).delete();
      }
      assertThat(webhook.log()).doesNotContainIgnoringCase("forbidden");
    }
  }

  /** The webhook from its jar as the chart runs it (its own Secret, the chart's ServiceAccount), ready. */
  private static ServiceProcess startWebhook(int port) throws InterruptedException {
    ObjectNode deployment = installed.get("Deployment", release + "-keycloak-gitops-webhook");
    var webhook = ComponentProcess.start(cluster, ComponentProcess.jar("webhook"), deployment, namespace,
        Map.of("WEBHOOK_PORT", Integer.toString(port), "WEBHOOK_BIND", "127.0.0.1"));
    try {
      webhook.awaitOk("https://127.0.0.1:" + port + "/readyz", Duration.ofMinutes(2));
      return webhook;
    } catch (AssertionError | RuntimeException e) {
      webhook.close();
      throw e;
    }
  }

  /** The caBundle the webhook published to both of the release's configurations (the same in both). */
  private static String publishedCaBundle() {
    String name = release + "-keycloak-gitops";
    var admission = admin.admissionRegistration().v1();
    return await().atMost(Duration.ofMinutes(1)).until(() -> {
      String validating = admission.validatingWebhookConfigurations().withName(name).get().getWebhooks().get(0)
          .getClientConfig().getCaBundle();
      String mutating = admission.mutatingWebhookConfigurations().withName(name).get().getWebhooks().get(0)
          .getClientConfig().getCaBundle();
      return validating != null && validating.equals(mutating) ? validating : null;
    }, java.util.Objects::nonNull);
  }

  /** The upstream basic Keycloak as a manifest in Git would have it, optionally with a pod template. */
  private static JsonNode keycloakManifest(String namespace, String name, String podTemplateJson) throws Exception {
    ObjectNode manifest = (ObjectNode) Manifests.YAML.readTree(Fixtures.read("upstream/keycloak-basic.yaml"));
    manifest.put("apiVersion", "k8s.keycloak.org/v2beta1");
    ((ObjectNode) manifest.path("metadata")).put("name", name).put("namespace", namespace);
    if (podTemplateJson != null) {
      ((ObjectNode) manifest.path("spec")).putObject("unsupported").set("podTemplate", Manifests.YAML.readTree(podTemplateJson));
    }
    return manifest;
  }

  /** Every scalar the manifest declares has the same value live (lists only where they are not the webhook's). */
  private static void assertDeclaredFieldsKept(JsonNode declared, JsonNode live, String path) {
    if (declared.isObject()) {
      declared.properties().forEach(field ->
          assertDeclaredFieldsKept(field.getValue(), live.path(field.getKey()), path + "." + field.getKey()));
    } else if (declared.isArray()) {
      for (int i = 0; i < declared.size(); i++) {
        assertDeclaredFieldsKept(declared.get(i), live.path(i), path + "[" + i + "]");
      }
    } else {
      assertThat(live).as(path).isEqualTo(declared);
    }
  }

  private static String write(String yaml) throws java.io.IOException {
    var file = java.nio.file.Files.createTempFile("manifest", ".yaml");
    java.nio.file.Files.writeString(file, yaml);
    return file.toString();
  }

  @Test
  void reconcilerRunsAKeycloakWithTheChartsServiceAccount() throws Exception {
    String apps = cluster.createNamespace("kg-smoke-apps");
    Keycloak keycloak = Serialization.unmarshal(Fixtures.read("upstream/keycloak-basic.yaml"), Keycloak.class);
    keycloak.setApiVersion("k8s.keycloak.org/v2beta1");
    keycloak.getMetadata().setNamespace(apps);
    String name = keycloak.getMetadata().getName();
    // The Secrets the upstream example refers to, so that the reconciler gets through the whole workflow.
    admin.secrets().inNamespace(apps).resource(new SecretBuilder().withNewMetadata().withName("keycloak-db-secret")
        .endMetadata().addToStringData("username", "keycloak").addToStringData("password", "db-pw").build()).create();
    admin.secrets().inNamespace(apps).resource(new SecretBuilder().withNewMetadata().withName("example-tls-secret")
        .endMetadata().withType("kubernetes.io/tls").addToStringData("tls.crt", "crt").addToStringData("tls.key", "key")
        .build()).create();

    ObjectNode deployment = installed.get("Deployment", release + "-keycloak-gitops-reconciler");
    int healthPort = FreePort.pick();
    try (ServiceProcess reconciler = ComponentProcess.start(cluster, ComponentProcess.jar("reconciler"), deployment,
        namespace, Map.of("HEALTH_PORT", Integer.toString(healthPort)))) {
      // Ready means: CRD checked, lease acquired (leader election is on in the chart), informers synced.
      reconciler.awaitOk("http://127.0.0.1:" + healthPort + "/readyz", Duration.ofMinutes(3));
      assertThat(Listeners.nonLoopback(reconciler.handle())).isEmpty();
      assertThat(admin.leases().inNamespace(namespace).withName(release + "-keycloak-gitops-reconciler").get()
          .getSpec().getHolderIdentity()).isNotBlank();

      admin.resources(Keycloak.class).inNamespace(apps).resource(keycloak).create();
      await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
        Keycloak live = admin.resources(Keycloak.class).inNamespace(apps).withName(name).get();
        assertThat(live.getStatus()).as("status written").isNotNull();
        assertThat(live.getStatus().observedGeneration).isEqualTo(live.getMetadata().getGeneration());
        assertThat(admin.apps().deployments().inNamespace(apps).withName(name).get()).isNotNull();
        assertThat(admin.services().inNamespace(apps).withName(name + "-service").get()).isNotNull();
        assertThat(admin.secrets().inNamespace(apps).withName(name + "-initial-admin").get()).isNotNull();
      });
      // fabric8 reports a refused call as "... Message: Forbidden ..." (a 403 from RBAC).
      assertThat(reconciler.log()).as("no API call was refused").doesNotContainIgnoringCase("forbidden");
    }
  }
}
