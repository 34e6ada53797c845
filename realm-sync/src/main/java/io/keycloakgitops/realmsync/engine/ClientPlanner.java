package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Clients: their settings, protocol mappers, default and optional client scopes, flow overrides and authorization
 * settings. New clients without a service account or authorization settings can go into a partialImport.
 */
final class ClientPlanner {
  static final String OVERRIDES = "authenticationFlowBindingOverrides";
  static final Set<String> SUBPARTS = Set.of("protocolMappers", "defaultClientScopes", "optionalClientScopes",
      "authorizationSettings");
  /** Scopes Keycloak adds to clients by itself (service accounts get service_account). */
  static final Set<String> SERVER_MANAGED_SCOPES = Set.of("service_account");

  private final PlanContext plan;
  private final RealmModel desired;
  private final RealmModel live;

  ClientPlanner(PlanContext plan) {
    this.plan = plan;
    this.desired = plan.desired();
    this.live = plan.live();
  }

  void plan() {
    if (desired.clients == null) {
      return;
    }
    var liveClients = PlanContext.orEmpty(live.clients);
    desired.clients.forEach((clientId, client) -> {
      ObjectNode wanted = withFlowAliases(client);
      ObjectNode current = liveClients.get(clientId);
      if (current == null) {
        planCreation(clientId, wanted);
      } else {
        planUpdate(clientId, wanted, current);
      }
    });
    liveClients.forEach((clientId, client) -> {
      if (!desired.clients.containsKey(clientId) && plan.mayDelete(EntityType.CLIENT, clientId, client)) {
        plan.delete(EntityType.CLIENT, clientId, Phase.DELETE_CLIENT, "/clients/" + Json.text(client, "id"));
      }
    });
  }

  private void planUpdate(String clientId, ObjectNode wanted, ObjectNode current) {
    String id = Json.text(current, "id");
    var fields = plan.diff(wanted, current, EntityType.CLIENT, clientId, SUBPARTS, OVERRIDES);
    if (!fields.isEmpty()) {
      var body = withRemovedOverrides(Representations.merged(current, wanted, SUBPARTS, Set.of(OVERRIDES)),
          current, wanted);
      plan.add(Change.update(EntityType.CLIENT, clientId, fields, Phase.CLIENT, ctx -> {
        ctx.api().put("/clients/" + id, withFlowIds(ctx, body));
        PlanContext.rememberHashes(ctx, fields);
      }));
    }
    if (wanted.has("protocolMappers")) {
      NamedParts.planMappers(plan, EntityType.CLIENT_MAPPER, clientId, "/clients/" + id, wanted.get("protocolMappers"),
          current.get("protocolMappers"), Phase.CLIENT_PARTS);
    }
    var scopes = new ScopeSets()
        .diff("defaultClientScopes", "/default-client-scopes/", stringsOrNull(wanted, "defaultClientScopes"),
            Json.strings(current.get("defaultClientScopes")), SERVER_MANAGED_SCOPES)
        .diff("optionalClientScopes", "/optional-client-scopes/", stringsOrNull(wanted, "optionalClientScopes"),
            Json.strings(current.get("optionalClientScopes")), SERVER_MANAGED_SCOPES);
    if (!scopes.isEmpty()) {
      plan.add(Change.update(EntityType.CLIENT, clientId, scopes.fields(), Phase.CLIENT_PARTS,
          scopes.apply("/clients/" + id)));
    }
    if (wanted.has("authorizationSettings")) {
      new AuthorizationPlanner(plan).plan(clientId, id, wanted.get("authorizationSettings"),
          current.get("authorizationSettings"));
    }
  }

  private void planCreation(String clientId, ObjectNode client) {
    var body = client.deepCopy();
    if (body.remove("authorizationSettings") instanceof ObjectNode settings) {
      // Policies name roles, groups and users: imported once those exist (the client POST would drop them).
      plan.add(Change.followUp(EntityType.AUTHORIZATION, clientId, Phase.AUTHORIZATION, ctx -> ctx.api().post(
          "/clients/" + ctx.clientId(clientId) + "/authz/resource-server/import", settings)));
    }
    var change = Change.create(EntityType.CLIENT, clientId, Phase.CLIENT, ctx -> {
      String id = ctx.api().post("/clients", withFlowIds(ctx, body));
      ctx.remember(EntityType.CLIENT, clientId, id);
    });
    boolean bulkable = !Json.bool(client, "serviceAccountsEnabled") && !client.has("authorizationSettings")
        && Json.isEmpty(client.get(OVERRIDES));
    // partialImport does not create service-account users, so such clients go one by one.
    plan.add(bulkable ? change.withBulk(new Change.BulkItem("clients", null, body)) : change);
  }

  /**
   * Flow overrides are exact once declared; Keycloak keeps an override the body leaves out and removes one sent
   * empty, so dropped bindings go out as "".
   */
  private static ObjectNode withRemovedOverrides(ObjectNode body, ObjectNode current, ObjectNode wanted) {
    if (wanted.has(OVERRIDES) && current.get(OVERRIDES) instanceof ObjectNode liveOverrides) {
      var overrides = body.with(OVERRIDES);
      liveOverrides.properties().forEach(e -> {
        if (!wanted.get(OVERRIDES).has(e.getKey())) {
          overrides.put(e.getKey(), "");
        }
      });
    }
    return body;
  }

  /** Files name override flows by alias; ids of live flows are accepted too. */
  private ObjectNode withFlowAliases(ObjectNode client) {
    JsonNode overrides = client.get(OVERRIDES);
    if (overrides == null || !overrides.isObject() || live.flows == null) {
      return client;
    }
    Map<String, String> aliasById = new HashMap<>();
    live.flows.forEach((alias, flow) -> aliasById.put(Json.text(flow, "id"), alias));
    var copy = client.deepCopy();
    var translated = copy.putObject(OVERRIDES);
    overrides.properties().forEach(e -> translated.put(e.getKey(),
        aliasById.getOrDefault(e.getValue().asText(), e.getValue().asText())));
    return copy;
  }

  private static ObjectNode withFlowIds(ApplyContext ctx, ObjectNode client) {
    JsonNode overrides = client.get(OVERRIDES);
    if (overrides == null || !overrides.isObject() || overrides.isEmpty()) {
      return client;
    }
    var body = client.deepCopy();
    var ids = body.putObject(OVERRIDES);
    overrides.properties().forEach(e -> ids.put(e.getKey(),
        e.getValue().asText().isEmpty() ? "" : ctx.flowId(e.getValue().asText())));
    return body;
  }

  private static List<String> stringsOrNull(JsonNode node, String field) {
    return node.has(field) ? Json.strings(node.get(field)) : null;
  }
}
