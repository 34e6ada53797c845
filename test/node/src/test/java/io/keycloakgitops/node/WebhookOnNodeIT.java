package io.keycloakgitops.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import io.keycloakgitops.testsupport.ProcessResult;
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The webhook as the chart installs it: two pods behind its Service, called there by the API server over the TLS
 * of its own bootstrap, deciding what {@code kubectl apply} may store.
 */
class WebhookOnNodeIT {
  private static NodeCluster cluster;

  @BeforeAll
  static void up() {
    cluster = NodeCluster.shared();
  }

  @Test
  void runsAsTwoReadyPodsBehindItsService() {
    Deployment webhook = webhookDeployment();
    assertThat(webhook.getStatus().getReadyReplicas()).isEqualTo(2);
    List<Pod> pods = cluster.client().pods().inNamespace(webhook.getMetadata().getNamespace())
        .withLabels(webhook.getSpec().getSelector().getMatchLabels()).list().getItems();
    assertThat(pods).hasSize(2).allMatch(NodeCluster::podReady);
    var endpoints = cluster.client().discovery().v1().endpointSlices().inNamespace(webhook.getMetadata().getNamespace())
        .withLabel("kubernetes.io/service-name", webhook.getMetadata().getName()).list().getItems();
    assertThat(endpoints.stream().flatMap(slice -> slice.getEndpoints().stream())
        .filter(e -> e.getConditions() != null && Boolean.TRUE.equals(e.getConditions().getReady())).count())
        .isEqualTo(2);
  }

  @Test
  void theApiServerRejectsAPrivilegedCrWithTheWebhooksFieldPath() throws Exception {
    String privileged = Files.readString(cluster.root().resolve("examples/keycloak/rejected/privileged.yaml"));
    ProcessResult applied = cluster.kubectlWithInput(privileged, "apply", "-f", "-");
    assertThat(applied.ok()).as(applied.toString()).isFalse();
    assertThat(applied.stderr()).contains("The Keycloak \"insecure\" is invalid")
        .contains("spec.unsupported.podTemplate.spec.containers[0].securityContext.privileged");
    assertThat(cluster.client().resources(Keycloak.class).inNamespace("identity").withName("insecure").get()).isNull();
  }

  @Test
  void aValidCrIsStoredWithTheWebhooksDefaults() {
    String name = "defaulted-" + UUID.randomUUID().toString().substring(0, 6);
    String cr = """
        apiVersion: k8s.keycloak.org/v2beta1
        kind: Keycloak
        metadata:
          name: %s
          namespace: %s
        spec:
          instances: 0
          http:
            tlsSecret: %s-tls
        """.formatted(name, NodeCluster.NAMESPACE, name);
    ProcessResult applied = cluster.kubectlWithInput(cr, "apply", "-f", "-");
    try {
      assertThat(applied.ok()).as(applied.toString()).isTrue();
      Keycloak stored = cluster.client().resources(Keycloak.class).inNamespace(NodeCluster.NAMESPACE).withName(name).get();
      assertThat(stored.getSpec().ingress).as("spec.ingress defaulted by the mutating webhook").isNotNull();
      assertThat(stored.getSpec().ingress.enabled).isFalse();
    } finally {
      cluster.kubectl("-n", NodeCluster.NAMESPACE, "delete", "keycloak", name, "--ignore-not-found");
    }
  }

  private static Deployment webhookDeployment() {
    return cluster.client().apps().deployments().inNamespace(NodeCluster.RELEASE_NAMESPACE)
        .withLabel("app.kubernetes.io/component", "webhook").list().getItems().stream().findFirst()
        .orElseThrow(() -> new AssertionError("no webhook Deployment installed"));
  }
}
