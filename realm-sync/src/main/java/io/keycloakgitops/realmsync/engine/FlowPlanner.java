package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Authentication flows, their executions and authenticator configs. Flows are edited in place — executions added,
 * removed, or given a new requirement or priority — never deleted and recreated, so logins in progress keep
 * working; a flow still bound to the realm, a client or an identity provider is never deleted.
 */
final class FlowPlanner {
  private final PlanContext planner;
  private final RealmModel desired;
  private final RealmModel live;

  FlowPlanner(PlanContext planner) {
    this.planner = planner;
    this.desired = planner.desired();
    this.live = planner.live();
  }

  static Set<String> topLevelAliases(Map<String, ObjectNode> flows) {
    return RealmModel.topLevelFlowAliases(flows);
  }

  void plan() {
    if (desired.flows != null) {
      var liveFlows = PlanContext.orEmpty(live.flows);
      var topLevel = topLevelAliases(desired.flows);
      depths(topLevel).forEach((alias, depth) -> planFlow(alias, desired.flows.get(alias), liveFlows.get(alias),
          topLevel.contains(alias), depth));
      liveFlows.forEach((alias, flow) -> {
        if (!desired.flows.containsKey(alias) && Json.bool(flow, "topLevel")
            && planner.mayDelete(EntityType.FLOW, alias, flow)) {
          planDeletion(alias, flow);
        }
      });
    }
    planConfigs();
  }

  /** Parents before children: breadth first from the top-level flows. */
  private Map<String, Integer> depths(Set<String> topLevel) {
    var depths = new LinkedHashMap<String, Integer>();
    var queue = new ArrayDeque<String>(topLevel);
    topLevel.forEach(alias -> depths.put(alias, 0));
    while (!queue.isEmpty()) {
      String alias = queue.poll();
      for (ObjectNode execution : Json.objects(desired.flows.get(alias).get("authenticationExecutions"))) {
        String child = Json.text(execution, "flowAlias");
        if (child != null && desired.flows.containsKey(child) && !depths.containsKey(child)) {
          depths.put(child, depths.get(alias) + 1);
          queue.add(child);
        }
      }
    }
    desired.flows.keySet().forEach(alias -> depths.putIfAbsent(alias, 0));
    return depths;
  }

  private void planFlow(String alias, ObjectNode flow, ObjectNode current, boolean topLevel, int depth) {
    List<ObjectNode> wanted = Json.objects(flow.get("authenticationExecutions"));
    if (current == null) {
      var body = Representations.only(flow, "alias", "description", "providerId");
      body.put("topLevel", true);
      body.put("builtIn", false);
      if (!body.has("providerId")) {
        body.put("providerId", "basic-flow");
      }
      var steps = executionSteps(alias, wanted);
      // A new sub-flow is created by its parent's execution; a new top-level flow by a POST of its own.
      planner.add(Change.create(EntityType.FLOW, alias, topLevel ? Phase.FLOW_CREATE : Phase.FLOW_EXECUTIONS, ctx -> {
        if (topLevel) {
          ctx.remember(EntityType.FLOW, alias, ctx.api().post("/authentication/flows", body));
        }
        steps.forEach(step -> step.run(ctx));
      }).atLevel(depth));
      return;
    }
    var fields = planner.diff(flow, current, EntityType.FLOW, alias, Set.of("authenticationExecutions", "providerId"));
    if (!fields.isEmpty()) {
      var body = Representations.merged(current, flow, Set.of("authenticationExecutions"), Set.of());
      planner.add(Change.update(EntityType.FLOW, alias, fields, Phase.FLOW_EXECUTIONS,
          ctx -> ctx.api().put("/authentication/flows/" + Json.text(current, "id"), body)).atLevel(depth));
    }
    if (flow.has("authenticationExecutions")) {
      List<ObjectNode> existing = Json.objects(current.get("authenticationExecutions"));
      var summary = new ArrayList<FieldChange>();
      var steps = executionDiff(alias, wanted, existing, summary, Json.bool(current, "builtIn"));
      if (!steps.isEmpty()) {
        planner.add(Change.update(EntityType.FLOW, alias, summary, Phase.FLOW_EXECUTIONS,
            ctx -> steps.forEach(step -> step.run(ctx))).atLevel(depth));
      }
    }
  }

  private static String identity(JsonNode execution) {
    String flowAlias = Json.text(execution, "flowAlias");
    return flowAlias != null ? "flow " + flowAlias : Json.text(execution, "authenticator");
  }

