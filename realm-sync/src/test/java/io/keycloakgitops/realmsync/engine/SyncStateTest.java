package io.keycloakgitops.realmsync.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SyncStateTest {
  private static final String GIT = "git:https://example.com/iam.git#main:realms";
  private static final String CR = "cr:team-a/import";

  @Test
  void roundTripsThroughTheRealmAttribute() {
    var state = SyncState.empty();
    state.own(GIT, EntityType.CLIENT, List.of("web", "api"));
    state.own(CR, EntityType.CLIENT, List.of("api", "app"));
    state.rememberHash("identity-provider/gh/config.clientSecret", "abc");
    state.markRealmCreated(GIT);
    var attributes = Json.object().put(SyncState.ATTRIBUTE, state.encode());
    var read = SyncState.fromRealmAttributes(attributes);
    assertThat(read).isEqualTo(state);
    assertThat(read.owns(GIT, EntityType.CLIENT, "web")).isTrue();
    assertThat(read.owns(CR, EntityType.CLIENT, "web")).isFalse();
    assertThat(read.owns(GIT, EntityType.USER, "web")).isFalse();
    assertThat(read.realmOwner()).isEqualTo(GIT);
  }

  /** The ownership filter: (owner asking, object) → owns it, someone else owns it too. */
  @Test
  void ownershipIsPerSource() {
    var state = SyncState.empty();
    state.own(GIT, EntityType.CLIENT, List.of("shared", "git-only"));
    state.own(CR, EntityType.CLIENT, List.of("shared", "cr-only"));
    record Row(String owner, String key, boolean owns, boolean another) {}
    for (var row : List.of(
        new Row(GIT, "git-only", true, false),
        new Row(GIT, "shared", true, true),
        new Row(GIT, "cr-only", false, true),
        new Row(CR, "git-only", false, true),
        new Row(CR, "cr-only", true, false),
        new Row(CR, "nobody", false, false))) {
      assertThat(state.owns(row.owner(), EntityType.CLIENT, row.key())).as("%s owns %s", row.owner(), row.key())
          .isEqualTo(row.owns());
      assertThat(state.ownedByAnother(row.owner(), EntityType.CLIENT, row.key()))
          .as("another than %s owns %s", row.owner(), row.key()).isEqualTo(row.another());
    }
    state.forget(EntityType.CLIENT, "shared");
    assertThat(state.owns(GIT, EntityType.CLIENT, "shared") || state.owns(CR, EntityType.CLIENT, "shared")).isFalse();
  }

  @Test
  void aVersionOneRecordIsLegacyOwnedUntilAdopted() {
    var state = SyncState.fromRealmAttributes(Json.object().put(SyncState.ATTRIBUTE,
        "{\"v\":1,\"realmCreated\":true,\"source\":\"default\",\"owned\":{\"client\":[\"web\",\"old\"]}}"));
    assertThat(state.realmOwner()).as("a shared id owns nothing").isNull();
    assertThat(state.owns(SyncState.LEGACY, EntityType.CLIENT, "old")).isTrue();
    assertThat(state.ownedByAnother(GIT, EntityType.CLIENT, "old")).isTrue();
    state.own(GIT, EntityType.CLIENT, List.of("web"));
    state.claimRealm(GIT);
    assertThat(state.owns(SyncState.LEGACY, EntityType.CLIENT, "web")).isFalse();
    assertThat(state.owns(GIT, EntityType.CLIENT, "web")).isTrue();
    assertThat(state.realmOwner()).isEqualTo(GIT);
    assertThat(state.realmCreated()).isTrue();
  }

  @Test
  void aClaimedRealmKeepsItsOwnerUntilReleased() {
    var state = SyncState.empty();
    state.claimRealm(CR);
    state.claimRealm("cr:team-a/second");
    assertThat(state.realmOwner()).isEqualTo(CR);
    state.releaseRealm();
    state.claimRealm("cr:team-a/second");
    assertThat(state.realmOwner()).isEqualTo("cr:team-a/second");
    assertThat(SyncState.fromRealmAttributes(Json.object().put(SyncState.ATTRIBUTE, state.encode())).realmOwner())
        .isEqualTo("cr:team-a/second");
  }

  @Test
  void largeRecordsAreCompressed() {
    var state = SyncState.empty();
    state.own(GIT, EntityType.USER, IntStream.range(0, 1000).mapToObj(i -> "user-" + i).toList());
    String encoded = state.encode();
    assertThat(encoded).startsWith("gz:").hasSizeLessThan(6000);
    assertThat(SyncState.fromRealmAttributes(Json.object().put(SyncState.ATTRIBUTE, encoded))).isEqualTo(state);
  }

  @Test
  void missingRecordIsEmptyAndDisownForgets() {
    var state = SyncState.fromRealmAttributes(null);
    assertThat(state).isEqualTo(SyncState.empty());
    state.own(GIT, EntityType.GROUP, List.of("/a"));
    state.rememberHash("group//a/x", "h");
    state.disown(GIT, EntityType.GROUP, "/a");
    state.forgetHashes("group//a/");
    assertThat(state).isEqualTo(SyncState.empty());
  }

  @Test
  void theFragmentRecordRoundTripsPerSourceAndAnEmptyOneLeavesNoTrace() {
    var state = SyncState.empty();
    state.own(GIT, EntityType.CLIENT, List.of("shop-web"));
    String before = state.encode();
    state.setFragments(GIT, java.util.Map.of("teams/shop/acme.json",
        java.util.Map.of("client", java.util.Set.of("shop-web"), "group", java.util.Set.of("/shop"))));
    state.setFragments(CR, java.util.Map.of());
    var read = SyncState.fromRealmAttributes(Json.object().put(SyncState.ATTRIBUTE, state.encode()));
    assertThat(read).isEqualTo(state);
    assertThat(read.fragments(GIT)).containsOnlyKeys("teams/shop/acme.json");
    assertThat(read.fragments(GIT).get("teams/shop/acme.json").get("group")).containsExactly("/shop");
    assertThat(read.fragments(CR)).isEmpty();
    assertThat(read.copy()).isEqualTo(read);
    read.setFragments(GIT, java.util.Map.of());
    assertThat(read.encode()).isEqualTo(before);
  }
}
