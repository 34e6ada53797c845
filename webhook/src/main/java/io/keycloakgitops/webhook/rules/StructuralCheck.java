package io.keycloakgitops.webhook.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A yes-or-unsure check of an object against a converted CRD schema ({@link CrdSchema#toJsonSchema}), run before
 * networknt: it walks the object's fields (networknt walks every property of the schema, for every object, which
 * made the CRD schema a third of a request's CPU) and says only whether the object is certainly valid. Anything
 * else, an error or a value it does not judge as networknt would (a float for an integer, null), goes to networknt,
 * which reports every error; so a verdict never depends on this class, only the cost of a valid object does.
 */
final class StructuralCheck {
  private static final int OBJECT = 1;
  private static final int ARRAY = 2;
  private static final int STRING = 4;
  private static final int BOOLEAN = 8;
  private static final int INTEGER = 16;
  private static final int NUMBER = 32;
  private static final int ANY = -1;

  private int types = ANY;
  private Map<String, StructuralCheck> properties = Map.of();
  /** Fields not in {@link #properties}: forbidden ({@code additionalProperties: false}), or checked when not null. */
  private boolean closed;
  private StructuralCheck additional;
  private StructuralCheck items;
  private List<String> required = List.of();
  private BigDecimal minimum;
  private BigDecimal maximum;
  private Pattern pattern;

  private StructuralCheck() {}

  /** The check of a draft-4 schema; null when the schema uses a keyword or form this class does not judge. */
  static StructuralCheck compile(JsonNode schema) {
    if (!schema.isObject()) {
      return null;
    }
    var check = new StructuralCheck();
    for (Map.Entry<String, JsonNode> keyword : schema.properties()) {
      JsonNode value = keyword.getValue();
      boolean known = switch (keyword.getKey()) {
        case "type" -> (check.types = types(value)) != 0;
        case "properties" -> (check.properties = properties(value)) != null;
        case "additionalProperties" -> {
          check.closed = value.isBoolean() && !value.booleanValue();
          check.additional = value.isBoolean() ? null : compile(value);
          yield value.isBoolean() || check.additional != null;
        }
        case "items" -> (check.items = compile(value)) != null;
        case "required" -> (check.required = strings(value)) != null;
        case "minimum" -> value.isNumber() && (check.minimum = value.decimalValue()) != null;
        case "maximum" -> value.isNumber() && (check.maximum = value.decimalValue()) != null;
        case "pattern" -> value.isTextual() && (check.pattern = Pattern.compile(value.textValue())) != null;
        default -> false;
      };
      if (!known) {
        return null;
      }
    }
    return check;
  }

  /** True only when the schema certainly holds for {@code node}. */
  boolean accepts(JsonNode node) {
    if (node.isObject()) {
      return (types & OBJECT) != 0 && acceptsFields(node);
    }
    if (node.isArray()) {
      if ((types & ARRAY) == 0) {
        return false;
      }
      if (items != null) {
        for (JsonNode item : node) {
          if (!items.accepts(item)) {
            return false;
          }
        }
      }
      return true;
    }
    if (node.isTextual()) {
      return (types & STRING) != 0 && (pattern == null || pattern.matcher(node.textValue()).find());
    }
    if (node.isBoolean()) {
      return (types & BOOLEAN) != 0;
    }
    if (node.isIntegralNumber()) {
      return (types & (INTEGER | NUMBER)) != 0 && inBounds(node);
    }
    if (node.isNumber()) {
      return (types & NUMBER) != 0 && inBounds(node);
    }
    return types == ANY; // null: only a schema without a type takes it
  }

  private boolean acceptsFields(JsonNode node) {
    for (String field : required) {
      if (node.get(field) == null) {
        return false;
      }
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      StructuralCheck check = properties.get(field.getKey());
      if (check == null && closed) {
        return false;
      }
      check = check == null ? additional : check;
      if (check != null && !check.accepts(field.getValue())) {
        return false;
      }
    }
    return true;
  }

  private boolean inBounds(JsonNode number) {
    if (minimum == null && maximum == null) {
      return true;
    }
    BigDecimal value = number.decimalValue();
    return (minimum == null || value.compareTo(minimum) >= 0) && (maximum == null || value.compareTo(maximum) <= 0);
  }

  private static int types(JsonNode type) {
    if (type.isTextual()) {
      return type(type.textValue());
    }
    int all = 0;
    for (JsonNode one : type) {
      int bit = one.isTextual() ? type(one.textValue()) : 0;
      if (bit == 0) {
        return 0;
      }
      all |= bit;
    }
    return all;
  }

  private static int type(String name) {
    return switch (name) {
      case "object" -> OBJECT;
      case "array" -> ARRAY;
      case "string" -> STRING;
      case "boolean" -> BOOLEAN;
      case "integer" -> INTEGER;
      case "number" -> NUMBER;
      default -> 0;
    };
  }

  private static Map<String, StructuralCheck> properties(JsonNode properties) {
    var checks = new HashMap<String, StructuralCheck>();
    for (Map.Entry<String, JsonNode> property : properties.properties()) {
      StructuralCheck check = compile(property.getValue());
      if (check == null) {
        return null;
      }
      checks.put(property.getKey(), check);
    }
    return checks;
  }

  private static List<String> strings(JsonNode array) {
    if (!array.isArray()) {
      return null;
    }
    var strings = new ArrayList<String>();
    for (JsonNode item : array) {
      if (!item.isTextual()) {
        return null;
      }
      strings.add(item.textValue());
    }
    return strings;
  }
}
