package io.keycloakgitops.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** The objects of a multi-document YAML stream (helm template output), with a few look-ups. */
record Manifests(List<ObjectNode> objects) {
  static final ObjectMapper YAML = new YAMLMapper();

  static Manifests parse(String yaml) {
    List<ObjectNode> objects = new ArrayList<>();
    try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
      while (docs.hasNextValue()) {
        JsonNode doc = docs.nextValue();
        if (doc instanceof ObjectNode object && object.has("kind")) {
          objects.add(object);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("helm output is not YAML", e);
    }
    return new Manifests(List.copyOf(objects));
  }

  Stream<ObjectNode> ofKind(String... kinds) {
    Predicate<ObjectNode> match = o -> Stream.of(kinds).anyMatch(k -> k.equals(o.path("kind").asText()));
    return objects.stream().filter(match);
  }

  Optional<ObjectNode> find(String kind, String name) {
    return ofKind(kind).filter(o -> name.equals(o.path("metadata").path("name").asText())).findFirst();
  }

  ObjectNode get(String kind, String name) {
    return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + summary()));
  }

  List<String> summary() {
    return objects.stream().map(o -> o.path("kind").asText() + "/" + o.path("metadata").path("name").asText()).toList();
  }

  static String toYaml(List<ObjectNode> objects) {
    StringBuilder out = new StringBuilder();
    for (ObjectNode object : objects) {
      try {
        out.append(YAML.writeValueAsString(object));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out.toString();
  }
}
