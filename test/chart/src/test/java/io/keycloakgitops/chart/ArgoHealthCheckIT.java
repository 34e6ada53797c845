package io.keycloakgitops.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import io.keycloakgitops.schemas.v2beta1.KeycloakRealmImport;
import io.keycloakgitops.testsupport.ArgoCd;
import io.keycloakgitops.testsupport.Commands;
import io.keycloakgitops.testsupport.ProcessResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The health checks exactly as shipped in chart/docs/argocd-cm-health.yaml, evaluated by Argo CD itself
 * ({@code argocd-health} of test/argocd/install.sh: what {@code argocd admin settings resource-overrides health} does,
 * with Argo CD's own settings manager, Lua runtime and override lookup) against one
 * fixture object per state. A fixture's file name is {@code <expected status>--<case>.yaml}.
 */
class ArgoHealthCheckIT {
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

    String[] result = runHealthCheck(fixture);
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

  /** {status, message} that Argo CD computes for the object in {@code file} with the shipped argocd-cm snippet. */
  static String[] runHealthCheck(Path file) {
    Path configMap = Tools.chartDir().resolve("docs/argocd-cm-health.yaml");
    ProcessResult run = Commands.run(null, Map.of(), null, Duration.ofSeconds(60),
        List.of(ArgoCd.binary().resolveSibling("argocd-health").toString(), file.toString(), configMap.toString()));
    assertThat(run.exitCode()).as(run.toString()).isZero();
    String status = null;
    String message = null;
    for (String line : run.stdout().split("\n")) {
      if (line.startsWith("STATUS: ")) {
        status = line.substring("STATUS: ".length());
      } else if (line.startsWith("MESSAGE: ")) {
        message = line.substring("MESSAGE: ".length());
      }
    }
    assertThat(status).as("Argo CD found the chart's health check: " + run).isNotNull();
    return new String[] {status, message};
  }
}
