package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/** Shapes representations for the admin API: ids out of files, full bodies for PUTs that replace. */
public final class Representations {
  /** Server-assigned identifiers: a file carrying them (as exports do) must not pin them. */
  static final Set<String> IDS = Set.of("id", "_id", "containerId", "internalId", "parentId", "flowId");
  /** Read-only decorations of GET responses that PUT bodies must not echo. */
  static final Set<String> READ_ONLY = Set.of("access", "userProfileMetadata", "subGroupCount", "createdTimestamp",
      "disableableCredentialTypes", "totp", "types", "requirementChoices", "configurable");

  private Representations() {}

  /** Removes server ids everywhere except inside data maps (where "id" is just a key). */
  public static JsonNode stripIds(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.remove(IDS);
      object.properties().forEach(e -> {
        if (!Compare.DATA_MAPS.contains(e.getKey())) {
          stripIds(e.getValue());
        }
      });
    } else if (node instanceof ArrayNode array) {
      array.forEach(Representations::stripIds);
    }
    return node;
  }

  /** A masked value: {@code **********}, or a one-element list of it (component config). */
  public static boolean masked(JsonNode value) {
    return Json.isMasked(value) || value != null && value.isArray() && value.size() == 1 && Json.isMasked(value.get(0));
  }

  /**
   * The body for a PUT that replaces the object: the live object with the file's fields laid over it. Data maps
   * ({@code attributes}, {@code config}) are merged key by key unless listed in {@code exactMaps}; masked values in
   * the file keep what the server has.
   */
  public static ObjectNode merged(ObjectNode live, ObjectNode desired, Set<String> exclude, Set<String> exactMaps) {
    var body = live == null ? Json.object() : live.deepCopy();
    body.remove(exclude);
    body.remove(READ_ONLY);
    for (var entry : Json.fields(desired)) {
      String name = entry.getKey();
      JsonNode value = entry.getValue();
      if (exclude.contains(name) || value.isNull() || masked(value) || IDS.contains(name)) {
        continue;
      }
      JsonNode existing = body.get(name);
      if (value.isObject() && existing != null && existing.isObject() && Compare.DATA_MAPS.contains(name)
          && !exactMaps.contains(name)) {
        var map = ((ObjectNode) existing).deepCopy();
        value.properties().forEach(e -> {
          if (!masked(e.getValue())) {
            map.set(e.getKey(), e.getValue().deepCopy());
          }
        });
        body.set(name, map);
      } else {
        body.set(name, value.deepCopy());
      }
    }
    return body;
  }

  /** Component names repeat across sub-types (two "Allowed Client Scopes"), so the sub-type is part of the key. */
  public static String componentName(JsonNode component) {
    String subType = Json.text(component, "subType");
    return Json.text(component, "name") + (subType == null ? "" : " (" + subType + ")");
  }

  public static String componentKey(String providerType, JsonNode component) {
    return providerType + "/" + componentName(component);
  }

  /** A copy of {@code node} keeping only the named fields. */
  public static ObjectNode only(JsonNode node, String... fields) {
    var out = Json.object();
    for (String field : fields) {
      if (node != null && node.has(field)) {
        out.set(field, node.get(field).deepCopy());
      }
    }
    return out;
  }
}