  /** Pairs file executions with live ones (same authenticator or sub-flow, in order) and lists the calls. */
  private List<Change.Action> executionDiff(String alias, List<ObjectNode> wanted, List<ObjectNode> existing,
      List<FieldChange> summary, boolean builtIn) {
    var unmatched = new ArrayList<>(existing);
    var pairs = new LinkedHashMap<ObjectNode, ObjectNode>();
    var added = new ArrayList<ObjectNode>();
    for (ObjectNode execution : wanted) {
      ObjectNode match = unmatched.stream().filter(e -> identity(e).equals(identity(execution))).findFirst().orElse(null);
      if (match == null) {
        added.add(execution);
      } else {
        unmatched.remove(match);
        pairs.put(execution, match);
      }
    }
    var steps = new ArrayList<Change.Action>();
    for (ObjectNode gone : unmatched) {
      if (builtIn) {
        disableInBuiltIn(alias, gone, summary, steps);
        continue;
      }
      summary.add(new FieldChange("executions." + identity(gone), Json.NODES.textNode(Json.text(gone, "requirement")),
          null, false));
      steps.add(ctx -> ctx.api().delete("/authentication/executions/" + Json.text(gone, "id")));
    }
    pairs.forEach((execution, current) -> {
      String id = Json.text(current, "id");
      String label = "executions." + identity(execution);
      boolean requirement = differs(execution, current, "requirement");
      boolean priority = differs(execution, current, "priority");
      if (requirement || priority) {
        if (requirement) {
          summary.add(new FieldChange(label + ".requirement", current.get("requirement"), execution.get("requirement"), false));
        }
        if (priority) {
          summary.add(new FieldChange(label + ".priority", current.get("priority"), execution.get("priority"), false));
        }
        var body = Json.object();
        body.put("id", id);
        body.put("requirement", Json.text(requirement ? execution : current, "requirement"));
        JsonNode newPriority = (priority ? execution : current).get("priority");
        if (newPriority != null) {
          body.set("priority", newPriority);
        }
        steps.add(ctx -> ctx.api().put("/authentication/flows/" + Paths.segment(alias) + "/executions", body));
      }
      String config = Json.text(execution, "authenticatorConfig");
      if (config != null && !config.equals(Json.text(current, "authenticatorConfig"))) {
        summary.add(new FieldChange(label + ".authenticatorConfig", current.get("authenticatorConfig"),
            execution.get("authenticatorConfig"), false));
        steps.add(ctx -> attachConfig(ctx, id, Json.text(current, "authenticatorConfigId"), config));
      }
    });
    for (ObjectNode execution : added) {
      summary.add(new FieldChange("executions." + identity(execution), null, execution.get("requirement"), false));
    }
    steps.addAll(executionSteps(alias, added));
    return steps;
  }

  /**
   * Keycloak refuses to remove an execution from a built-in flow (an export of another version may lack one): it is
   * disabled instead, which runs the flow as the file has it, and said once in the plan.
   */
  private void disableInBuiltIn(String alias, ObjectNode gone, List<FieldChange> summary, List<Change.Action> steps) {
    planner.warn("Keycloak stores built-in flow \"" + alias + "\" with its execution " + identity(gone)
        + " (it cannot be removed): kept DISABLED");
    if ("DISABLED".equals(Json.text(gone, "requirement"))) {
      return;
    }
    summary.add(new FieldChange("executions." + identity(gone) + ".requirement", gone.get("requirement"),
        Json.NODES.textNode("DISABLED"), false));
    var body = Json.object();
    body.put("id", Json.text(gone, "id"));
    body.put("requirement", "DISABLED");
    if (gone.hasNonNull("priority")) {
      body.set("priority", gone.get("priority"));
    }
    steps.add(ctx -> ctx.api().put("/authentication/flows/" + Paths.segment(alias) + "/executions", body));
  }

  private static boolean differs(JsonNode wanted, JsonNode current, String field) {
    JsonNode value = wanted.get(field);
    return value != null && !value.isNull() && (current.get(field) == null || !Json.scalarEquals(value, current.get(field)));
  }

  /**
   * The body adding the sub-flow an execution names; {@code subFlowDef} is its declaration, if any. Keycloak stores
   * the description it is given, so a declaration without one gets "" (as the admin console sends), never "null".
   */
  static ObjectNode subFlowBody(ObjectNode execution, ObjectNode subFlowDef) {
    var body = Json.object();
    body.put("alias", Json.text(execution, "flowAlias"));
    String type = Json.text(subFlowDef, "providerId");
    body.put("type", type == null ? "basic-flow" : type);
    String description = Json.text(subFlowDef, "description");
    body.put("description", description == null ? "" : description);
    if (Json.text(execution, "authenticator") != null) {
      body.put("provider", Json.text(execution, "authenticator"));
    }
    copyPriority(execution, body);
    return body;
  }

  /** Calls adding {@code executions} to flow {@code alias}, in order. */
  private List<Change.Action> executionSteps(String alias, List<ObjectNode> executions) {
    var steps = new ArrayList<Change.Action>();
    String flowPath = "/authentication/flows/" + Paths.segment(alias) + "/executions";
    for (ObjectNode execution : executions) {
      String subFlow = Json.text(execution, "flowAlias");
      ObjectNode subFlowDef = subFlow == null || desired.flows == null ? null : desired.flows.get(subFlow);
      steps.add(ctx -> {
        String id;
        if (subFlow != null) {
          ctx.api().post(flowPath + "/flow", subFlowBody(execution, subFlowDef));
          id = subFlowExecutionId(ctx, flowPath, subFlow);
        } else {
          var body = Json.object();
          body.put("provider", Json.text(execution, "authenticator"));
          copyPriority(execution, body);
          id = ctx.api().post(flowPath + "/execution", body);
        }
        if (execution.has("requirement")) {
          var update = Json.object();
          update.put("id", id);
          update.put("requirement", Json.text(execution, "requirement"));
          copyPriority(execution, update);
          ctx.api().put(flowPath, update);
        }
        String config = Json.text(execution, "authenticatorConfig");
        if (config != null) {
          attachConfig(ctx, id, null, config);
        }
      });
    }
    return steps;
  }

