package io.keycloakgitops.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import io.keycloakgitops.testsupport.Fixtures;
import io.keycloakgitops.testsupport.FreePort;
import io.keycloakgitops.testsupport.Listeners;
import io.keycloakgitops.testsupport.TestCluster;
import java.time.Duration;
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
    try (ComponentProcess reconciler = ComponentProcess.start(cluster, ComponentProcess.jar("reconciler"), deployment,
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
      assertThat(reconciler.log()).as("no API call was refused").doesNotContain("Forbidden").doesNotContain("403");
    }
  }
}
