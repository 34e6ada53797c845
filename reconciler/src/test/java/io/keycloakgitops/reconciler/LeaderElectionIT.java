package io.keycloakgitops.reconciler;

import static io.keycloakgitops.reconciler.ClusterFixtures.awaitPresent;
import static io.keycloakgitops.reconciler.ClusterFixtures.deployment;
import static io.keycloakgitops.reconciler.ClusterFixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import io.keycloakgitops.testsupport.TestCluster;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Two reconcilers on one Lease: only the leader acts; when it goes, the other takes over. */
class LeaderElectionIT {

  private static ReconcilerConfig config(String namespace, String identity) {
    return ReconcilerConfig.defaults().withNamespaces(Set.of(namespace)).withLeaderElection(
        new ReconcilerConfig.LeaderElection("kc-reconciler", namespace, identity, Duration.ofSeconds(4), false));
  }

  @Test
  void onlyTheLeaderReconciles() {
    var cluster = TestCluster.shared();
    cluster.installCrds();
    KubernetesClient client = cluster.client();
    String namespace = cluster.createNamespace("leader");

    try (var a = KeycloakOperator.start(client, config(namespace, "replica-a"));
        var b = KeycloakOperator.start(client, config(namespace, "replica-b"))) {
      eventually().until(() -> a.isLeader() || b.isLeader());
      boolean aLeads = a.isLeader();
      var leader = aLeads ? a : b;
      var follower = aLeads ? b : a;
      String leaderIdentity = aLeads ? "replica-a" : "replica-b";
      assertThat(follower.isLeader()).isFalse();
      assertThat(client.leases().inNamespace(namespace).withName("kc-reconciler").get().getSpec()
          .getHolderIdentity()).isEqualTo(leaderIdentity);

      client.resource(ClusterFixtures.keycloak("led-kc", namespace, "instances: 1")).create();
      awaitPresent(client, Deployment.class, namespace, "led-kc");
      eventually().until(() -> ClusterFixtures.get(client, namespace, "led-kc").getStatus() != null);
      assertThat(leader.reconciliations()).isPositive();
      assertThat(follower.reconciliations()).isZero();
      assertThat(follower.apiWrites()).isZero();

      leader.close();
      eventually().until(follower::isLeader);
      ClusterFixtures.editSpec(client, namespace, "led-kc", kc -> kc.getSpec().instances = 2);
      eventually().until(() -> deployment(client, namespace, "led-kc").getSpec().getReplicas() == 2);
      assertThat(follower.reconciliations()).isPositive();
    }
  }
}
