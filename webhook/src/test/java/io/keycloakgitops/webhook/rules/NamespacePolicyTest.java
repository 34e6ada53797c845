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
  void realmGrantsComeFromTheSameFileAndApplyInEveryNamespace() {
    var policy = NamespacePolicy.parse("""
        namespaces:
          - name: legacy
            podSecurity: privileged
        realmGrants:
          - namespace: platform
            realms: [master]
          - namespace: "team-*"
            realms: ["team-*"]
        """);
    assertThat(policy.rulesFor("legacy").realmGrants()).isSameAs(policy.realmGrants());
    assertThat(policy.rulesFor("platform").realmGrants().allows("platform", "master")).isTrue();
    assertThat(policy.rulesFor("team-a").realmGrants().allows("team-a", "team-b")).isTrue();
    assertThat(policy.rulesFor("team-a").realmGrants().allows("team-a", "acme")).isFalse();
    assertThat(policy.rulesFor("legacy").realmGrants().deny("legacy", "acme")).get().asString()
        .startsWith("namespace legacy has no realm grant");
  }

  @Test
  void withoutRealmGrantsEveryRealmButMasterIsAllowed() {
    var rules = NamespacePolicy.parse("namespaces: []").rulesFor("any");
    assertThat(rules.realmGrants()).isSameAs(io.keycloakgitops.schemas.authority.RealmGrants.DEFAULT);
    assertThat(rules.realmGrants().allows("any", "acme")).isTrue();
    assertThat(rules.realmGrants().allows("any", "master")).isFalse();
  }

  @Test
  void aMalformedGrantFailsWithItsPath() {
    assertThatThrownBy(() -> NamespacePolicy.parse("realmGrants:\n  - namespace: a\n"))
        .hasMessageContaining("realms").hasMessageContaining("realmGrants[0]");
    assertThatThrownBy(() -> NamespacePolicy.parse("realmGrants:\n  - namespace: a\n    realms: [x]\n    realm: [y]\n"))
        .hasMessageContaining("unknown field \"realmGrants[0].realm\"");
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
