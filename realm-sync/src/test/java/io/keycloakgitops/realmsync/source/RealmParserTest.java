package io.keycloakgitops.realmsync.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RealmParserTest {
  private static RealmDocument doc(String path, String content) {
    return new RealmDocument(RealmDocument.realmOf(path.substring(path.lastIndexOf('/') + 1)), path, content);
  }

  @Test
  void malformedJsonIsReportedWithItsLine() {
    String content = "{\n  \"realm\": \"demo\",\n  \"enabled\": true\n  \"displayName\": \"x\"\n}\n";
    assertThatThrownBy(() -> RealmParser.parse(doc("realms/demo.json", content)))
        .isInstanceOf(RealmFileException.class).hasMessageStartingWith("realms/demo.json:4: malformed JSON");
  }

  @Test
  void legacyClientTemplatesAreRefusedAtTheirLineNamingClientScopes() {
    String content = "{\n  \"realm\": \"demo\",\n  \"clientTemplates\": [{\"name\": \"t\"}]\n}\n";
    assertThatThrownBy(() -> RealmParser.parse(doc("realms/demo.json", content)))
        .isInstanceOf(RealmFileException.class).hasMessageStartingWith("realms/demo.json:3: \"clientTemplates\"")
        .hasMessageContaining("\"clientScopes\"").hasMessageContaining("\"defaultClientScopes\"");
  }

  @Test
  void schemaErrorsNameTheLineOfTheOffendingValue() {
    String content = """
        {
          "realm": "demo",
          "clients": [
            {"clientId": "ok"},
            {"clientId": 42}
          ],
          "sslRequired": "sometimes"
        }
        """;
    assertThatThrownBy(() -> RealmParser.parse(doc("realms/demo.json", content)))
        .isInstanceOf(RealmFileException.class)
        .hasMessageContaining("realms/demo.json:5: ").hasMessageContaining("clientId")
        .hasMessageContaining("realms/demo.json:7: ").hasMessageContaining("sslRequired");
  }

  @Test
  void yamlIsAcceptedAndLinesAreYamlLines() {
    var realm = RealmParser.parse(doc("realms/demo.yaml", "realm: demo\nclients:\n  - clientId: web\n"));
    assertThat(realm.at("/clients/0/clientId").asText()).isEqualTo("web");
    assertThatThrownBy(() -> RealmParser.parse(doc("realms/demo.yml", "realm: demo\nenabled: 3\n")))
        .hasMessageStartingWith("realms/demo.yml:2: ");
  }

  @Test
  void theRealmMustMatchItsFileName() {
    assertThatThrownBy(() -> RealmParser.parse(doc("realms/demo.json", "{\n\"realm\": \"other\"\n}")))
        .hasMessage("realms/demo.json:2: realm \"other\" does not match the file name (expected \"demo\")");
  }

  @Test
  void fileNamesMakeRealmNames() {
    assertThat(RealmDocument.realmOf("demo.json")).isEqualTo("demo");
    assertThat(RealmDocument.realmOf("demo.yml")).isEqualTo("demo");
    assertThat(RealmDocument.realmOf("README.md")).isNull();
    assertThat(RealmDocument.realmOf(".hidden.json")).isNull();
  }
}
