package io.keycloakgitops.realmsync.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class DeletionGuardTest {
  /** A plan of {@code deletes} client deletions plus some creations and updates that never count. */
  private static Plan plan(int deletes) {
    var changes = new ArrayList<Change>();
    for (int i = 0; i < deletes; i++) {
      changes.add(Change.delete(EntityType.CLIENT, "client-" + i, Phase.DELETE_CLIENT, ctx -> { }));
    }
    for (int i = 0; i < 40; i++) {
      changes.add(Change.create(EntityType.USER, "user-" + i, Phase.USER, ctx -> { }));
    }
    changes.add(Change.followUp(EntityType.USER, "x", Phase.USER_PARTS, ctx -> { }));
    return new Plan("demo", true, changes, List.of());
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("none", 0, 25, false, false),
        Arguments.of("at the limit", 25, 25, false, false),
        Arguments.of("one over the limit", 26, 25, false, true),
        Arguments.of("thirty clients", 30, 25, false, true),
        Arguments.of("thirty clients, allowed", 30, 25, true, false),
        Arguments.of("limit 0 stops any deletion", 1, 0, false, true),
        Arguments.of("limit 0, allowed", 1, 0, true, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void stopsOnlyAboveTheLimitAndOnlyUntilAllowed(String name, int deletes, int max, boolean allow, boolean stops) {
    assertThat(new DeletionGuard(max, allow).stop(plan(deletes)).isPresent()).isEqualTo(stops);
  }

  @Test
  void theMessageListsEveryDeletionAndHowToLetItThrough() {
    String message = DeletionGuard.DEFAULT.stop(plan(30)).orElseThrow();
    assertThat(message).startsWith("realm demo: stopped before writing anything: 30 objects would be deleted, "
        + "more than --max-deletions 25").contains("--allow-deletions", "- client \"client-0\"", "- client \"client-29\"");
    assertThat(message.lines().filter(l -> l.startsWith("  - ")).count()).isEqualTo(30);
  }

  @Test
  void aNegativeLimitIsAConfigurationError() {
    assertThatThrownBy(() -> new DeletionGuard(-1, false)).hasMessageContaining("--max-deletions");
  }
}
