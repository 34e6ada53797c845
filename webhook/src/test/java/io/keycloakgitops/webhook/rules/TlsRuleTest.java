package io.keycloakgitops.webhook.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.keycloakgitops.schemas.keycloak.KeycloakSpec;
import io.keycloakgitops.webhook.Json;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TlsRuleTest {
  private static final String HOST = "hostname:\n  hostname: sso.example.com\n";

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("TLS at the pod", "http:\n  tlsSecret: kc-tls\n" + HOST, List.of(), List.of()),
        Arguments.of("TLS at the ingress, HTTP behind it",
            "http:\n  httpEnabled: true\ningress:\n  enabled: true\n  tlsSecret: edge\n" + HOST, List.of(), List.of()),
        Arguments.of("TLS at both (re-encrypt)",
            "http:\n  tlsSecret: kc-tls\n  httpEnabled: true\ningress:\n  tlsSecret: edge\n" + HOST, List.of(), List.of()),
        Arguments.of("no TLS anywhere", "http:\n  httpEnabled: true\n" + HOST,
            List.of("spec.http.tlsSecret: Required value: Keycloak must be reachable only over TLS"), List.of()),
        Arguments.of("nothing at all", "{}",
            List.of("spec.http.tlsSecret: Required value"), List.of("spec.hostname.hostname: unset")),
        Arguments.of("ingress TLS without HTTP behind it", "ingress:\n  tlsSecret: edge\n" + HOST,
            List.of("spec.http.httpEnabled: Required value: must be true when TLS terminates at the ingress"), List.of()),
        Arguments.of("enabled ingress without TLS", "http:\n  tlsSecret: kc-tls\ningress:\n  enabled: true\n" + HOST,
            List.of("spec.ingress.tlsSecret: Required value: an enabled ingress must terminate TLS"), List.of()),
        Arguments.of("disabled ingress without TLS is fine", "http:\n  tlsSecret: kc-tls\ningress:\n  enabled: false\n"
            + HOST, List.of(), List.of()),
        Arguments.of("a disabled ingress does not count as TLS",
            "http:\n  httpEnabled: true\ningress:\n  enabled: false\n  tlsSecret: edge\n" + HOST,
            List.of("spec.http.tlsSecret: Required value"), List.of()),
        Arguments.of("ingress without hostname", "http:\n  tlsSecret: kc-tls\ningress:\n  tlsSecret: edge\n",
            List.of("spec.hostname.hostname: Required value: required when the ingress is enabled"), List.of()),
        Arguments.of("ingress without hostname, strict off",
            "http:\n  tlsSecret: kc-tls\ningress:\n  tlsSecret: edge\nhostname:\n  strict: false\n", List.of(), List.of()),
        Arguments.of("plain HTTP beside HTTPS", "http:\n  tlsSecret: kc-tls\n  httpEnabled: true\n" + HOST, List.of(),
            List.of("spec.http.httpEnabled: plain HTTP is served beside HTTPS")),
        Arguments.of("secret names are DNS-1123", "http:\n  tlsSecret: KC_TLS\ningress:\n  tlsSecret: edge.\n" + HOST,
            List.of("spec.http.tlsSecret: Invalid value: \"KC_TLS\": must be a DNS-1123 subdomain",
                "spec.ingress.tlsSecret: Invalid value: \"edge.\": must be a DNS-1123 subdomain"), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void judgesTheTlsMode(String name, String specYaml, List<String> errors, List<String> warnings) throws Exception {
    var findings = TlsRule.validate(Json.YAML.readValue(specYaml, KeycloakSpec.class));
    assertThat(findings.errors()).hasSameSizeAs(errors);
    for (int i = 0; i < errors.size(); i++) {
      assertThat(findings.errors().get(i).toString()).startsWith(errors.get(i));
      assertThat(findings.errors().get(i).rule()).isEqualTo(TlsRule.RULE);
    }
    assertThat(findings.warnings()).hasSameSizeAs(warnings);
    for (int i = 0; i < warnings.size(); i++) {
      assertThat(findings.warnings().get(i)).startsWith(warnings.get(i));
    }
  }
}