  private static void copyPriority(JsonNode execution, ObjectNode body) {
    if (execution.hasNonNull("priority")) {
      body.set("priority", execution.get("priority"));
    }
  }

  private static String subFlowExecutionId(ApplyContext ctx, String flowPath, String subFlow) {
    for (JsonNode row : ctx.api().get(flowPath)) {
      if (row.path("level").asInt() == 0 && Json.bool(row, "authenticationFlow")
          && subFlow.equals(Json.text(row, "displayName"))) {
        return Json.text(row, "id");
      }
    }
    throw new IllegalStateException("sub-flow \"" + subFlow + "\" was not created");
  }

  /** Gives an execution the file's config: the existing config is rewritten, or a new one is created. */
  private void attachConfig(ApplyContext ctx, String executionId, String existingConfigId, String alias) {
    ObjectNode wanted = desired.authenticatorConfigs == null ? null : desired.authenticatorConfigs.get(alias);
    var body = Json.object();
    body.put("alias", alias);
    body.set("config", wanted == null || wanted.get("config") == null ? Json.object() : wanted.get("config").deepCopy());
    if (existingConfigId != null) {
      body.put("id", existingConfigId);
      ctx.api().put("/authentication/config/" + existingConfigId, body);
    } else {
      ctx.api().post("/authentication/executions/" + executionId + "/config", body);
    }
  }

  /** Content of configs that exist on both sides under the same alias. */
  private void planConfigs() {
    if (desired.authenticatorConfigs == null || live.authenticatorConfigs == null) {
      return;
    }
    desired.authenticatorConfigs.forEach((alias, config) -> {
      ObjectNode current = live.authenticatorConfigs.get(alias);
      if (current == null) {
        return;
      }
      var fields = planner.diff(config, current, EntityType.AUTHENTICATOR_CONFIG, alias, Set.of());
      if (!fields.isEmpty()) {
        var body = Representations.merged(current, config, Set.of(), Set.of());
        planner.add(Change.update(EntityType.AUTHENTICATOR_CONFIG, alias, fields, Phase.FLOW_EXECUTIONS,
            ctx -> ctx.api().put("/authentication/config/" + Json.text(current, "id"), body)));
      }
    });
  }

  private void planDeletion(String alias, ObjectNode flow) {
    List<String> users = bindings(alias);
    if (!users.isEmpty()) {
      planner.warn("flow \"" + alias + "\" is no longer declared but still bound (" + String.join(", ", users)
          + "): not deleted");
      return;
    }
    planner.delete(EntityType.FLOW, alias, Phase.DELETE_FLOW, "/authentication/flows/" + Json.text(flow, "id"));
  }

  /** Who still uses the flow once this plan ran: realm bindings, client overrides, identity providers. */
  private List<String> bindings(String alias) {
    var out = new ArrayList<String>();
    for (String binding : Planner.FLOW_BINDINGS) {
      JsonNode value = desired.settings.has(binding) ? desired.settings.get(binding) : live.settings.get(binding);
      if (value != null && alias.equals(value.asText())) {
        out.add("realm " + binding);
      }
    }
    Map<String, String> aliasById = new LinkedHashMap<>();
    PlanContext.orEmpty(live.flows).forEach((a, f) -> aliasById.put(Json.text(f, "id"), a));
    PlanContext.orEmpty(live.clients).forEach((clientId, client) -> {
      ObjectNode declared = desired.clients == null ? null : desired.clients.get(clientId);
      JsonNode overrides = declared != null && declared.has("authenticationFlowBindingOverrides")
          ? declared.get("authenticationFlowBindingOverrides") : client.get("authenticationFlowBindingOverrides");
      Json.fields(overrides).forEach(e -> {
        String value = e.getValue().asText();
        if (alias.equals(value) || alias.equals(aliasById.get(value))) {
          out.add("client " + clientId);
        }
      });
    });
    PlanContext.orEmpty(live.identityProviders).forEach((idpAlias, idp) -> {
      ObjectNode declared = desired.identityProviders == null ? null : desired.identityProviders.get(idpAlias);
      for (String field : List.of("firstBrokerLoginFlowAlias", "postBrokerLoginFlowAlias")) {
        JsonNode value = declared != null && declared.has(field) ? declared.get(field) : idp.get(field);
        if (value != null && alias.equals(value.asText())) {
          out.add("identity provider " + idpAlias);
        }
      }
    });
    return out;
  }
}
