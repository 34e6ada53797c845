package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Realm roles and client roles, with their composites (set once every role exists). */
final class RolePlanner {
  private final PlanContext plan;
  private final RealmModel desired;
  private final RealmModel live;

  RolePlanner(PlanContext plan) {
    this.plan = plan;
    this.desired = plan.desired();
    this.live = plan.live();
  }

  void plan() {
    if (desired.realmRoles != null) {
      planRoles(EntityType.ROLE, null, desired.realmRoles, PlanContext.orEmpty(live.realmRoles), Phase.DELETE_ROLE);
    }
    if (desired.clientRoles != null) {
      var liveByClient = PlanContext.orEmpty(live.clientRoles);
      desired.clientRoles.forEach((clientId, roles) -> planRoles(EntityType.CLIENT_ROLE, clientId,
          roles == null ? Map.of() : roles, PlanContext.orEmpty(liveByClient.get(clientId)), Phase.DELETE_CLIENT_ROLE));
    }
  }

  private void planRoles(EntityType type, String clientId, Map<String, ObjectNode> wanted,
      Map<String, ObjectNode> current, Phase deletePhase) {
    wanted.forEach((name, role) -> {
      String key = clientId == null ? name : clientId + "/" + name;
      Set<RoleRef> composites = declaredComposites(role);
      ObjectNode existing = current.get(name);
      if (existing == null) {
        planCreation(type, clientId, name, key, role, composites);
        return;
      }
      String id = Json.text(existing, "id");
      var fields = plan.diff(role, existing, type, key, Set.of("composites", "name"), "attributes");
      if (!fields.isEmpty()) {
        var body = Representations.merged(existing, role, Set.of("composites", "composite"), Set.of("attributes"));
        plan.add(Change.update(type, key, fields, Phase.ROLE, ctx -> ctx.api().put("/roles-by-id/" + id, body)));
      }
      if (composites != null) {
        Set<RoleRef> liveComposites = RoleRef.read(existing.get("composites"), "realm", "client");
        var diff = RoleDiff.of(composites, liveComposites, Set.of());
        if (!diff.isEmpty()) {
          plan.add(Change.update(type, key, List.of(diff.asFieldChange("composites", liveComposites)),
              Phase.COMPOSITES, ctx -> diff.applyComposites(ctx, "/roles-by-id/" + id + "/composites")));
        }
      }
    });
    current.forEach((name, role) -> {
      String key = clientId == null ? name : clientId + "/" + name;
      if (!wanted.containsKey(name) && plan.mayDelete(type, key, role)) {
        plan.delete(type, key, deletePhase, "/roles-by-id/" + Json.text(role, "id"));
      }
    });
  }

  private void planCreation(EntityType type, String clientId, String name, String key, ObjectNode role,
      Set<RoleRef> composites) {
    var body = Json.without(role, List.of("composites", "composite"));
    if (clientId != null && BuiltIns.SERVER_MADE_CLIENT_ROLES.contains(name)) {
      plan.add(Change.create(type, key, Phase.ROLE, ctx -> createOrUpdateServerMadeRole(ctx, clientId, name, body)));
    } else {
      var change = Change.create(type, key, Phase.ROLE, ctx -> ctx.api().post(rolesPath(ctx, clientId), body));
      plan.add(change.withBulk(
          new Change.BulkItem(clientId == null ? "realmRoles" : "clientRoles", clientId, role.deepCopy())));
    }
    if (composites != null && !composites.isEmpty()) {
      var diff = RoleDiff.of(composites, Set.of(), Set.of());
      plan.add(Change.followUp(type, key, Phase.COMPOSITES,
          ctx -> diff.applyComposites(ctx, "/roles-by-id/" + ctx.role(new RoleRef(clientId, name)).get("id").asText()
              + "/composites")));
    }
  }

  /** A role Keycloak may have made with its client (uma_protection, with authorization services) is updated. */
  private static void createOrUpdateServerMadeRole(ApplyContext ctx, String clientId, String name, ObjectNode body) {
    String path = rolesPath(ctx, clientId);
    if (ctx.api().find(path + "/" + Paths.segment(name)).isPresent()) {
      ctx.api().put(path + "/" + Paths.segment(name), body);
    } else {
      ctx.api().post(path, body);
    }
  }

  private static String rolesPath(ApplyContext ctx, String clientId) {
    return clientId == null ? "/roles" : "/clients/" + ctx.clientId(clientId) + "/roles";
  }

  /** Composites are managed when listed, or when the role says it is not composite (then: none). */
  private static Set<RoleRef> declaredComposites(JsonNode role) {
    if (role.has("composites")) {
      return RoleRef.read(role.get("composites"), "realm", "client");
    }
    if (role.has("composite") && !role.get("composite").asBoolean()) {
      return Set.of();
    }
    return null;
  }
}
