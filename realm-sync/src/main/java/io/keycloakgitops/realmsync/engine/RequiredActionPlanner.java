package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * Required actions by alias. One that is not registered yet is registered (by provider id), then given the file's
 * settings; none is ever unregistered.
 */
final class RequiredActionPlanner {
  private final PlanContext plan;

  RequiredActionPlanner(PlanContext plan) {
    this.plan = plan;
  }

  void plan() {
    if (plan.desired().requiredActions == null) {
      return;
    }
    var current = PlanContext.orEmpty(plan.live().requiredActions);
    plan.desired().requiredActions.forEach((alias, action) -> {
      ObjectNode existing = current.get(alias);
      String path = "/authentication/required-actions/" + Paths.segment(alias);
      if (existing == null) {
        var registration = Json.object();
        registration.put("providerId", orAlias(action, "providerId", alias));
        registration.put("name", orAlias(action, "name", alias));
        var body = Representations.merged(null, action, Set.of(), Set.of());
        plan.add(Change.create(EntityType.REQUIRED_ACTION, alias, Phase.REQUIRED_ACTION, ctx -> {
          ctx.api().post("/authentication/register-required-action", registration);
          var registered = (ObjectNode) ctx.api().get(path);
          ctx.api().put(path, Representations.merged(registered, body, Set.of(), Set.of()));
        }));
        return;
      }
      var fields = plan.diff(action, existing, EntityType.REQUIRED_ACTION, alias, Set.of());
      if (!fields.isEmpty()) {
        var body = Representations.merged(existing, action, Set.of(), Set.of());
        plan.add(Change.update(EntityType.REQUIRED_ACTION, alias, fields, Phase.REQUIRED_ACTION,
            ctx -> ctx.api().put(path, body)));
      }
    });
  }

  private static String orAlias(ObjectNode action, String field, String alias) {
    String value = Json.text(action, field);
    return value == null ? alias : value;
  }
}
