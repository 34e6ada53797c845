package io.keycloakgitops.webhook.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keycloakgitops.webhook.rules.NamespacePolicy.TlsMode;
import io.keycloakgitops.schemas.podsecurity.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamespacePolicyTest {
  private static final NamespacePolicy POLICY = NamespacePolicy.parse("""
      namespaces:
        - name: legacy
          podSecurity: privileged
          tls: optional
        - name: "dev-*"
          podSecurity: Baseline
        - name: "*-sandbox"
          tls: optional
      """);

  @ParameterizedTest
  @CsvSource({
      "legacy, PRIVILEGED, OPTIONAL",
      "dev-alice, BASELINE, REQUIRED",
      "team-sandbox, RESTRICTED, OPTIONAL",
      "production, RESTRICTED, REQUIRED",
      "legacy-2, RESTRICTED, REQUIRED",
      "my-dev-x, RESTRICTED, REQUIRED"})
  void theFirstMatchingEntryApplies(String namespace, Level podSecurity, TlsMode tls) {
    var rules = POLICY.rulesFor(namespace);
    assertThat(rules.podSecurity()).isEqualTo(podSecurity);
    assertThat(rules.tls()).isEqualTo(tls);
  }

  @Test
  void noFileMeansTheFullRules() {
    assertThat(NamespacePolicy.parse("").rulesFor("any")).isEqualTo(NamespacePolicy.FULL_RULES);
    assertThat(NamespacePolicy.parse("namespaces: []").rulesFor("any")).isEqualTo(NamespacePolicy.FULL_RULES);
  }

  @Test
  void typosFailLoudlyWithTheLine() {
    assertThatThrownBy(() -> NamespacePolicy.parse("namespaces:\n  - name: a\n    podSecurty: baseline\n"))
        .hasMessageContaining("unknown field \"namespaces[0].podSecurty\"");
    assertThatThrownBy(() -> NamespacePolicy.parse("namespaces:\n  - name: a\n    podSecurity: lax\n"))
        .hasMessageContaining("invalid value \"lax\" for \"namespaces[0].podSecurity\"");
    assertThatThrownBy(() -> NamespacePolicy.parse("namespaces:\n  - podSecurity: baseline\n"))
        .hasMessageContaining("name");
  }
}
