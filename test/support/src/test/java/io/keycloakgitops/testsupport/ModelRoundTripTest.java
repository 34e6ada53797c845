package io.keycloakgitops.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import io.keycloakgitops.schemas.v2beta1.KeycloakRealmImport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Java model carries every field of the upstream manifests: parse and serialise gives the same spec. */
class ModelRoundTripTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @ParameterizedTest
  @CsvSource({"keycloak-basic.yaml,Keycloak", "keycloak-full.yaml,Keycloak", "realm-import-basic.yaml,KeycloakRealmImport", "realm-import-full.yaml,KeycloakRealmImport"})
  void specSurvivesTheJavaModel(String fixture, String kind) throws Exception {
    String yaml = Fixtures.read("upstream/" + fixture);
    Class<?> type = kind.equals("Keycloak") ? Keycloak.class : KeycloakRealmImport.class;
    Object model = Serialization.unmarshal(yaml, type);
    JsonNode back = Serialization.jsonMapper().valueToTree(model);
    assertThat(back.get("spec")).isEqualTo(YAML.readTree(yaml).get("spec"));
  }
}
