package io.keycloakgitops.realmsync.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SyncStateTest {
  @Test
  void roundTripsThroughTheRealmAttribute() {
    var state = SyncState.empty();
    state.own(EntityType.CLIENT, List.of("web", "api"));
    state.rememberHash("identity-provider/gh/config.clientSecret", "abc");
    state.markRealmCreated("repo-a");
    var attributes = Json.object().put(SyncState.ATTRIBUTE, state.encode());
    var read = SyncState.fromRealmAttributes(attributes);
    assertThat(read).isEqualTo(state);
    assertThat(read.owns(EntityType.CLIENT, "web")).isTrue();
    assertThat(read.owns(EntityType.USER, "web")).isFalse();
    assertThat(read.source()).isEqualTo("repo-a");
  }

  @Test
  void largeRecordsAreCompressed() {
    var state = SyncState.empty();
    state.own(EntityType.USER, IntStream.range(0, 1000).mapToObj(i -> "user-" + i).toList());
    String encoded = state.encode();
    assertThat(encoded).startsWith("gz:").hasSizeLessThan(6000);
    assertThat(SyncState.fromRealmAttributes(Json.object().put(SyncState.ATTRIBUTE, encoded))).isEqualTo(state);
  }

  @Test
  void missingRecordIsEmptyAndDisownForgets() {
    var state = SyncState.fromRealmAttributes(null);
    assertThat(state).isEqualTo(SyncState.empty());
    state.own(EntityType.GROUP, List.of("/a"));
    state.rememberHash("group//a/x", "h");
    state.disown(EntityType.GROUP, "/a");
    state.forgetHashes("group//a/");
    assertThat(state).isEqualTo(SyncState.empty());
  }
}
