package io.keycloakgitops.webhook.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.keycloakgitops.schemas.keycloak.KeycloakSpec;
import io.keycloakgitops.webhook.Json;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class UpdateRuleTest {
  private static final ObjectMeta PLAIN = new ObjectMeta();
  private static final ObjectMeta CONFIRMED =
      new ObjectMetaBuilder().addToAnnotations(UpdateRule.ALLOW_SCALE_TO_ZERO, "true").build();

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("no change", "db:\n  vendor: postgres", "db:\n  vendor: postgres", PLAIN, List.of(), List.of()),
        Arguments.of("vendor changed", "db:\n  vendor: postgres", "db:\n  vendor: mysql", PLAIN,
            List.of("spec.db.vendor: Forbidden: cannot change from \"postgres\" to \"mysql\""), List.of()),
        Arguments.of("vendor removed", "db:\n  vendor: postgres", "db: {}", PLAIN,
            List.of("spec.db.vendor: Forbidden: cannot change from \"postgres\" to \"dev-file\""), List.of()),
        Arguments.of("vendor set on a dev-file server", "{}", "db:\n  vendor: postgres", PLAIN,
            List.of("spec.db.vendor: Forbidden: cannot change from \"dev-file\" to \"postgres\""), List.of()),
        Arguments.of("scale to zero", "instances: 2", "instances: 0", PLAIN,
            List.of("spec.instances: Forbidden: scaling to 0 stops Keycloak"), List.of()),
        Arguments.of("scale to zero from the default", "{}", "instances: 0", PLAIN,
            List.of("spec.instances: Forbidden: scaling to 0"), List.of()),
        Arguments.of("scale to zero, confirmed", "instances: 2", "instances: 0", CONFIRMED, List.of(), List.of()),
        Arguments.of("stays at zero", "instances: 0", "instances: 0", PLAIN, List.of(), List.of()),
        Arguments.of("scale down to one", "instances: 3", "instances: 1", PLAIN, List.of(), List.of()),
        Arguments.of("image downgrade", "image: quay.io/keycloak/keycloak:26.5.6",
            "image: quay.io/keycloak/keycloak:26.4.0", PLAIN, List.of(),
            List.of("spec.image: downgrade from 26.5.6 to 26.4.0")),
        Arguments.of("image upgrade", "image: quay.io/keycloak/keycloak:26.4.0",
            "image: quay.io/keycloak/keycloak:26.5.6", PLAIN, List.of(), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void judgesTheUpdate(String name, String stored, String updated, ObjectMeta metadata, List<String> errors,
      List<String> warnings) throws Exception {
    var findings = UpdateRule.validate(metadata, Json.YAML.readValue(updated, KeycloakSpec.class),
        Json.YAML.readValue(stored, KeycloakSpec.class));
    assertThat(findings.errors()).hasSameSizeAs(errors);
    for (int i = 0; i < errors.size(); i++) {
      assertThat(findings.errors().get(i).toString()).startsWith(errors.get(i));
    }
    assertThat(findings.warnings()).hasSameSizeAs(warnings);
    for (int i = 0; i < warnings.size(); i++) {
      assertThat(findings.warnings().get(i)).startsWith(warnings.get(i));
    }
  }

  @ParameterizedTest
  @CsvSource({
      "kc:26.5.6, kc:26.5.5, true",
      "kc:26.5.6, kc:26.5.6, false",
      "kc:26.5, kc:26.5.0, false",
      "kc:26.10.0, kc:26.9.9, true",
      "kc:26.5.6, kc:27.0.0, false",
      "kc:26.5.6, other:1.0, false",
      "kc:nightly, kc:26.0.0, false",
      "kc@sha256:ab, kc:1.0, false",
      "registry:5000/kc:26.1, registry:5000/kc:25.0, true",
      "registry:5000/kc, registry:5000/kc:25.0, false"})
  void comparesImageTags(String before, String after, boolean downgrade) {
    assertThat(UpdateRule.isDowngrade(before, after)).isEqualTo(downgrade);
  }
}
