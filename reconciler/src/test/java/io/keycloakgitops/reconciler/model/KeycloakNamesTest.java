package io.keycloakgitops.reconciler.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.keycloakgitops.reconciler.TestKeycloaks;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeycloakNamesTest {
  private final io.keycloakgitops.schemas.v2beta1.Keycloak keycloak = TestKeycloaks.withSpec("instances: 1");

  @Test
  void namesFollowTheContract() {
    assertThat(KeycloakNames.deployment(keycloak)).isEqualTo("kc");
    assertThat(KeycloakNames.service(keycloak)).isEqualTo("kc-service");
    assertThat(KeycloakNames.discoveryService(keycloak)).isEqualTo("kc-discovery");
    assertThat(KeycloakNames.ingress(keycloak)).isEqualTo("kc-ingress");
    assertThat(KeycloakNames.networkPolicy(keycloak)).isEqualTo("kc-network-policy");
    assertThat(KeycloakNames.initialAdminSecret(keycloak)).isEqualTo("kc-initial-admin");
    assertThat(KeycloakNames.podDisruptionBudget(keycloak)).isEqualTo("kc");
  }

  @Test
  void selectorLabelsWinOverExtraLabels() {
    var labels = KeycloakNames.labels(keycloak, Map.of("app", "mine", "team", "identity"));
    assertThat(labels).containsEntry("app", "keycloak").containsEntry("team", "identity")
        .containsEntry("app.kubernetes.io/managed-by", "keycloak-gitops")
        .containsEntry("app.kubernetes.io/instance", "kc")
        .containsEntry("app.kubernetes.io/component", "server");
  }

  @Test
  void selectorStringIsSortedAndMatchesTheSelectorLabels() {
    assertThat(KeycloakNames.selectorString(keycloak)).isEqualTo("app=keycloak,app.kubernetes.io/component=server,"
        + "app.kubernetes.io/instance=kc,app.kubernetes.io/managed-by=keycloak-gitops");
  }
}
