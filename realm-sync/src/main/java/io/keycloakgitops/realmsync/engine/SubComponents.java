package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sub-components (LDAP mappers and the like), exact per provider type once declared. The same diff serves planning
 * (for a live parent) and converging right after a parent is created (Keycloak may have added defaults); either
 * way the changes record the hashes of the secrets they write in the apply context's state.
 */
final class SubComponents {
  private static final List<String> NESTED = List.of("subComponents");

  private SubComponents() {}

  /** The children of a component in the export shape: provider type to list. */
  static ObjectNode read(RealmApi api, String parentId) {
    var out = Json.object();
    for (JsonNode child : api.get("/components", "parent", parentId)) {
      String type = Json.text(child, "providerType");
      if (type != null) {
        out.withArray(type).add(child);
      }
    }
    return out;
  }

  static List<Change> changes(SecretPolicy secrets, String ownerKey, String parentId, JsonNode desired,
      JsonNode live) {
    var out = new ArrayList<Change>();
    for (var entry : Json.fields(desired)) {
      String providerType = entry.getKey();
      Map<String, ObjectNode> wanted = ComponentPlanner.byComponentKey(providerType, keyed(entry.getValue()));
      Map<String, ObjectNode> current = ComponentPlanner.byComponentKey(providerType, keyed(live == null ? null : live.get(providerType)));
      wanted.forEach((childKey, component) -> {
        String key = ownerKey + " > " + childKey;
        ObjectNode existing = current.get(childKey);
        if (existing == null) {
          // Exports give every component a (usually empty) subComponents map, which the admin API refuses.
          var body = Json.without(component, NESTED);
          body.put("providerType", providerType);
          body.put("parentId", parentId);
          var hashes = PlanContext.componentSecretHashes(secrets, key, component);
          out.add(Change.create(EntityType.COMPONENT, key, Phase.COMPONENT, ctx -> {
            ctx.api().post("/components", body);
            PlanContext.remember(ctx, hashes);
          }));
          return;
        }
        var fields = PlanContext.diff(secrets, component, existing, EntityType.COMPONENT, key,
            Set.of("providerType", "subComponents"));
        if (!fields.isEmpty()) {
          var body = Representations.merged(existing, component, Set.copyOf(NESTED), Set.of());
          body.put("providerType", providerType);
          body.put("parentId", parentId);
          out.add(Change.update(EntityType.COMPONENT, key, fields, Phase.COMPONENT, ctx -> {
            ctx.api().put("/components/" + Json.text(existing, "id"), body);
            PlanContext.rememberHashes(ctx, fields);
          }));
        }
      });
      current.forEach((childKey, component) -> {
        if (!wanted.containsKey(childKey)) {
          out.add(Change.delete(EntityType.COMPONENT, ownerKey + " > " + childKey, Phase.COMPONENT,
              ctx -> ctx.api().delete("/components/" + Json.text(component, "id"))));
        }
      });
    }
    return out;
  }

  private static Map<String, ObjectNode> keyed(JsonNode array) {
    var out = new java.util.LinkedHashMap<String, ObjectNode>();
    Json.objects(array).forEach(c -> out.put(Json.text(c, "name") + "\u0000" + Json.text(c, "subType"), c));
    return out;
  }
}
