package io.keycloakgitops.realmsync.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A realm whose file is there is never taken for absent: it loads, or it fails, but it is present. */
class RealmLoaderTest {
  private static Map<String, RealmLoader.Loaded> load(Path dir) {
    var snapshot = new DirectorySource(dir).fetch();
    return RealmLoader.load(snapshot, Placeholders.GitPolicy.defaults()::create).stream()
        .collect(Collectors.toMap(RealmLoader.Loaded::realm, Function.identity()));
  }

  @Test
  void executableUnreadableAndOddFilesArePresentLoadedOrFailed(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("plain.json"), "{\"realm\":\"plain\"}");
    Path exec = Files.writeString(dir.resolve("exec.json"), "{\"realm\":\"exec\"}");
    Files.setPosixFilePermissions(exec, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectories(dir.resolve("folder.json"));
    assertThat(new ProcessBuilder("mkfifo", dir.resolve("fifo.yaml").toString()).start().waitFor()).isZero();
    Files.writeString(dir.resolve("broken.json"), "{\"realm\":");
    Files.writeString(dir.resolve("notes.txt"), "not a realm");

    var loaded = load(dir);
    assertThat(loaded).containsOnlyKeys("plain", "exec", "folder", "fifo", "broken");
    assertThat(loaded.get("plain").ok()).isTrue();
    assertThat(loaded.get("exec").ok()).isTrue();
    assertThat(loaded.get("exec").desired().representation().get("realm").asText()).isEqualTo("exec");
    assertThat(loaded.get("folder").error()).contains("folder.json: cannot be read: not a regular file");
    assertThat(loaded.get("fifo").error()).contains("fifo.yaml: cannot be read: not a regular file");
    assertThat(loaded.get("broken").error()).contains("malformed JSON");
  }

