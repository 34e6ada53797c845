package io.keycloakgitops.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keycloakgitops.testsupport.Commands;
import io.keycloakgitops.testsupport.KeycloakServer;
import io.keycloakgitops.testsupport.Listeners;
import io.keycloakgitops.testsupport.ProcessResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Keycloak image's build stage without a container engine: keycloak-image/build-steps.sh (the script the
 * Containerfile runs) on a copy of the same Keycloak dist, then {@code start --optimized} against a real
 * PostgreSQL on loopback, as the image's entrypoint does.
 */
class KeycloakImageBuildIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FEATURE_ON = "token-exchange";
  private static final String FEATURE_OFF = "impersonation";

  private static Path work;
  private static Path home;
  private static ProcessResult build;
  private static List<Path> dataAfterBuild;

  @BeforeAll
  static void runBuildSteps() throws IOException {
    work = Files.createTempDirectory("kg-keycloak-image");
    home = work.resolve("keycloak");
    long start = System.nanoTime();
    // KC_HOSTNAME stands for a stray Keycloak option in the build environment: it must not be baked in.
    build = OptimizedKeycloak.build(KeycloakServer.distDir(), home, Map.of("KEYCLOAK_DB", "postgres",
        "KEYCLOAK_FEATURES", FEATURE_ON, "KEYCLOAK_FEATURES_DISABLED", FEATURE_OFF, "KC_HOSTNAME", "stray.example.com"));
    System.out.printf("build-steps.sh (copy + kc.sh build) took %d ms%n", (System.nanoTime() - start) / 1_000_000);
    try (var data = Files.list(home.resolve("data"))) {
      dataAfterBuild = data.toList();
    }
  }

  @AfterAll
  static void cleanUp() {
    if (work != null) {
      Commands.run(null, List.of("rm", "-rf", work.toString()));
    }
  }

  @Test
  void buildPersistsTheImageOptionsAndNothingElse() throws IOException {
    assertThat(build.exitCode()).as(build.toString()).isZero();
    Properties persisted = new Properties();
    try (ZipFile jar = new ZipFile(home.resolve("lib/quarkus/generated-bytecode.jar").toFile());
         InputStream in = jar.getInputStream(jar.getEntry("META-INF/keycloak-persisted.properties"))) {
      persisted.load(in);
    }
    assertThat(persisted).containsEntry("kc.db", "postgres").containsEntry("kc.health-enabled", "true")
        .containsEntry("kc.metrics-enabled", "true").containsEntry("kc.features", FEATURE_ON)
        .containsEntry("kc.features-disabled", FEATURE_OFF).containsEntry("kc.optimized", "true");
    assertThat(persisted.stringPropertyNames()).as("a KC_* variable of the build environment is not baked in")
        .doesNotContain("kc.hostname");
    assertThat(dataAfterBuild).as("no runtime state in the image").isEmpty();
  }

  @Test
  void optimizedServerStartsOnPostgresAndIsReadyOnTheManagementPort() throws Exception {
    assertThat(build.exitCode()).as(build.toString()).isZero();
    try (Postgres postgres = new Postgres(); OptimizedKeycloak keycloak = OptimizedKeycloak.start(home, postgres)) {
      System.out.printf("Keycloak start --optimized on %s ready in %d ms%n", postgres.version(), keycloak.startMillis());
      assertThat(keycloak.log()).as("--optimized must not rebuild").doesNotContain("Updating the configuration");
      assertThat(OptimizedKeycloak.get(keycloak.managementUrl() + "/health/ready").body()).contains("\"UP\"");
      assertThat(OptimizedKeycloak.get(keycloak.managementUrl() + "/health/live").statusCode()).isEqualTo(200);
      assertThat(OptimizedKeycloak.get(keycloak.managementUrl() + "/metrics").body()).contains("jvm_");
      assertThat(Listeners.nonLoopback(keycloak.handle())).as("binds loopback only").isEmpty();
      assertThat(enabledFeatures(keycloak)).containsEntry("TOKEN_EXCHANGE", true).containsEntry("IMPERSONATION", false);
    }
  }

  /** The features the running server reports (admin API serverinfo), as baked in by the build. */
  private static Map<String, Boolean> enabledFeatures(OptimizedKeycloak keycloak) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String form = "grant_type=password&client_id=admin-cli&username=" + OptimizedKeycloak.ADMIN + "&password="
        + URLEncoder.encode(keycloak.adminPassword(), StandardCharsets.UTF_8);
    HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(keycloak.baseUrl() + "/realms/master/protocol/openid-connect/token"))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
    String accessToken = JSON.readTree(token.body()).path("access_token").asText();
    HttpResponse<String> info = http.send(HttpRequest.newBuilder(URI.create(keycloak.baseUrl() + "/admin/serverinfo"))
        .header("Authorization", "Bearer " + accessToken).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(info.statusCode()).isEqualTo(200);
    Map<String, Boolean> enabled = new HashMap<>();
    for (JsonNode feature : JSON.readTree(info.body()).path("features")) {
      enabled.put(feature.path("name").asText(), feature.path("enabled").asBoolean());
    }
    return enabled;
  }
}
