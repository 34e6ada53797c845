package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;

/**
 * A client's authorization settings (resources, scopes, policies and permissions, keyed by name). Any difference is
 * sent as one {@code import} of the declared settings, which creates or updates by name; items the file no longer
 * lists are then deleted one by one.
 */
final class AuthorizationPlanner {
  private static final String[][] SECTIONS = {{"resources", "resource"}, {"policies", "policy"}, {"scopes", "scope"}};
  private static final Set<String> SERVER_FIELDS = Set.of("id", "clientId", "name", "resources", "policies", "scopes");

  private final PlanContext planner;

  AuthorizationPlanner(PlanContext planner) {
    this.planner = planner;
  }

  void plan(String clientId, String clientUuid, JsonNode desired, JsonNode live) {
    if (desired == null || !desired.isObject()) {
      return;
    }
    var fields = new ArrayList<FieldChange>(planner.diff((ObjectNode) desired, asObject(live), EntityType.AUTHORIZATION,
        clientId, SERVER_FIELDS));
    var removals = new ArrayList<String[]>();
    for (String[] section : SECTIONS) {
      if (!desired.has(section[0])) {
        continue;
      }
      Map<String, ObjectNode> wanted = PlanContext.keyedByName(desired.get(section[0]));
      Map<String, ObjectNode> current = PlanContext.keyedByName(live == null ? null : live.get(section[0]));
      wanted.forEach((name, item) -> {
        if (!current.containsKey(name)) {
          fields.add(new FieldChange(section[0] + "." + name, null, Json.NODES.textNode("(new)"), false));
          return;
        }
        planner.diff(withSortedConfigLists(item), withSortedConfigLists(current.get(name)), EntityType.AUTHORIZATION,
                clientId + "/" + name, Set.of())
            .forEach(f -> fields.add(new FieldChange(section[0] + "." + name + "." + f.path(), f.before(), f.after(),
                f.sensitive())));
      });
      current.keySet().stream().filter(name -> !wanted.containsKey(name)).forEach(name -> {
        fields.add(new FieldChange(section[0] + "." + name, Json.NODES.textNode("(exists)"), null, false));
        removals.add(new String[] {section[1], name});
      });
    }
    if (fields.isEmpty()) {
      return;
    }
    var body = desired.deepCopy();
    String base = "/clients/" + clientUuid + "/authz/resource-server";
    planner.add(Change.update(EntityType.AUTHORIZATION, clientId, fields, Phase.AUTHORIZATION, ctx -> {
      ctx.api().post(base + "/import", body);
      for (String[] removal : removals) {
        for (JsonNode item : ctx.api().get(base + "/" + removal[0], "name", removal[1])) {
          if (removal[1].equals(Json.text(item, "name"))) {
            String id = Json.text(item, "id") == null ? Json.text(item, "_id") : Json.text(item, "id");
            ctx.api().delete(base + "/" + removal[0] + "/" + id);
          }
        }
      }
    }));
  }

  /**
   * Policies keep lists (applyPolicies, resources, scopes) as JSON text in their config, in no stable order: compared
   * as sets, the text is sorted on both sides.
   */
  static ObjectNode withSortedConfigLists(ObjectNode item) {
    if (!(item.get("config") instanceof ObjectNode config)) {
      return item;
    }
    var copy = item.deepCopy();
    var sorted = copy.putObject("config");
    config.properties().forEach(e -> sorted.set(e.getKey(), sortedList(e.getValue())));
    return copy;
  }

  private static JsonNode sortedList(JsonNode value) {
    String text = value.isTextual() ? value.asText().strip() : "";
    if (!text.startsWith("[")) {
      return value;
    }
    try {
      JsonNode list = Json.read(text);
      var items = new java.util.ArrayList<String>();
      list.forEach(v -> items.add(Json.write(Json.canonical(v))));
      java.util.Collections.sort(items);
      return Json.NODES.textNode("[" + String.join(",", items) + "]");
    } catch (RuntimeException e) {
      return value;
    }
  }

  private static ObjectNode asObject(JsonNode node) {
    return node instanceof ObjectNode object ? object : Json.object();
  }
}
