package io.keycloakgitops.reconciler;

import static io.keycloakgitops.reconciler.ClusterFixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.keycloakgitops.reconciler.model.monitoring.ServiceMonitor;
import io.keycloakgitops.schemas.keycloak.KeycloakSpec;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import io.keycloakgitops.testsupport.TestCluster;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Where the ServiceMonitor CRD exists, each Keycloak gets one, and loses it when it is switched off. */
class ServiceMonitorIT {

  @Test
  void serviceMonitorFollowsTheSpec() {
    var cluster = TestCluster.shared();
    cluster.installCrds();
    KubernetesClient client = cluster.client();
    ClusterFixtures.installServiceMonitorCrd(client);
    String namespace = cluster.createNamespace("monitor");
    var monitors = client.resources(ServiceMonitor.class).inNamespace(namespace);

    try (var operator = KeycloakOperator.start(client, ReconcilerConfig.defaults().withNamespaces(
        Set.of(namespace)))) {
      var keycloak = client.resource(ClusterFixtures.keycloak("mon-kc", namespace, "instances: 1")).create();
      ServiceMonitor monitor = eventually().until(() -> monitors.withName("mon-kc").get(),
          Objects::nonNull);
      assertThat(monitor.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(keycloak.getMetadata().getUid()));
      assertThat(monitor.getSpec().endpoints).singleElement().satisfies(endpoint -> {
        assertThat(endpoint.port).isEqualTo("management");
        assertThat(endpoint.path).isEqualTo("/metrics");
      });

      ClusterFixtures.editSpec(client, namespace, "mon-kc", kc -> {
        kc.getSpec().serviceMonitor = new KeycloakSpec.ServiceMonitorSpec();
        kc.getSpec().serviceMonitor.enabled = false;
      });
      eventually().until(() -> monitors.withName("mon-kc").get() == null);
    }
  }
}
