package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Realm components (keys, user storage, client registration policies, ...) by provider type and name, with their
 * sub-components (see {@link SubComponents}).
 */
final class ComponentPlanner {
  private final PlanContext plan;
  private final RealmModel desired;
  private final RealmModel live;

  ComponentPlanner(PlanContext plan) {
    this.plan = plan;
    this.desired = plan.desired();
    this.live = plan.live();
  }

  void plan() {
    if (desired.components == null) {
      return;
    }
    var liveComponents = PlanContext.orEmpty(live.components);
    desired.components.forEach((providerType, byName) -> {
      var current = byComponentKey(providerType, liveComponents.get(providerType));
      var wanted = byComponentKey(providerType, byName);
      wanted.forEach((key, component) -> {
        ObjectNode existing = current.get(key);
        if (existing == null) {
          planCreation(providerType, key, component);
          return;
        }
        String id = Json.text(existing, "id");
        var fields = plan.diff(component, existing, EntityType.COMPONENT, key, Set.of("subComponents", "providerType"));
        if (!fields.isEmpty()) {
          var body = Representations.merged(existing, component, Set.of("subComponents"), Set.of());
          body.put("providerType", providerType);
          plan.add(Change.update(EntityType.COMPONENT, key, fields, Phase.COMPONENT, ctx -> {
            ctx.api().put("/components/" + id, body);
            PlanContext.rememberHashes(ctx, fields);
          }));
        }
        if (component.has("subComponents")) {
          SubComponents.changes(plan.secrets(), key, id, component.get("subComponents"), existing.get("subComponents"))
              .forEach(plan::add);
        }
      });
      current.forEach((key, component) -> {
        if (!wanted.containsKey(key) && plan.mayDelete(EntityType.COMPONENT, key, component)) {
          plan.delete(EntityType.COMPONENT, key, Phase.DELETE_COMPONENT, "/components/" + Json.text(component, "id"));
        }
      });
    });
  }

  private void planCreation(String providerType, String key, ObjectNode component) {
    var hashes = PlanContext.componentSecretHashes(plan.secrets(), key, component);
    var body = Json.without(component, List.of("subComponents"));
    body.put("providerType", providerType);
    body.put("parentId", live.id);
    JsonNode subComponents = component.get("subComponents");
    SecretPolicy secrets = plan.secrets();
    plan.add(Change.create(EntityType.COMPONENT, key, Phase.COMPONENT, ctx -> {
      String id = ctx.api().post("/components", body);
      PlanContext.remember(ctx, hashes);
      if (subComponents != null) {
        // Providers such as LDAP create default sub-components: read them, then converge.
        var created = SubComponents.read(ctx.api(), id);
        SubComponents.changes(secrets, key, id, subComponents, created).forEach(change -> change.action().run(ctx));
      }
    }));
  }

  static Map<String, ObjectNode> byComponentKey(String providerType, Map<String, ObjectNode> byName) {
    var out = new LinkedHashMap<String, ObjectNode>();
    if (byName != null) {
      byName.values().forEach(c -> out.put(Representations.componentKey(providerType, c), c));
    }
    return out;
  }
}
