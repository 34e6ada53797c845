package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/** Client scopes with their protocol mappers, and the realm's default and optional client scopes. */
final class ClientScopePlanner {
  private final PlanContext plan;
  private final RealmModel desired;
  private final RealmModel live;

  ClientScopePlanner(PlanContext plan) {
    this.plan = plan;
    this.desired = plan.desired();
    this.live = plan.live();
  }

  void plan() {
    planScopes();
    planRealmDefaults();
  }

  private void planScopes() {
    if (desired.clientScopes == null) {
      return;
    }
    var liveScopes = PlanContext.orEmpty(live.clientScopes);
    desired.clientScopes.forEach((name, scope) -> {
      ObjectNode current = liveScopes.get(name);
      if (current == null) {
        var body = scope.deepCopy();
        plan.add(Change.create(EntityType.CLIENT_SCOPE, name, Phase.SCOPE,
            ctx -> ctx.remember(EntityType.CLIENT_SCOPE, name, ctx.api().post("/client-scopes", body))));
        return;
      }
      var fields = plan.diff(scope, current, EntityType.CLIENT_SCOPE, name, Set.of("protocolMappers"));
      if (!fields.isEmpty()) {
        var body = Representations.merged(current, scope, Set.of("protocolMappers"), Set.of());
        String id = Json.text(current, "id");
        plan.add(Change.update(EntityType.CLIENT_SCOPE, name, fields, Phase.SCOPE,
            ctx -> ctx.api().put("/client-scopes/" + id, body)));
      }
      if (scope.has("protocolMappers")) {
        NamedParts.planMappers(plan, EntityType.CLIENT_SCOPE_MAPPER, name, "/client-scopes/" + Json.text(current, "id"),
            scope.get("protocolMappers"), current.get("protocolMappers"), Phase.SCOPE_PARTS);
      }
    });
    liveScopes.forEach((name, scope) -> {
      if (!desired.clientScopes.containsKey(name) && plan.mayDelete(EntityType.CLIENT_SCOPE, name, scope)) {
        plan.delete(EntityType.CLIENT_SCOPE, name, Phase.DELETE_SCOPE, "/client-scopes/" + Json.text(scope, "id"));
      }
    });
  }

  private void planRealmDefaults() {
    if (desired.defaultDefaultClientScopes == null && desired.defaultOptionalClientScopes == null) {
      return;
    }
    var sets = new ScopeSets()
        .diff("defaultDefaultClientScopes", "/default-default-client-scopes/", desired.defaultDefaultClientScopes,
            live.defaultDefaultClientScopes, Set.of())
        .diff("defaultOptionalClientScopes", "/default-optional-client-scopes/", desired.defaultOptionalClientScopes,
            live.defaultOptionalClientScopes, Set.of());
    if (!sets.isEmpty()) {
      plan.add(Change.update(EntityType.DEFAULT_CLIENT_SCOPES, plan.realm(), sets.fields(), Phase.REALM_DEFAULT_SCOPES,
          sets.apply("")));
    }
  }
}
