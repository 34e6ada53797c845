package io.keycloakgitops.reconciler.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.keycloakgitops.reconciler.TestKeycloaks;
import org.junit.jupiter.api.Test;

class DesiredResourcesTest {

  @Test
  void everyOwnedResourceOfTheFullFixture() {
    var resources = DesiredResources.of(TestKeycloaks.model(TestKeycloaks.fixture("upstream/keycloak-full.yaml")),
        () -> "x");
    assertThat(resources).extracting(r -> r.getKind() + "/" + r.getMetadata().getName()).containsExactly(
        "Deployment/full-kc", "Service/full-kc-service", "Service/full-kc-discovery", "Ingress/full-kc-ingress",
        "NetworkPolicy/full-kc-network-policy", "PodDisruptionBudget/full-kc", "ServiceMonitor/full-kc");
    assertThat(resources).allSatisfy(r -> assertThat(r.getMetadata().getNamespace())
        .isEqualTo(TestKeycloaks.NAMESPACE));
  }

  @Test
  void optionalResourcesFollowTheirConditions() {
    var resources = DesiredResources.of(TestKeycloaks.model("""
        instances: 1
        ingress: {enabled: false}
        networkPolicy: {enabled: false}
        serviceMonitor: {enabled: false}
        """), () -> "x");
    assertThat(resources).extracting(HasMetadata::getKind)
        .containsExactly("Secret", "Deployment", "Service", "Service");
  }
}
