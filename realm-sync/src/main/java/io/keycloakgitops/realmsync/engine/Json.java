package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** JSON helpers shared by the engine: one mapper, emptiness, scalar equality, canonical form, hashing. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  public static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** What Keycloak returns in place of a stored secret. */
  public static final String MASKED = "**********";

  private Json() {}

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  public static ArrayNode array() {
    return NODES.arrayNode();
  }

  public static ArrayNode array(Iterable<String> values) {
    var array = NODES.arrayNode();
    values.forEach(array::add);
    return array;
  }

  /** Missing, null, "", [], {} and objects/arrays made only of such values are all "nothing declared". */
  public static boolean isEmpty(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return true;
    }
    if (node.isTextual()) {
      return node.textValue().isEmpty();
    }
    if (node.isContainerNode()) {
      for (JsonNode child : node) {
        if (!isEmpty(child)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  /**
   * Scalar equality that tolerates the type drift between files and Keycloak: attribute maps are strings on the
   * server, so "true" equals true and "300" equals 300; numbers compare by value.
   */
  public static boolean scalarEquals(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.getNodeType() == b.getNodeType()) {
      return a.equals(b);
    }
    return a.isValueNode() && b.isValueNode() && a.asText().equals(b.asText());
  }

  public static boolean isMasked(JsonNode node) {
    return node != null && node.isTextual() && MASKED.equals(node.textValue());
  }

  public static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  public static boolean bool(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value != null && value.asBoolean(false);
  }

  public static List<String> strings(JsonNode array) {
    var out = new ArrayList<String>();
    if (array != null && array.isArray()) {
      array.forEach(item -> out.add(item.asText()));
    }
    return out;
  }

  public static List<ObjectNode> objects(JsonNode array) {
    var out = new ArrayList<ObjectNode>();
    if (array != null && array.isArray()) {
      array.forEach(item -> {
        if (item.isObject()) {
          out.add((ObjectNode) item);
        }
      });
    }
    return out;
  }

  /** Keys sorted recursively, so equal content always serialises to the same bytes (export, hashing). */
  public static JsonNode canonical(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (node.isObject()) {
      var sorted = new TreeMap<String, JsonNode>();
      node.properties().forEach(e -> sorted.put(e.getKey(), canonical(e.getValue())));
      var out = object();
      sorted.forEach(out::set);
      return out;
    }
    if (node.isArray()) {
      var out = array();
      node.forEach(item -> out.add(canonical(item)));
      return out;
    }
    return node;
  }

  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String writePretty(JsonNode node) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static JsonNode read(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
    }
  }

  public static String sha256(String value) {
    try {
      var digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A shallow copy of {@code node} without the named fields. */
  public static ObjectNode without(ObjectNode node, java.util.Collection<String> fields) {
    var copy = node.deepCopy();
    copy.remove(fields);
    return copy;
  }

  public static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode node) {
    return node == null ? List.of() : () -> {
      Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
      return it;
    };
  }
}
