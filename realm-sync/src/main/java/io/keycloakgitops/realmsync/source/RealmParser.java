package io.keycloakgitops.realmsync.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.schemas.Schemas;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a realm file (JSON or YAML) and validates it against the realm JSON Schema, reporting problems as
 * {@code file:line: message} so they can be fixed in the editor.
 */
public final class RealmParser {
  private static final JsonFactory JSON = new JsonFactory();
  private static final YAMLFactory YAML = new YAMLFactory();
  private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
      .getSchema(Schemas.realmSchema());
  private static final int MAX_ERRORS = 5;

  private RealmParser() {}

  /** The parsed realm, or a {@link RealmFileException} with every location found wrong (up to five). */
  public static ObjectNode parse(RealmDocument doc) {
    JsonNode node;
    Map<String, Integer> lines;
    try {
      JsonFactory factory = doc.isYaml() ? YAML : JSON;
      try (JsonParser parser = factory.createParser(doc.content())) {
        node = Json.MAPPER.readTree(parser);
      }
      lines = lineMap(factory, doc.content());
    } catch (JsonProcessingException e) {
      var location = e.getLocation();
      throw new RealmFileException(doc.path() + (location == null ? "" : ":" + location.getLineNr())
          + ": malformed " + (doc.isYaml() ? "YAML" : "JSON") + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new RealmFileException(doc.path() + ": unreadable: " + e.getMessage());
    }
    if (node == null || !node.isObject()) {
      throw new RealmFileException(doc.path() + ":1: a realm file must hold one JSON object");
    }
    List<ValidationMessage> errors = SCHEMA.validate(node).stream()
        .sorted(Comparator.comparing(m -> lines.getOrDefault(pointer(m.getInstanceLocation()), 0))).toList();
    if (!errors.isEmpty()) {
      var message = new StringBuilder();
      errors.stream().limit(MAX_ERRORS).forEach(error -> message.append(message.isEmpty() ? "" : "\n")
          .append(doc.path()).append(':').append(line(lines, error.getInstanceLocation())).append(": ")
          .append(error.getMessage()));
      if (errors.size() > MAX_ERRORS) {
        message.append("\n(").append(errors.size() - MAX_ERRORS).append(" more schema errors)");
      }
      throw new RealmFileException(message.toString());
    }
    if (node.hasNonNull("clientTemplates")) {
      // Keycloak's import turns them into client scopes in ways a plan could not show: refused with the replacement.
      throw new RealmFileException(doc.path() + ":" + lines.getOrDefault("/clientTemplates", 1)
          + ": \"clientTemplates\" were replaced by client scopes in Keycloak 4: declare them under \"clientScopes\""
          + " and list them in each client's \"defaultClientScopes\" instead of \"clientTemplate\"");
    }
    String declared = Json.text(node, "realm");
    if (doc.fragment()) {
      if (declared == null || declared.isBlank()) {
        throw new RealmFileException(doc.path() + ":1: a fragment must name its realm (\"realm\": \"<name>\")");
      }
      return (ObjectNode) node;
    }
    if (!doc.realm().equals(declared)) {
      throw new RealmFileException(doc.path() + ":" + lines.getOrDefault("/realm", 1) + ": realm \"" + declared
          + "\" does not match the file name (expected \"" + doc.realm() + "\")");
    }
    return (ObjectNode) node;
  }

  /** Validates an already parsed realm (a CR's {@code spec.realm}): errors name JSON paths instead of lines. */
  public static void validate(JsonNode node, String where) {
    List<ValidationMessage> errors = SCHEMA.validate(node).stream().toList();
    if (!errors.isEmpty()) {
      var message = new StringBuilder();
      errors.stream().limit(MAX_ERRORS).forEach(error -> message.append(message.isEmpty() ? "" : "\n")
          .append(where).append(": ").append(error.getMessage()));
      throw new RealmFileException(message.toString());
    }
  }

  /** The line of the nearest located ancestor (a missing property is reported where its object starts). */
  private static int line(Map<String, Integer> lines, JsonNodePath path) {
    for (JsonNodePath p = path; p != null; p = p.getParent()) {
      Integer line = lines.get(pointer(p));
      if (line != null) {
        return line;
      }
    }
    return 1;
  }

  private static String pointer(JsonNodePath path) {
    var out = new StringBuilder();
    for (int i = 0; i < path.getNameCount(); i++) {
      out.append('/').append(String.valueOf(path.getElement(i)).replace("~", "~0").replace("/", "~1"));
    }
    return out.toString();
  }

  /** JSON pointer of every value to the line it starts on. */
  static Map<String, Integer> lineMap(JsonFactory factory, String content) throws IOException {
    var lines = new HashMap<String, Integer>();
    Deque<Object> path = new ArrayDeque<>();
    Deque<Integer> indexes = new ArrayDeque<>();
    try (JsonParser parser = factory.createParser(content)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (token == JsonToken.FIELD_NAME) {
          continue;
        }
        if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
          if (token == JsonToken.END_ARRAY) {
            indexes.pop();
          }
          if (!path.isEmpty()) {
            path.pop();
          }
          continue;
        }
        // A struct start has already entered its own context: its position is in the parent's.
        var context = token.isStructStart() ? parser.getParsingContext().getParent() : parser.getParsingContext();
        if (context.inObject()) {
          path.push(context.getCurrentName());
        } else if (context.inArray()) {
          int index = indexes.pop();
          indexes.push(index + 1);
          path.push(index);
        }
        lines.put(pointer(path), parser.currentTokenLocation().getLineNr());
        if (token == JsonToken.START_ARRAY) {
          indexes.push(0);
        }
        if (!token.isStructStart() && !path.isEmpty()) {
          path.pop();
        }
      }
    }
    return lines;
  }

  private static String pointer(Deque<Object> path) {
    var out = new StringBuilder();
    var it = path.descendingIterator();
    while (it.hasNext()) {
      out.append('/').append(String.valueOf(it.next()).replace("~", "~0").replace("/", "~1"));
    }
    return out.toString();
  }
}
