package io.keycloakgitops.reconciler;

import static io.keycloakgitops.reconciler.ClusterFixtures.awaitCondition;
import static io.keycloakgitops.reconciler.ClusterFixtures.awaitPresent;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keycloakgitops.schemas.common.Condition;
import io.keycloakgitops.schemas.keycloak.KeycloakStatus;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import io.keycloakgitops.testsupport.TestCluster;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A cluster-wide reconciler never touches kube-system or its own namespace (the webhook skips both, so a CR
 * there was never checked): no resources, no status. A tenant namespace next to them is reconciled as usual.
 */
class NamespaceExclusionIT {
  @Test
  void crsInKubeSystemAndTheReconcilersOwnNamespaceAreIgnored() {
    TestCluster cluster = TestCluster.shared();
    cluster.installCrds();
    KubernetesClient client = cluster.client();
    String own = cluster.createNamespace("reconciler-home");
    String tenant = cluster.createNamespace("tenant");
    String name = "excluded-" + own.substring(own.lastIndexOf('-') + 1);
    var inKubeSystem = client.resource(ClusterFixtures.keycloak(name, "kube-system", "instances: 1")).create();
    var inOwn = client.resource(ClusterFixtures.keycloak(name, own, "instances: 1")).create();

    // The default of `run` with POD_NAMESPACE=own, watching all namespaces.
    var config = ReconcilerConfig.defaults().withExcludedNamespaces(Set.of(ReconcilerConfig.KUBE_SYSTEM, own));
    try (var operator = KeycloakOperator.start(client, config)) {
      // Created after the excluded ones: once it is reconciled, the excluded ones had their chance.
      client.resource(ClusterFixtures.keycloak("control", tenant, "instances: 1")).create();
      awaitPresent(client, Deployment.class, tenant, "control");
      awaitCondition(client, tenant, "control", KeycloakStatus.HAS_ERRORS, c -> c.status.equals(Condition.FALSE));

      for (Keycloak created : new Keycloak[] {inKubeSystem, inOwn}) {
        String namespace = created.getMetadata().getNamespace();
        assertThat(client.apps().deployments().inNamespace(namespace).withName(name).get()).as(namespace).isNull();
        Keycloak now = ClusterFixtures.get(client, namespace, name);
        assertThat(now.getStatus()).as("no status written in %s", namespace).isNull();
        assertThat(now.getMetadata().getResourceVersion()).isEqualTo(created.getMetadata().getResourceVersion());
      }
    } finally {
      client.resource(inKubeSystem).delete();
    }
  }
}
