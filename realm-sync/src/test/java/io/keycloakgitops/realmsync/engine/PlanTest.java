package io.keycloakgitops.realmsync.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlanTest {
  private static Change flow(String alias, Phase phase, int level) {
    return Change.create(EntityType.FLOW, alias, phase, ctx -> { }).atLevel(level);
  }

  /** Dependencies first, then within a phase by level (a sub-flow after its parent), deletions last. */
  @Test
  void changesRunByPhaseThenLevelWhateverOrderTheyWerePlannedIn() {
    var plan = new Plan("test", true, List.of(
        Change.delete(EntityType.FLOW, "old", Phase.DELETE_FLOW, ctx -> { }),
        flow("grandchild", Phase.FLOW_EXECUTIONS, 11),
        flow("child", Phase.FLOW_EXECUTIONS, 10),
        Change.update(EntityType.REALM, "test", List.of(), Phase.REALM_LATE, ctx -> { }),
        flow("top", Phase.FLOW_CREATE, 0),
        Change.update(EntityType.REALM, "test", List.of(), Phase.REALM_EARLY, ctx -> { })), List.of());
    assertThat(plan.changes()).extracting(Change::describe).containsExactly("~ realm \"test\"", "+ flow \"top\"",
        "+ flow \"child\"", "+ flow \"grandchild\"", "~ realm \"test\"", "- flow \"old\"");
    assertThat(plan.changes().get(0).phase()).isEqualTo(Phase.REALM_EARLY);
  }
}
