package io.keycloakgitops.webhook.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.keycloakgitops.schemas.Schemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Rule 1: the object against the generated CRD schema of its version (types, enums, patterns, bounds and unknown
 * fields). The CRD's OpenAPI v3 schema is converted once into a JSON Schema (draft 4, whose boolean
 * exclusiveMinimum/Maximum match OpenAPI 3.0) with Kubernetes' structural semantics: unknown fields are errors
 * unless {@code x-kubernetes-preserve-unknown-fields}, and {@code x-kubernetes-int-or-string} accepts both.
 */
public final class CrdSchema {
  public static final String RULE = "schema";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int MAX_VALUE_IN_MESSAGE = 60;
  private static final Pattern WHOLE_NUMBER = Pattern.compile("\\b(\\d+)\\.0\\b");

  /** Compiled schemas keyed by "group/version kind". */
  private final Map<String, Compiled> schemas = new HashMap<>();

  /** networknt's schema, and the fast check of valid objects (null when the schema is beyond it). */
  private record Compiled(JsonSchema schema, StructuralCheck valid) {}

  private CrdSchema() {}

  /** The schemas of both CRDs from the schemas module, every served version. */
  public static CrdSchema load() {
    var crdSchema = new CrdSchema();
    var yaml = new ObjectMapper(new YAMLFactory());
    for (String crdName : List.of(Schemas.KEYCLOAK_CRD, Schemas.REALM_IMPORT_CRD)) {
      JsonNode crd;
      try {
        crd = yaml.readTree(Schemas.crdYaml(crdName));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the CRD " + crdName, e);
      }
      String group = crd.path("spec").path("group").asText();
      String kind = crd.path("spec").path("names").path("kind").asText();
      Map<JsonNode, Compiled> compiled = new HashMap<>();
      for (JsonNode version : crd.path("spec").path("versions")) {
        JsonNode jsonSchema = toJsonSchema(version.path("schema").path("openAPIV3Schema"));
        // Served versions usually share one schema: compile it once.
        crdSchema.schemas.put(key(group + "/" + version.path("name").asText(), kind),
            compiled.computeIfAbsent(jsonSchema, schema -> new Compiled(networknt(schema),
                StructuralCheck.compile(schema))));
      }
    }
    return crdSchema;
  }

  /** networknt's validator of a converted schema; it reports every error (no fail-fast). */
  static JsonSchema networknt(JsonNode jsonSchema) {
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(jsonSchema,
        SchemaValidatorsConfig.builder().pathType(PathType.JSON_PATH).formatAssertionsEnabled(false).build());
  }

