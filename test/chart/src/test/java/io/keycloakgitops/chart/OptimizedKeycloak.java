package io.keycloakgitops.chart;

import io.keycloakgitops.testsupport.Commands;
import io.keycloakgitops.testsupport.FreePort;
import io.keycloakgitops.testsupport.ProcessResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The Keycloak image without a container engine: {@link #build} runs keycloak-image/build-steps.sh (what the
 * Containerfile's build stage runs) on a copy of a Keycloak dist; {@link #start} runs the image's entrypoint,
 * {@code kc.sh start --optimized}, on 127.0.0.1 against a PostgreSQL.
 */
final class OptimizedKeycloak implements AutoCloseable {
  static final String ADMIN = "admin";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final int httpPort;
  private final int managementPort;
  private final String adminPassword;
  private final Path log;
  private long startMillis;

  private OptimizedKeycloak(Process process, int httpPort, int managementPort, String adminPassword, Path log) {
    this.process = process;
    this.httpPort = httpPort;
    this.managementPort = managementPort;
    this.adminPassword = adminPassword;
    this.log = log;
  }

  /** Copies {@code dist} to {@code home} (the shared dist must never change) and runs build-steps.sh on it. */
  static ProcessResult build(Path dist, Path home, Map<String, String> buildArgs) {
    ProcessResult copy = Commands.run(null, List.of("cp", "-a", dist.toString(), home.toString()));
    if (!copy.ok()) {
      throw new IllegalStateException("cannot copy the Keycloak dist: " + copy);
    }
    var env = new java.util.HashMap<>(buildArgs);
    env.put("JAVA_HOME", System.getProperty("java.home"));
    return Commands.run(null, env, null, Duration.ofMinutes(5),
        List.of("bash", Tools.repoRoot().resolve("keycloak-image/build-steps.sh").toString(), home.toString()));
  }

  /** Starts the built server and waits until /health/ready answers 200 on the management port. */
  static OptimizedKeycloak start(Path home, Postgres postgres) {
    int httpPort = FreePort.pick();
    int managementPort = FreePort.pick();
    String adminPassword = "pw-" + UUID.randomUUID();
    try {
      Path log = Files.createTempFile("keycloak-optimized", ".log");
      ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start", "--optimized",
          "--http-enabled=true", "--http-host=127.0.0.1", "--http-port=" + httpPort,
          "--http-management-port=" + managementPort, "--hostname-strict=false", "--cache=local",
          "--db-url-host=127.0.0.1", "--db-url-port=" + postgres.port(), "--db-url-database=keycloak",
          "--db-username=" + Postgres.USER)
          .redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(Map.of("JAVA_HOME", System.getProperty("java.home"),
          "KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN, "KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword,
          "KC_DB_PASSWORD", postgres.password(), "JAVA_OPTS_APPEND", "-Djava.net.preferIPv4Stack=true"));
      long start = System.nanoTime();
      Process process = builder.start();
      var keycloak = new OptimizedKeycloak(process, httpPort, managementPort, adminPassword, log);
      try {
        keycloak.awaitReady();
      } catch (RuntimeException e) {
        keycloak.close();
        throw e;
      }
      keycloak.startMillis = (System.nanoTime() - start) / 1_000_000;
      return keycloak;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String baseUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  String managementUrl() {
    return "http://127.0.0.1:" + managementPort;
  }

  String adminPassword() {
    return adminPassword;
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  /** Milliseconds from launching kc.sh to the first 200 of /health/ready. */
  long startMillis() {
    return startMillis;
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Keycloak exited with " + process.exitValue() + ":\n" + log());
      }
      try {
        if (get(managementUrl() + "/health/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // retried below
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("Keycloak not ready within 4 minutes:\n" + log());
  }

  @Override
  public void close() {
    Commands.stopTree(process);
  }
}
