package io.keycloakgitops.schemas.authority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RealmGrantsTest {
  private static final String GRANTS = """
      grants:
        - namespace: platform
          realms: ["master", "*"]
        - namespace: "team-*"
          realms: ["team-*", "shared"]
      """;

  @ParameterizedTest(name = "{0} -> {1}: {2}")
  @CsvSource({
      "platform, master, true",
      "platform, anything, true",
      "team-a, team-a, true",
      "team-a, team-b, true",
      "team-a, shared, true",
      "team-a, acme, false",
      "team-a, master, false",
      "other, acme, false",
  })
  void grantsDecideByFirstMatchingNamespace(String namespace, String realm, boolean allowed) throws Exception {
    assertThat(RealmGrants.parse(GRANTS).allows(namespace, realm)).isEqualTo(allowed);
  }

  @ParameterizedTest
  @CsvSource({"any, acme, true", "any, master, false", "kube-system, x, true"})
  void defaultAllowsEveryRealmButMaster(String namespace, String realm, boolean allowed) {
    assertThat(RealmGrants.DEFAULT.allows(namespace, realm)).isEqualTo(allowed);
  }

  @Test
  void aGlobNeverMatchesMaster() throws Exception {
    var grants = RealmGrants.parse("grants: [{namespace: '*', realms: ['*', 'm*', '*ster']}]");
    assertThat(grants.deny("x", "master")).get().asString().contains("only a grant that names \"master\"");
  }

  @Test
  void denialNamesTheGrant() throws Exception {
    assertThat(RealmGrants.parse(GRANTS).deny("team-a", "acme")).get().asString()
        .isEqualTo("realm acme is not granted to namespace team-a (grant team-* allows [team-*, shared])");
    assertThat(RealmGrants.parse(GRANTS).deny("other", "acme")).get().asString()
        .startsWith("namespace other has no realm grant");
  }

  @Test
  void malformedFilesFailWithThePath(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("grants.yaml");
    Files.writeString(file, "grants: [{namespace: a}]");
    assertThatThrownBy(() -> RealmGrants.read(file)).hasMessageContaining(file.toString());
    Files.writeString(file, "grant: []");
    assertThatThrownBy(() -> RealmGrants.read(file)).hasMessageContaining("grant");
    assertThat(RealmGrants.read(null)).isSameAs(RealmGrants.DEFAULT);
  }
}
