package io.keycloakgitops.webhook.rules;

import static io.keycloakgitops.webhook.Manifests.fixture;
import static io.keycloakgitops.webhook.Manifests.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.keycloakgitops.schemas.authority.RealmGrants;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RealmImportRuleTest {
  static RealmImportRule rule;

  @BeforeAll
  static void load() {
    rule = RealmImportRule.load();
  }

  @ParameterizedTest
  @ValueSource(strings = {"upstream/realm-import-basic.yaml", "upstream/realm-import-full.yaml"})
  void upstreamImportsPassWithoutWarnings(String name) {
    var findings = rule.validate(fixture(name), "team-a", RealmGrants.DEFAULT);
    assertThat(findings.errors()).isEmpty();
    assertThat(findings.warnings()).isEmpty();
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("no Keycloak CR name", "realm:\n  realm: acme",
            List.of("spec.keycloakCRName: Required value"), List.of()),
        Arguments.of("bad Keycloak CR name", "keycloakCRName: My_KC\nrealm:\n  realm: acme",
            List.of("spec.keycloakCRName: Invalid value: \"My_KC\": must be a DNS-1123 subdomain"), List.of()),
        Arguments.of("no realm", "keycloakCRName: kc", List.of("spec.realm: Required value"), List.of()),
        Arguments.of("realm without a name", "keycloakCRName: kc\nrealm:\n  enabled: true",
            List.of("spec.realm.realm: Required value: the realm's name"), List.of()),
        Arguments.of("realm with a blank name", "keycloakCRName: kc\nrealm:\n  realm: ' '",
            List.of("spec.realm.realm: Required value: the realm's name"), List.of()),
        Arguments.of("realm field of the wrong type", "keycloakCRName: kc\nrealm:\n  realm: acme\n  enabled: yes-please",
            List.of("spec.realm.enabled: Invalid value: string found, boolean expected"), List.of()),
        Arguments.of("client without clientId", "keycloakCRName: kc\nrealm:\n  realm: acme\n  clients:\n  - name: x",
            List.of("spec.realm.clients[0].clientId: Required value"), List.of()),
        Arguments.of("plaintext client secret", "keycloakCRName: kc\nrealm:\n  realm: acme\n  clients:\n"
            + "  - clientId: api\n    secret: s3cr3t", List.of(),
            List.of("spec.realm.clients[0].secret: secret in clear text; use a ${PLACEHOLDER}")),
        Arguments.of("plaintext user password", "keycloakCRName: kc\nrealm:\n  realm: acme\n  users:\n"
            + "  - username: alice\n    credentials:\n    - type: password\n      value: hunter2", List.of(),
            List.of("spec.realm.users[0].credentials[0].value: secret in clear text")),
        Arguments.of("plaintext SMTP password and LDAP bind credential", """
            keycloakCRName: kc
            realm:
              realm: acme
              smtpServer:
                host: smtp.example.com
                password: mail-pass
              components:
                org.keycloak.storage.UserStorageProvider:
                - name: ldap
                  config:
                    bindCredential: [ldap-pass]
            """, List.of(), List.of("spec.realm.components.org.keycloak.storage.UserStorageProvider[0].config."
                + "bindCredential[0]: secret in clear text", "spec.realm.smtpServer.password: secret in clear text")),
        Arguments.of("placeholder not declared", "keycloakCRName: kc\nrealm:\n  realm: acme\n  clients:\n"
            + "  - clientId: api\n    secret: ${API_SECRET}", List.of(),
            List.of("spec.realm.clients[0].secret: placeholder ${API_SECRET} is not defined in spec.placeholders")),
        Arguments.of("placeholder declared", "keycloakCRName: kc\nplaceholders:\n  API_SECRET:\n    secret:\n"
            + "      name: s\n      key: k\nrealm:\n  realm: acme\n  clients:\n  - clientId: api\n"
            + "    secret: ${API_SECRET}", List.of(), List.of()),
        Arguments.of("masked secret from an export", "keycloakCRName: kc\nrealm:\n  realm: acme\n  clients:\n"
            + "  - clientId: api\n    secret: '**********'", List.of(), List.of()),
        Arguments.of("localized names are not secrets", "keycloakCRName: kc\nrealm:\n  realm: acme\n  clients:\n"
            + "  - clientId: account\n    name: ${client_account}", List.of(), List.of()),
        Arguments.of("${secret:} of a labelled Secret is for realm-sync to resolve", "keycloakCRName: kc\nrealm:\n"
            + "  realm: acme\n  clients:\n  - clientId: api\n    secret: ${secret:api-creds/secret}", List.of(),
            List.of()),
        Arguments.of("the service account token through ${file:}", "keycloakCRName: kc\nrealm:\n  realm: acme\n"
            + "  displayName: ${file:/var/run/secrets/kubernetes.io/serviceaccount/token}",
            List.of("spec.realm.displayName: Forbidden: ${file:} placeholders are refused in KeycloakRealmImport CRs"),
            List.of()),
        Arguments.of("${env:} deep in a list, beside ${file:/proc/self/environ}", """
            keycloakCRName: kc
            realm:
              realm: acme
              attributes:
                frontendUrl: "https://${file:/proc/self/environ}"
              clients:
              - clientId: api
                attributes:
                  note: "x ${ env:KEYCLOAK_PASSWORD } y"
            """, List.of("spec.realm.attributes.frontendUrl: Forbidden: ${file:}",
                "spec.realm.clients[0].attributes.note: Forbidden: ${env:}"), List.of()),
        Arguments.of("${env:} as a secret value is an error, not a warning", "keycloakCRName: kc\nrealm:\n"
            + "  realm: acme\n  smtpServer:\n    password: ${env:KEYCLOAK_ADMIN_PASSWORD}",
            List.of("spec.realm.smtpServer.password: Forbidden: ${env:}"), List.of()),
        Arguments.of("an escaped $${file:} is a literal", "keycloakCRName: kc\nrealm:\n  realm: acme\n"
            + "  displayName: $${file:/etc/hostname}", List.of(), List.of()),
        Arguments.of("master is refused by default", "keycloakCRName: kc\nrealm:\n  realm: master",
            List.of("spec.realm.realm: Forbidden: realm master is refused"), List.of()));
  }

  static final String GRANTS = """
      grants:
        - namespace: platform
          realms: [master]
        - namespace: "team-*"
          realms: ["team-*", shared]
      """;

  @ParameterizedTest(name = "{0} -> {1}: {2}")
  @CsvSource(delimiter = '|', value = {
      "platform | master | ",
      "platform | acme   | realm acme is not granted to namespace platform (grant platform allows [master])",
      "team-a   | team-a | ",
      "team-a   | shared | ",
      "team-a   | acme   | realm acme is not granted to namespace team-a (grant team-* allows [team-*, shared])",
      "team-a   | master | realm master is refused: it administers every realm of the server",
      "other    | acme   | namespace other has no realm grant",
  })
  void realmsAreCheckedAgainstTheNamespacesGrants(String namespace, String realm, String denial) throws Exception {
    var object = yaml("apiVersion: k8s.keycloak.org/v2beta1\nkind: KeycloakRealmImport\nmetadata:\n  name: r\n"
        + "spec:\n  keycloakCRName: kc\n  realm:\n    realm: " + realm + "\n");
    var findings = rule.validate(object, namespace, RealmGrants.parse(GRANTS));
    if (denial == null) {
      assertThat(findings.errors()).isEmpty();
    } else {
      assertThat(findings.errors()).singleElement().satisfies(error -> {
        assertThat(error.field()).isEqualTo("spec.realm.realm");
        assertThat(error.type()).isEqualTo(FieldError.Type.FORBIDDEN);
        assertThat(error.detail()).startsWith(denial);
      });
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void judgesTheImport(String name, String spec, List<String> errors, List<String> warnings) {
    var object = yaml("apiVersion: k8s.keycloak.org/v2beta1\nkind: KeycloakRealmImport\nmetadata:\n  name: r\nspec:\n"
        + spec.indent(2));
    var findings = rule.validate(object, "team-a", RealmGrants.DEFAULT);
    assertThat(findings.errors()).hasSameSizeAs(errors);
    for (int i = 0; i < errors.size(); i++) {
      assertThat(findings.errors().get(i).toString()).startsWith(errors.get(i));
    }
    assertThat(findings.warnings()).hasSameSizeAs(warnings);
    for (String warning : warnings) {
      assertThat(findings.warnings()).anySatisfy(w -> assertThat(w).startsWith(warning));
    }
    assertThat(findings.warnings()).noneMatch(w -> w.contains("s3cr3t") || w.contains("hunter2"));
  }
}
