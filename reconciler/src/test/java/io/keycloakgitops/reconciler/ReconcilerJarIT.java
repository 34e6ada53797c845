package io.keycloakgitops.reconciler;

import static io.keycloakgitops.reconciler.ClusterFixtures.awaitPresent;
import static io.keycloakgitops.reconciler.ClusterFixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.keycloakgitops.testsupport.Listeners;
import io.keycloakgitops.testsupport.TestCluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code java -jar reconciler.jar run}: the CLI wiring, leader election, health endpoints, metrics, JSON logs. */
class ReconcilerJarIT {

  @Test
  void theJarReconcilesAndServesHealthAndMetricsOnLoopback() throws Exception {
    var cluster = TestCluster.shared();
    cluster.installCrds();
    String namespace = cluster.createNamespace("jar");
    try (var reconciler = ReconcilerProcess.start(cluster.kubeconfigFile(), Map.of("LOG_FORMAT", "json"), List.of(),
        "--namespaces", namespace, "--leader-election", "--lease-namespace", namespace)) {
      eventually().until(() -> reconciler.status("/readyz") == 200 || !reconciler.isAlive());
      assertThat(reconciler.isAlive()).as(reconciler.log()).isTrue();
      assertThat(reconciler.status("/healthz")).isEqualTo(200);

      cluster.client().resource(ClusterFixtures.keycloak("jar-kc", namespace, "instances: 1")).create();
      awaitPresent(cluster.client(), Deployment.class, namespace, "jar-kc");
      eventually().until(() -> reconciler.metric("keycloak_gitops_reconciliations_total", "outcome=\"success\"") >= 1);
      assertThat(reconciler.metrics()).contains("keycloak_gitops_reconcile_duration_seconds_count",
          "keycloak_gitops_reconcile_errors_total", "keycloak_gitops_api_requests_total", "jvm_memory_used_bytes");
      assertThat(reconciler.metric("keycloak_gitops_leader")).isEqualTo(1.0);

      assertThat(Listeners.listeningCount(reconciler.handle())).isPositive();
      assertThat(Listeners.nonLoopback(reconciler.handle())).isEmpty();

      String firstLine = reconciler.log().lines().findFirst().orElseThrow();
      assertThat(new ObjectMapper().readTree(firstLine).has("level")).as(firstLine).isTrue();

      assertThat(reconciler.stop()).as("a clean exit on SIGTERM: " + reconciler.log())
          .isEqualTo(143);
    }
  }
}
