package io.keycloakgitops.schemas.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeycloakFactsTest {
  @ParameterizedTest(name = "ingress {0} -> {1}")
  @CsvSource({"absent, false", "'{}', true", "'{\"enabled\": true}', true", "'{\"enabled\": false}', false",
      "'{\"className\": \"nginx\"}', true"})
  void anIngressOnlyWhereTheSpecAsksForOne(String ingress, boolean enabled) {
    var spec = new KeycloakSpec();
    if (!ingress.equals("absent")) {
      spec.ingress = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(ingress, KeycloakSpec.IngressSpec.class);
    }
    assertThat(KeycloakFacts.ingressEnabled(spec)).isEqualTo(enabled);
  }

  @Test
  void theKeycloakContainerIsTheNamedOneElseAnUnnamedFirstOne() {
    assertThat(KeycloakFacts.keycloakContainerIndex(null)).isEqualTo(-1);
    assertThat(KeycloakFacts.keycloakContainerIndex(List.of())).isEqualTo(-1);
    assertThat(KeycloakFacts.keycloakContainerIndex(List.of(named("sidecar"), named("keycloak")))).isEqualTo(1);
    assertThat(KeycloakFacts.keycloakContainerIndex(List.of(named(null), named("sidecar")))).isZero();
    assertThat(KeycloakFacts.keycloakContainerIndex(List.of(named("sidecar")))).as("a sidecar stays one").isEqualTo(-1);
  }

  private static Container named(String name) {
    return new ContainerBuilder().withName(name).build();
  }
}