  @Test
  void aRefusedPlaceholderFailsItsOwnRealmOnly(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("good.json"), "{\"realm\":\"good\",\"displayName\":\"${env:REALM_NAME}\"}");
    Files.writeString(dir.resolve("bad.json"), "{\"realm\":\"bad\",\"displayName\":\"${env:HOME}\"}");
    var policy = new Placeholders.GitPolicy(Map.of("REALM_NAME", "Good", "HOME", "/root"), "REALM_", null, null, null);
    var loaded = RealmLoader.load(new DirectorySource(dir).fetch(), policy::create).stream()
        .collect(Collectors.toMap(RealmLoader.Loaded::realm, Function.identity()));
    assertThat(loaded.get("good").desired().representation().get("displayName").asText()).isEqualTo("Good");
    assertThat(loaded.get("bad").error()).contains("${env:HOME} is refused");
    assertThat(loaded.get("bad").path()).endsWith("bad.json");
  }

  private static final Tenancy SHOP = tenancy("""
      grants:
        - paths: ["realms/*.json"]
          realms: ["*"]
        - paths: ["teams/shop/**"]
          realms: ["acme"]
          kinds: [client, client-role, group]
          names: ["shop-*"]
      """);

  private static Tenancy tenancy(String yaml) {
    try {
      return Tenancy.parse(yaml);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Map<String, RealmLoader.Loaded> loadGit(Tenancy tenancy, RealmDocument... docs) {
    var snapshot = new RealmSource.Snapshot("c0ffee", java.util.List.of(docs));
    return RealmLoader.load(snapshot, Placeholders.GitPolicy.defaults()::create, tenancy).stream()
        .collect(Collectors.toMap(RealmLoader.Loaded::realm, Function.identity()));
  }

  private static final RealmDocument ACME = new RealmDocument("acme", "realms/acme.json",
      "{\"realm\":\"acme\",\"clients\":[{\"clientId\":\"portal\"}]}");

  @Test
  void fragmentsWithinTheirGrantsAreMergedAndRecorded() {
    var loaded = loadGit(SHOP, ACME, RealmDocument.fragment("teams/shop/acme.clients.json",
        "{\"realm\":\"acme\",\"clients\":[{\"clientId\":\"shop-web\"}],\"groups\":[{\"name\":\"shop-admins\"}]}", null));
    var acme = loaded.get("acme");
    assertThat(acme.ok()).isTrue();
    assertThat(acme.desired().model().clients).containsOnlyKeys("portal", "shop-web");
    assertThat(acme.desired().provenance().fragments()).isEqualTo(Map.of("teams/shop/acme.clients.json",
        Map.of("client", java.util.Set.of("shop-web"), "group", java.util.Set.of("/shop-admins"))));
    assertThat(acme.desired().provenance().errors()).isEmpty();
  }

  @Test
  void aFragmentOutsideItsGrantsFailsAloneAndIsKeptAsFailed() {
    var loaded = loadGit(SHOP, ACME,
        RealmDocument.fragment("teams/shop/acme.clients.json", "{\"realm\":\"acme\",\"clients\":[{\"clientId\":\"shop-web\"}]}", null),
        RealmDocument.fragment("teams/shop/acme.billing.json", "{\"realm\":\"acme\",\"clients\":[{\"clientId\":\"billing\"}]}", null),
        RealmDocument.fragment("teams/shop/broken.json", "{\"realm\":", null));
    var acme = loaded.get("acme");
    assertThat(acme.ok()).isTrue();
    assertThat(acme.desired().model().clients).containsOnlyKeys("portal", "shop-web");
    assertThat(acme.desired().provenance().failed()).containsExactlyInAnyOrder("teams/shop/acme.billing.json", "teams/shop/broken.json");
    assertThat(acme.desired().provenance().errors()).anySatisfy(e -> assertThat(e.message())
        .startsWith("teams/shop/acme.billing.json: client \"billing\" of realm acme is outside its grants"));
    assertThat(acme.desired().provenance().errors()).anySatisfy(e -> assertThat(e.message())
        .startsWith("teams/shop/broken.json:1: malformed JSON").endsWith("(fragment left out; what it declared is kept)"));
  }

  @Test
  void twoFilesDeclaringOneObjectFailTheRealmNamingBoth() {
    var loaded = loadGit(SHOP, ACME, RealmDocument.fragment("teams/shop/acme.clients.json",
        "{\"realm\":\"acme\",\"clients\":[{\"clientId\":\"shop-web\"}]}", null),
        RealmDocument.fragment("teams/shop/more/acme.json", "{\"realm\":\"acme\",\"clients\":[{\"clientId\":\"shop-web\"}]}", null));
    assertThat(loaded.get("acme").error()).isEqualTo("realm acme fails as a whole: client \"shop-web\" is declared by both "
        + "teams/shop/acme.clients.json and teams/shop/more/acme.json");
  }

  @Test
  void aRealmFileOutsideTheGrantsFailsItsRealm() {
    var loaded = loadGit(SHOP, new RealmDocument("acme", "teams/shop/acme.json", "{\"realm\":\"acme\"}"));
    assertThat(loaded.get("acme").error()).startsWith("teams/shop/acme.json: realm \"acme\" of realm acme is outside its grants: kind realm");
  }

  @Test
  void withoutTenancyAFragmentMayDeclareRealmSettings() {
    var loaded = loadGit(Tenancy.OPEN, ACME, RealmDocument.fragment("teams/x/acme.json",
        "{\"realm\":\"acme\",\"displayName\":\"Acme\"}", null));
    assertThat(loaded.get("acme").desired().representation().get("displayName").asText()).isEqualTo("Acme");
    assertThat(loaded.get("acme").desired().provenance().fragments()).containsOnlyKeys("teams/x/acme.json");
  }

  @Test
  void aFragmentWithoutItsRealmFileFailsThatRealm() {
    var loaded = loadGit(Tenancy.OPEN, RealmDocument.fragment("teams/x/other.json", "{\"realm\":\"other\"}", null));
    assertThat(loaded.get("other").error()).isEqualTo("realm other has fragments (teams/x/other.json) but no realm file");
  }

  @Test
  void aFolderReadsFragmentsMatchingItsGlobsBelowIt(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("acme.json"), "{\"realm\":\"acme\",\"clients\":[{\"clientId\":\"portal\"}]}");
    Files.createDirectories(dir.resolve("teams/shop"));
    Files.writeString(dir.resolve("teams/shop/acme.clients.yaml"), "realm: acme\nclients:\n  - clientId: shop-web\n");
    Files.createDirectories(dir.resolve("other"));
    Files.writeString(dir.resolve("other/acme.json"), "{\"realm\":\"acme\",\"clients\":[{\"clientId\":\"ignored\"}]}");
    var snapshot = new DirectorySource(dir).withFragments(java.util.List.of("teams/**")).fetch();
    var acme = RealmLoader.load(snapshot, Placeholders.GitPolicy.defaults()::create).getFirst();
    assertThat(acme.ok()).isTrue();
    assertThat(acme.desired().model().clients).containsOnlyKeys("portal", "shop-web");
    assertThat(acme.desired().provenance().fragments()).containsOnlyKeys(dir.resolve("teams/shop/acme.clients.yaml").toString());
    assertThat(new DirectorySource(dir).fetch().revision()).as("fragments are part of the revision").isNotEqualTo(snapshot.revision());
  }
}
