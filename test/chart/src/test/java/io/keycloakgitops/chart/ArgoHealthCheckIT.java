package io.keycloakgitops.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import io.keycloakgitops.schemas.v2beta1.KeycloakRealmImport;
import io.keycloakgitops.testsupport.Commands;
import io.keycloakgitops.testsupport.ProcessResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the Lua health checks exactly as shipped in chart/docs/argocd-cm-health.yaml with a Lua 5.1 interpreter
 * (Argo CD's gopher-lua is 5.1-compatible) against one fixture object per state. A fixture's file name is
 * {@code <expected status>--<case>.yaml}.
 */
class ArgoHealthCheckTest {
  private static final Path FIXTURES = Tools.repoRoot().resolve("test/chart/src/test/resources/health");
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final ObjectMapper STRICT = new YAMLMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final Map<String, Class<?>> MODEL = Map.of("Keycloak", Keycloak.class, "KeycloakRealmImport", KeycloakRealmImport.class);

  static Stream<Arguments> fixtures() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(FIXTURES)) {
      files = walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    return files.stream().map(f -> Arguments.of(f.getParent().getFileName() + "/" + f.getFileName(), f));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void healthMatchesTheFixturesState(String name, Path fixture) throws IOException {
    String kind = fixture.getParent().getFileName().toString();
    String expected = fixture.getFileName().toString().split("--")[0];
    JsonNode object = YAML.readTree(fixture.toFile());
    assertThat(object.path("kind").asText()).isEqualTo(kind);
    // A fixture must be a status our controllers can actually write (the CR model rejects unknown fields).
    STRICT.treeToValue(object, MODEL.get(kind));

    String[] result = runHealthCheck(kind, object);
    assertThat(result[0]).as("status for " + name).isEqualTo(expected);
    assertThat(result[1]).as("message for " + name).isNotBlank();
    if (expected.equals("Degraded")) {
      assertThat(result[1]).isEqualTo(errorsMessage(object));
    }
  }

  private static String errorsMessage(JsonNode object) {
    for (JsonNode condition : object.path("status").path("conditions")) {
      if (condition.path("type").asText().equals("HasErrors")) {
        return condition.path("message").asText();
      }
    }
    throw new AssertionError("Degraded fixture without HasErrors");
  }

  /** {status, message} from the shipped check for {@code kind}, run on {@code object}. */
  static String[] runHealthCheck(String kind, JsonNode object) throws IOException {
    JsonNode configMap = YAML.readTree(Tools.chartDir().resolve("docs/argocd-cm-health.yaml").toFile());
    JsonNode script = configMap.path("data").path("resource.customizations.health.k8s.keycloak.org_" + kind);
    assertThat(script.isTextual()).as("argocd-cm snippet has a health check for " + kind).isTrue();
    // loadstring compiles the script as one chunk with obj as a global, which is how Argo CD runs it.
    String program = "obj = " + toLua(object) + "\n"
        + "local check = assert(loadstring(" + longString(script.asText()) + ", 'health.lua'))\n"
        + "local hs = check()\n"
        + "io.write(hs.status, '\\n', hs.message or '', '\\n')\n";
    ProcessResult run = Commands.run(null, Map.of(), program, Duration.ofSeconds(30), List.of(Tools.lua51().toString(), "-"));
    assertThat(run.exitCode()).as(run.toString()).isZero();
    String[] lines = run.stdout().split("\n", -1);
    return new String[] {lines[0], lines.length > 1 ? lines[1] : ""};
  }

  /** The JSON value as a Lua table constructor, as Argo CD hands the object to the script. */
  static String toLua(JsonNode node) {
    if (node.isObject()) {
      StringBuilder out = new StringBuilder("{");
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        var field = it.next();
        if (!field.getValue().isNull()) {
          out.append('[').append(luaString(field.getKey())).append("]=").append(toLua(field.getValue())).append(',');
        }
      }
      return out.append('}').toString();
    }
    if (node.isArray()) {
      StringBuilder out = new StringBuilder("{");
      node.forEach(item -> out.append(toLua(item)).append(','));
      return out.append('}').toString();
    }
    if (node.isNumber() || node.isBoolean()) {
      return node.asText();
    }
    return node.isNull() ? "nil" : luaString(node.asText());
  }

  private static String luaString(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> {
          if (c < 0x20) {
            out.append('\\').append((int) c);
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static String longString(String text) {
    String level = "=";
    while (text.contains("]" + level + "]")) {
      level += "=";
    }
    return "[" + level + "[" + text + "]" + level + "]";
  }
}
