package io.keycloakgitops.webhook.rules;

import static io.keycloakgitops.webhook.Manifests.fixture;
import static io.keycloakgitops.webhook.Manifests.keycloak;
import static io.keycloakgitops.webhook.Manifests.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CrdSchemaTest {
  static CrdSchema schema;

  @BeforeAll
  static void load() {
    schema = CrdSchema.load();
  }

  @ParameterizedTest
  @ValueSource(strings = {"upstream/keycloak-basic.yaml", "upstream/keycloak-full.yaml",
      "upstream/realm-import-basic.yaml", "upstream/realm-import-full.yaml"})
  void upstreamManifestsAreValid(String name) {
    assertThat(schema.validate(fixture(name)).errors()).isEmpty();
  }

  static Stream<Arguments> invalidKeycloaks() {
    return Stream.of(
        Arguments.of("wrong type", "instances: three", List.of(
            "spec.instances: Invalid value: \"three\": string found, integer expected")),
        Arguments.of("below minimum", "instances: -1", List.of(
            "spec.instances: Invalid value: -1: must have a minimum value of 0")),
        Arguments.of("above maximum", "http:\n  httpsPort: 70000", List.of(
            "spec.http.httpsPort: Invalid value: 70000: must have a maximum value of 65535")),
        Arguments.of("pattern (an enum in upstream)", "proxy:\n  headers: x-forwarded", List.of(
            "spec.proxy.headers: Invalid value: \"x-forwarded\": does not match the regex pattern ^(forwarded|xforwarded)$")),
        Arguments.of("unknown field", "instance: 1", List.of(
            "spec.instance: Forbidden: unknown field (not in the Keycloak k8s.keycloak.org/v2beta1 schema)")),
        Arguments.of("unknown nested field", "db:\n  vendor: postgres\n  hots: pg", List.of(
            "spec.db.hots: Forbidden: unknown field (not in the Keycloak k8s.keycloak.org/v2beta1 schema)")),
        Arguments.of("object expected", "http: true", List.of(
            "spec.http: Invalid value: true: boolean found, object expected")),
        Arguments.of("int-or-string accepts a string", "unsupported:\n  podTemplate:\n    spec:\n      containers:\n"
            + "      - name: kc\n        livenessProbe:\n          httpGet:\n            port: management", List.of()),
        Arguments.of("int-or-string accepts an integer", "resources:\n  limits:\n    cpu: 2", List.of()),
        Arguments.of("int-or-string rejects a boolean", "resources:\n  limits:\n    cpu: true", List.of(
            "spec.resources.limits.cpu: Invalid value: true: boolean found, [integer, string] expected")),
        Arguments.of("several errors, sorted by path", "instances: x\nhttp:\n  httpPort: 0", List.of(
            "spec.http.httpPort: Invalid value: 0: must have a minimum value of 1",
            "spec.instances: Invalid value: \"x\": string found, integer expected")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidKeycloaks")
  void reportsFieldPathErrors(String name, String spec, List<String> expected) {
    var errors = schema.validate(keycloak(spec)).errors();
    assertThat(errors).map(FieldError::toString).containsExactlyElementsOf(expected);
    assertThat(errors).allSatisfy(e -> assertThat(e.rule()).isEqualTo(CrdSchema.RULE));
  }

  @Test
  void theRealmIsFreeFormButTheImportSpecIsNot() {
    ObjectNode realmImport = fixture("upstream/realm-import-basic.yaml");
    ((ObjectNode) realmImport.path("spec").path("realm")).put("anythingGoes", true);
    assertThat(schema.validate(realmImport).errors()).isEmpty();
    ((ObjectNode) realmImport.path("spec")).remove("keycloakCRName");
    ((ObjectNode) realmImport.path("spec")).put("keycloakCrName", "typo");
    assertThat(schema.validate(realmImport).errors()).map(FieldError::toString).containsExactly(
        "spec.keycloakCRName: Required value: required field",
        "spec.keycloakCrName: Forbidden: unknown field (not in the KeycloakRealmImport k8s.keycloak.org/v2alpha1 schema)");
  }

  @Test
  void anUnservedVersionIsUnsupported() {
    var object = yaml("apiVersion: k8s.keycloak.org/v1\nkind: Keycloak\nmetadata:\n  name: kc\n");
    assertThat(schema.validate(object).errors()).map(FieldError::toString)
        .containsExactly("apiVersion: Unsupported value: \"k8s.keycloak.org/v1\": not a served version of Keycloak");
  }

  @Test
  void convertsKubernetesExtensions() {
    var converted = CrdSchema.toJsonSchema(yaml("""
        type: object
        properties:
          spec:
            type: object
            properties:
              port:
                x-kubernetes-int-or-string: true
                anyOf: [{type: integer}, {type: string}]
              free:
                type: object
                x-kubernetes-preserve-unknown-fields: true
              optional:
                type: string
                nullable: true
                format: byte
        """));
    var spec = converted.path("properties").path("spec");
    assertThat(spec.path("additionalProperties").asBoolean(true)).isFalse();
    assertThat(spec.path("properties").path("port").toString()).isEqualTo("{\"type\":[\"integer\",\"string\"]}");
    assertThat(spec.path("properties").path("free").has("additionalProperties")).isFalse();
    assertThat(spec.path("properties").path("optional").toString()).isEqualTo("{\"type\":[\"string\",\"null\"]}");
    assertThat(converted.path("properties").has("metadata")).isTrue();
  }
}
