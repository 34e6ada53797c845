package io.keycloakgitops.realmsync.engine;

import java.util.List;

/** The groups every new user joins, by path: exact once declared. */
final class DefaultGroupsPlanner {
  private final PlanContext plan;

  DefaultGroupsPlanner(PlanContext plan) {
    this.plan = plan;
  }

  void plan() {
    if (plan.desired().defaultGroups == null) {
      return;
    }
    var want = PlanContext.set(plan.desired().defaultGroups);
    var have = PlanContext.set(plan.live().defaultGroups);
    if (want.equals(have)) {
      return;
    }
    plan.add(Change.update(EntityType.DEFAULT_GROUPS, plan.realm(),
        List.of(new FieldChange("defaultGroups", Json.array(have), Json.array(want), false)), Phase.DEFAULT_GROUPS,
        GroupPlanner.relink("/default-groups/", have, want)));
  }
}
