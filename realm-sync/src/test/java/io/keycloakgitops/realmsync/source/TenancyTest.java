package io.keycloakgitops.realmsync.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TenancyTest {
  private static final String FILE = """
      grants:
        - paths: ["realms/*.json"]
          realms: ["*"]
        - paths: ["teams/shop/**"]
          realms: ["acme"]
          kinds: [client, client-role, group]
          names: ["shop-*"]
      """;

  static Stream<Arguments> cases() {
    return Stream.of(
        // path, realm, kind, name, refusal (null: allowed)
        Arguments.of("realms/acme.json", "acme", "realm", "acme", null),
        Arguments.of("realms/acme.json", "other", "user", "alice", null),
        Arguments.of("realms/sub/acme.json", "acme", "realm", "acme", "no tenancy grant covers this path"),
        Arguments.of("teams/shop/acme.clients.json", "acme", "client", "shop-web", null),
        Arguments.of("teams/shop/deep/er/acme.json", "acme", "group", "shop-admins", null),
        Arguments.of("teams/shop/acme.clients.json", "acme", "client-role", "shop-web", null),
        Arguments.of("teams/shop/acme.clients.json", "acme", "client", "billing",
            "name \"billing\" matches none of names [shop-*]"),
        Arguments.of("teams/shop/acme.clients.json", "acme", "user", "shop-bob", "kind user is not in kinds"),
        Arguments.of("teams/shop/acme.clients.json", "acme", "realm", "enabled", "kind realm is not in kinds"),
        Arguments.of("teams/shop/acme.clients.json", "other", "client", "shop-web", "realm other is not in realms [acme]"),
        Arguments.of("teams/billing/acme.clients.json", "acme", "client", "shop-web", "no tenancy grant covers this path"),
        Arguments.of("teams/shopping/acme.json", "acme", "client", "shop-web", "no tenancy grant covers this path"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void grantsDecideByPathRealmKindAndName(String path, String realm, String kind, String name, String refusal) throws Exception {
    var verdict = Tenancy.parse(FILE).refuse(path, realm, new Fragments.Declared(kind, name, name, null));
    if (refusal == null) {
      assertThat(verdict).isEmpty();
    } else {
      assertThat(verdict).get().asString().startsWith(path + ": ").contains(refusal);
    }
  }

  @Test
  void aRefusalNamesThePathTheObjectAndTheGrant() throws Exception {
    assertThat(Tenancy.parse(FILE).refuse("teams/shop/acme.clients.json", "acme",
        new Fragments.Declared("client", "billing", "billing", "billing"))).contains(
        "teams/shop/acme.clients.json: client \"billing\" of realm acme is outside its grants: name \"billing\" matches "
            + "none of names [shop-*] (grant {paths: [teams/shop/**], realms: [acme], kinds: [client, client-role, group], names: [shop-*]})");
  }

  static Stream<Arguments> badFiles() {
    return Stream.of(
        Arguments.of("grants: []", "no grants"),
        Arguments.of("grants:\n  - realms: [\"*\"]", "paths"),
        Arguments.of("grants:\n  - paths: [\"a/**\"]", "realms"),
        Arguments.of("grants:\n  - paths: [\"a/**\"]\n    realms: [\"*\"]\n    kinds: [clients]", "unknown kind 'clients'"),
        Arguments.of("grants:\n  - paths: [\"a/**\"]\n    realms: [\"*\"]\n    owner: x", "owner"),
        Arguments.of("grants: [", "line 1: "));
  }

  @ParameterizedTest
  @MethodSource("badFiles")
  void malformedFilesFailAtStartWithTheirPath(String yaml, String message, @TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("tenancy.yaml"), yaml);
    assertThatThrownBy(() -> Tenancy.read(file, null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tenancy file " + file + ": ").hasMessageContaining(message);
  }

  @Test
  void aTenancyFileInsideTheWatchedRepositoryIsRefused(@TempDir Path dir) throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Path inside = Files.writeString(repo.resolve("tenancy.yaml"), FILE);
    Path outside = Files.writeString(dir.resolve("tenancy.yaml"), FILE);
    assertThatThrownBy(() -> Tenancy.read(inside, repo)).hasMessageContaining("inside the watched repository");
    assertThat(Tenancy.read(outside, repo).grants()).hasSize(2);
    assertThat(Tenancy.read(null, repo)).isSameAs(Tenancy.OPEN);
  }

  static Stream<Arguments> globs() {
    return Stream.of(
        Arguments.of("teams/**", "teams/a/b/c.json", true),
        Arguments.of("teams/*", "teams/a/b.json", false),
        Arguments.of("teams/*.json", "teams/a.json", true),
        Arguments.of("realms/?.json", "realms/ab.json", false),
        Arguments.of("a.b/*", "aXb/c", false));
  }

  @ParameterizedTest
  @MethodSource("globs")
  void globsCrossFoldersOnlyWithTwoStars(String glob, String path, boolean matches) {
    assertThat(Tenancy.glob(glob).matcher(path).matches()).isEqualTo(matches);
  }
}
