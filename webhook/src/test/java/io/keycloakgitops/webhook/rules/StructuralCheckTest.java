package io.keycloakgitops.webhook.rules;

import static io.keycloakgitops.webhook.Manifests.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import io.keycloakgitops.schemas.Schemas;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fast check may only ever say "valid" where networknt finds nothing: every upstream manifest, and every one of
 * them with each value replaced by values of other types, bounds and shapes, is judged by both.
 */
class StructuralCheckTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<JsonNode> REPLACEMENTS = List.of(NODES.nullNode(), NODES.textNode("x"),
      NODES.textNode("xforwarded"), NODES.textNode("8080"), NODES.numberNode(0), NODES.numberNode(-1),
      NODES.numberNode(1), NODES.numberNode(65535), NODES.numberNode(65536), NODES.numberNode(1.0),
      NODES.numberNode(1.5), NODES.numberNode(1L << 40), NODES.booleanNode(true), NODES.objectNode(),
      NODES.objectNode().put("unknownField", 1), NODES.arrayNode(), NODES.arrayNode().add("x"),
      NODES.arrayNode().add(NODES.objectNode()));

  @ParameterizedTest
  @ValueSource(strings = {"upstream/keycloak-basic.yaml", "upstream/keycloak-full.yaml",
      "upstream/realm-import-basic.yaml", "upstream/realm-import-full.yaml"})
  void neverAcceptsWhatNetworkntRejects(String name) throws Exception {
    ObjectNode manifest = fixture(name);
    String crdName = manifest.path("kind").asText().equals(Review.KEYCLOAK) ? Schemas.KEYCLOAK_CRD
        : Schemas.REALM_IMPORT_CRD;
    String version = manifest.path("apiVersion").asText().substring(Schemas.GROUP.length() + 1);
    JsonNode jsonSchema = null;
    for (JsonNode served : new ObjectMapper(new YAMLFactory()).readTree(Schemas.crdYaml(crdName)).path("spec")
        .path("versions")) {
      if (served.path("name").asText().equals(version)) {
        jsonSchema = CrdSchema.toJsonSchema(served.path("schema").path("openAPIV3Schema"));
      }
    }
    StructuralCheck check = StructuralCheck.compile(jsonSchema);
    JsonSchema networknt = CrdSchema.networknt(jsonSchema);
    assertThat(check).as("the CRD schema is within the fast check").isNotNull();
    assertThat(check.accepts(manifest)).as("the manifest as it is").isTrue();

    var variants = new ArrayList<Variant>();
    forEachValue(manifest, "", (path, replace) -> REPLACEMENTS.forEach(value -> {
      replace.accept(value);
      variants.add(new Variant(path + " = " + value, manifest.deepCopy()));
    }));
    int accepted = 0;
    for (Variant variant : variants) {
      if (check.accepts(variant.object())) {
        assertThat(networknt.validate(variant.object())).as("accepted by the fast check: %s", variant.change())
            .isEmpty();
        accepted++;
      }
    }
    assertThat(variants).hasSizeGreaterThan(100);
    assertThat(accepted).as("variants taken by the fast path").isPositive();
  }

  private record Variant(String change, ObjectNode object) {}

  /** Calls {@code visit} with the path and a setter of each value of the tree; the original is put back after. */
  private static void forEachValue(JsonNode node, String path, BiConsumer<String, Consumer<JsonNode>> visit) {
    if (node instanceof ObjectNode object) {
      var fields = new ArrayList<String>();
      object.fieldNames().forEachRemaining(fields::add);
      for (String field : fields) {
        JsonNode original = object.get(field);
        visit.accept(path + "." + field, value -> object.set(field, value));
        object.set(field, original);
        forEachValue(original, path + "." + field, visit);
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        int index = i;
        JsonNode original = array.get(i);
        visit.accept(path + "[" + i + "]", value -> array.set(index, value));
        array.set(index, original);
        forEachValue(original, path + "[" + i + "]", visit);
      }
    }
  }
}