  public Findings validate(JsonNode object) {
    var findings = Findings.builder(RULE);
    String apiVersion = object.path("apiVersion").asText();
    String kind = object.path("kind").asText();
    Compiled compiled = schemas.get(key(apiVersion, kind));
    if (compiled == null) {
      return findings.add(FieldError.Type.UNSUPPORTED, FieldPath.of("apiVersion"),
          "\"" + apiVersion + "\": not a served version of " + kind).build();
    }
    if (compiled.valid() != null && compiled.valid().accepts(object)) {
      return findings.build();
    }
    var messages = compiled.schema().validate(object).stream()
        .sorted(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString())).toList();
    for (ValidationMessage message : messages) {
      FieldPath path = path(message);
      switch (message.getType()) {
        case "additionalProperties" -> findings.forbidden(path.child(message.getProperty()),
            "unknown field (not in the " + kind + " " + apiVersion + " schema)");
        case "required" -> findings.required(path.child(message.getProperty()), "required field");
        default -> findings.invalid(path, shortValue(message.getInstanceNode()), detail(message));
      }
    }
    return findings.build();
  }

  private static String key(String apiVersion, String kind) {
    return apiVersion + " " + kind;
  }

  private static FieldPath path(ValidationMessage message) {
    String location = message.getInstanceLocation().toString();
    String withoutRoot = location.startsWith("$") ? location.substring(1) : location;
    return new FieldPath(withoutRoot.startsWith(".") ? withoutRoot.substring(1) : withoutRoot);
  }

  /** networknt's message without its leading "$.path: ". */
  private static String detail(ValidationMessage message) {
    String text = message.getMessage();
    String prefix = message.getInstanceLocation() + ": ";
    String detail = text.startsWith(prefix) ? text.substring(prefix.length()) : text;
    return WHOLE_NUMBER.matcher(detail).replaceAll("$1"); // networknt prints bounds as doubles: 65535.0
  }

  private static Object shortValue(JsonNode value) {
    if (value == null || value.isContainerNode()) {
      return value == null ? "null" : value.isArray() ? "[...]" : "{...}";
    }
    String text = value.isTextual() ? value.asText() : value.toString();
    text = text.length() > MAX_VALUE_IN_MESSAGE ? text.substring(0, MAX_VALUE_IN_MESSAGE) + "..." : text;
    return value.isTextual() ? text : (Object) new Raw(text);
  }

  /** A non-string value printed without quotes. */
  private record Raw(String text) {
    @Override
    public String toString() {
      return text;
    }
  }

  /** Converts a CRD's structural OpenAPI v3 schema to an equivalent JSON Schema (draft 4). */
  public static ObjectNode toJsonSchema(JsonNode openApiRoot) {
    ObjectNode root = convert(openApiRoot);
    ObjectNode properties = root.withObject("properties");
    // The API server owns these; the CRD schema leaves them out.
    properties.set("apiVersion", NODES.objectNode().put("type", "string"));
    properties.set("kind", NODES.objectNode().put("type", "string"));
    properties.set("metadata", NODES.objectNode().put("type", "object"));
    // Status is written through the status subresource, which the webhook does not intercept.
    if (properties.has("status")) {
      properties.set("status", NODES.objectNode());
    }
    return root;
  }

  private static ObjectNode convert(JsonNode openApi) {
    ObjectNode out = NODES.objectNode();
    boolean preserveUnknown = openApi.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    boolean intOrString = openApi.path("x-kubernetes-int-or-string").asBoolean(false);
    boolean embedded = openApi.path("x-kubernetes-embedded-resource").asBoolean(false);
    for (Map.Entry<String, JsonNode> field : openApi.properties()) {
      String name = field.getKey();
      JsonNode value = field.getValue();
      switch (name) {
        case "properties" -> {
          ObjectNode converted = out.putObject("properties");
          value.properties().forEach(p -> converted.set(p.getKey(), convert(p.getValue())));
        }
        case "items" -> out.set("items", value.isArray() ? convertAll(value) : convert(value));
        case "additionalProperties" -> out.set(name, value.isObject() ? convert(value) : value);
        case "allOf", "anyOf", "oneOf" -> {
          if (!intOrString) {
            out.set(name, convertAll(value));
          }
        }
        case "not" -> out.set(name, convert(value));
        // Kubernetes extensions, documentation and formats that Kubernetes does not enforce the JSON Schema way.
        case "nullable", "format", "description", "example", "externalDocs", "default" -> { }
        default -> {
          if (!name.startsWith("x-kubernetes-")) {
            out.set(name, value);
          }
        }
      }
    }
    if (intOrString) {
      out.set("type", NODES.arrayNode().add("integer").add("string"));
    } else if (openApi.path("nullable").asBoolean(false) && out.path("type").isTextual()) {
      out.set("type", NODES.arrayNode().add(out.path("type").asText()).add("null"));
    }
    if (embedded) {
      ObjectNode properties = out.withObject("properties");
      properties.set("apiVersion", NODES.objectNode().put("type", "string"));
      properties.set("kind", NODES.objectNode().put("type", "string"));
      properties.set("metadata", NODES.objectNode().put("type", "object"));
    }
    boolean isObject = "object".equals(out.path("type").asText());
    if (isObject && !preserveUnknown && !out.has("additionalProperties")) {
      // Structural schemas prune (kubectl: rejects) fields they do not declare.
      out.put("additionalProperties", false);
    }
    return out;
  }

  private static ArrayNode convertAll(JsonNode schemas) {
    ArrayNode out = NODES.arrayNode();
    schemas.forEach(schema -> out.add(convert(schema)));
    return out;
  }
}
