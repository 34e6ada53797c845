package io.keycloakgitops.webhook.rules;

import static io.keycloakgitops.webhook.Manifests.create;
import static io.keycloakgitops.webhook.Manifests.fixture;
import static io.keycloakgitops.webhook.Manifests.keycloak;
import static io.keycloakgitops.webhook.Manifests.update;
import static io.keycloakgitops.webhook.Manifests.validKeycloak;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keycloakgitops.schemas.podsecurity.Level;
import io.keycloakgitops.webhook.Manifests;
import io.keycloakgitops.webhook.mutation.Defaulter;
import io.keycloakgitops.webhook.rules.NamespacePolicy.Rules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValidatorTest {
  static Validator validator;

  @BeforeAll
  static void load() {
    validator = Validator.load();
  }

  @ParameterizedTest
  @ValueSource(strings = {"upstream/keycloak-basic.yaml", "upstream/keycloak-full.yaml",
      "upstream/realm-import-basic.yaml", "upstream/realm-import-full.yaml"})
  void upstreamManifestsAreAdmittedOnceDefaulted(String name) {
    var defaulted = Defaulter.mutate(create(fixture(name))).object();
    assertThat(validator.validate(create(defaulted), NamespacePolicy.FULL_RULES).errors()).isEmpty();
  }

  @Test
  void collectsTheErrorsOfEveryRule() {
    var object = keycloak("instances: -1\nunsupported:\n  podTemplate:\n    spec:\n      hostNetwork: true\n");
    var findings = validator.validate(create(object), NamespacePolicy.FULL_RULES);
    assertThat(findings.errors()).extracting(FieldError::rule)
        .containsExactly(CrdSchema.RULE, PodSecurity.RULE, TlsRule.RULE);
  }

  @Test
  void anUnreadableSpecStopsAtTheSchemaErrors() {
    var findings = validator.validate(create(keycloak("http: plain")), NamespacePolicy.FULL_RULES);
    assertThat(findings.errors()).extracting(FieldError::rule).containsOnly(CrdSchema.RULE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"containers: not-a-list", "containers:\n- name: keycloak\n  ports:\n  - containerPort: not-a-number"})
  void aPodTemplateThatDoesNotDecodeIsDeniedNotSkipped(String podSpec) {
    var object = keycloak("unsupported:\n  podTemplate:\n    spec:\n" + podSpec.indent(6));
    var findings = validator.validate(create(object), NamespacePolicy.FULL_RULES);
    assertThat(findings.errors()).filteredOn(error -> error.rule().equals(PodSecurity.RULE)).singleElement()
        .satisfies(error -> {
          assertThat(error.field()).isEqualTo("spec.unsupported.podTemplate");
          assertThat(error.detail()).startsWith("not a pod template, so its pod security cannot be checked: ");
        });
  }

  @Test
  void updateRulesRunOnlyOnUpdate() {
    ObjectNode stored = validKeycloak();
    ObjectNode updated = stored.deepCopy();
    ((ObjectNode) updated.path("spec")).putObject("db").put("vendor", "postgres");
    assertThat(validator.validate(create(updated), NamespacePolicy.FULL_RULES).errors()).isEmpty();
    assertThat(validator.validate(update(updated, stored), NamespacePolicy.FULL_RULES).errors())
        .singleElement().extracting(FieldError::rule).isEqualTo(UpdateRule.RULE);
  }

  @Test
  void theNamespacePolicyTurnsRelaxedRulesIntoWarnings() {
    var object = keycloak("http:\n  httpEnabled: true\nhostname:\n  hostname: sso.example.com\nunsupported:\n"
        + "  podTemplate:\n    spec:\n      securityContext:\n        runAsUser: 0\n");
    var relaxed = new Rules(Level.BASELINE, NamespacePolicy.TlsMode.OPTIONAL, "entry \"dev-*\"");
    var findings = validator.validate(create(object), relaxed);
    assertThat(findings.errors()).isEmpty();
    assertThat(findings.warnings()).anyMatch(w -> w.contains("runAsUser") && w.contains("allowed by the namespace policy"))
        .anyMatch(w -> w.startsWith("spec.http.tlsSecret: Required value") && w.endsWith("(allowed: entry \"dev-*\")"));
    assertThat(validator.validate(create(object), NamespacePolicy.FULL_RULES).errors()).hasSize(2);
  }

  @Test
  void nothingInTheCrCanRelaxARule() {
    var object = keycloak("unsupported:\n  podTemplate:\n    metadata:\n      annotations:\n"
        + "        pod-security.kubernetes.io/enforce: privileged\n    spec:\n      hostPID: true\n");
    ((ObjectNode) object.path("metadata")).putObject("labels").put("pod-security.kubernetes.io/enforce", "privileged");
    assertThat(validator.validate(create(object), NamespacePolicy.FULL_RULES).errors())
        .extracting(FieldError::rule).contains(PodSecurity.RULE);
  }

  @Test
  void otherKindsAreNotJudged() {
    var configMap = Manifests.yaml("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
    assertThat(validator.validate(new Review("", "ConfigMap", "CREATE", "team", configMap, null),
        NamespacePolicy.FULL_RULES)).isEqualTo(Findings.NONE);
  }
}
