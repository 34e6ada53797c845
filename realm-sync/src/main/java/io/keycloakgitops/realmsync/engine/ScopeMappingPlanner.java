package io.keycloakgitops.realmsync.engine;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Role scope mappings of clients and client scopes (realm and client roles), exact per declared owner. */
final class ScopeMappingPlanner {
  private final PlanContext plan;

  ScopeMappingPlanner(PlanContext plan) {
    this.plan = plan;
  }

  void plan() {
    if (plan.desired().scopeMappings == null) {
      return;
    }
    Map<String, Set<RoleRef>> liveMappings = PlanContext.orEmpty(plan.live().scopeMappings);
    plan.desired().scopeMappings.forEach((owner, roles) -> {
      Set<RoleRef> current = liveMappings.getOrDefault(owner, Set.of());
      var diff = RoleDiff.of(roles, current, Set.of());
      if (!diff.isEmpty()) {
        plan.add(Change.update(EntityType.SCOPE_MAPPING, owner, List.of(diff.asFieldChange("roles", current)),
            Phase.SCOPE_MAPPING, ctx -> diff.applyMappings(ctx, base(ctx, owner))));
      }
    });
  }

  /** Owners are looked up at apply time: a client or scope the same plan creates has no id before. */
  private static String base(ApplyContext ctx, String owner) {
    return owner.startsWith(RealmModel.CLIENT_OWNER)
        ? "/clients/" + ctx.clientId(owner.substring(RealmModel.CLIENT_OWNER.length())) + "/scope-mappings"
        : "/client-scopes/" + ctx.scopeId(owner.substring(RealmModel.SCOPE_OWNER.length())) + "/scope-mappings";
  }
}
