package io.keycloakgitops.realmsync.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keycloakgitops.realmsync.engine.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaceholdersTest {
  private static ObjectNode realm(String json) {
    return (ObjectNode) Json.read(json.replace('\'', '"'));
  }

  @Test
  void resolvesEnvironmentFilesAndSecretsInStringValues(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("secret.txt");
    Files.writeString(file, "from-file\n");
    var placeholders = new Placeholders(Map.of("API_SECRET", "from-env"), Map.of(),
        ref -> ref.equals("idp/secret") ? "from-k8s" : null);
    var rep = realm("{'realm':'r','clients':[{'secret':'${env:API_SECRET}','description':'a ${file:" + file + "} b'}],"
        + "'smtpServer':{'password':'${secret:idp/secret}'},'list':['${env:API_SECRET}']}");
    placeholders.resolve(rep, "realms/r.json");
    assertThat(rep.at("/clients/0/secret").asText()).isEqualTo("from-env");
    assertThat(rep.at("/clients/0/description").asText()).isEqualTo("a from-file b");
    assertThat(rep.at("/smtpServer/password").asText()).isEqualTo("from-k8s");
    assertThat(rep.at("/list/0").asText()).isEqualTo("from-env");
    assertThat(placeholders.resolvedValues()).containsExactlyInAnyOrder("from-env", "from-file", "from-k8s");
  }

  @Test
  void keycloakMessageKeysAndEscapesStayAsTheyAre() {
    var placeholders = new Placeholders(Map.of("X", "x"), Map.of("DB_PASSWORD", "mapped"), null);
    var rep = realm("{'realm':'r','description':'${role_default-roles}','a':'$${env:X}','b':'${DB_PASSWORD}'}");
    placeholders.resolve(rep, "cr");
    assertThat(rep.get("description").asText()).isEqualTo("${role_default-roles}");
    assertThat(rep.get("a").asText()).isEqualTo("${env:X}");
    assertThat(rep.get("b").asText()).isEqualTo("mapped");
  }

  @Test
  void anUnsetVariableIsAnErrorNamingTheVariableAndWhere() {
    var placeholders = new Placeholders(Map.of(), Map.of(), null);
    assertThatThrownBy(() -> placeholders.resolve(realm("{'realm':'r','clients':[{'secret':'${env:MISSING}'}]}"), "realms/r.json"))
        .isInstanceOf(RealmFileException.class)
        .hasMessage("realms/r.json (at /clients/0/secret): environment variable MISSING is not set");
    assertThatThrownBy(() -> placeholders.resolve(realm("{'realm':'r','x':'${secret:a/b}'}"), "f"))
        .hasMessageContaining("needs a Kubernetes cluster");
  }
}
