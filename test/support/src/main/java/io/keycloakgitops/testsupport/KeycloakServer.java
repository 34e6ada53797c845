package io.keycloakgitops.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The real Keycloak server (keycloak-quarkus-dist, unpacked by the test-support build) in dev mode with an
 * in-memory database, on 127.0.0.1 with free ports. One per test JVM ({@link #shared()}); it can be stopped and
 * started again on the same port to test outages, and is stopped when the JVM exits.
 */
public final class KeycloakServer {
  public static final String ADMIN_USER = "admin";

  private static KeycloakServer shared;

  private final Path distDir;
  private final int httpPort;
  private final int managementPort;
  private final String adminPassword = "pw-" + UUID.randomUUID();
  private final Path log;
  private Process process;

  private KeycloakServer(Path distDir) {
    this.distDir = distDir;
    this.httpPort = FreePort.pick();
    this.managementPort = FreePort.pick();
    try {
      this.log = Files.createTempFile("keycloak", ".log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "keycloak-stop"));
  }

  /** The server shared by every test of this JVM; started on first use. */
  public static synchronized KeycloakServer shared() {
    if (shared == null) {
      shared = new KeycloakServer(distDir());
      shared.start();
    }
    return shared;
  }

  public static Path distDir() {
    String dir = System.getProperty("keycloak.dist.dir");
    if (dir == null) {
      throw new IllegalStateException("system property keycloak.dist.dir is not set (the failsafe configuration sets it)");
    }
    Path path = Paths.get(dir);
    if (!Files.isExecutable(path.resolve("bin/kc.sh"))) {
      throw new IllegalStateException("no Keycloak dist at " + path + ": build test/support first (mvn install)");
    }
    return path;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  public String managementUrl() {
    return "http://127.0.0.1:" + managementPort;
  }

  public String adminUser() {
    return ADMIN_USER;
  }

  public String adminPassword() {
    return adminPassword;
  }

  public Path logFile() {
    return log;
  }

  /** The server's process (for {@link Listeners}); empty while stopped. */
  public java.util.Optional<ProcessHandle> processHandle() {
    return process == null ? java.util.Optional.empty() : java.util.Optional.of(process.toHandle());
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * Starts the server and waits for /health/ready. Starts from the shared dist are serialised through a file
   * lock because the first start of a dist rewrites its build (augmentation) in place.
   */
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    long begin = System.nanoTime();
    List<String> command = new ArrayList<>(List.of(distDir.resolve("bin/kc.sh").toString(), "start-dev",
        "--http-host=127.0.0.1", "--http-port=" + httpPort, "--http-management-port=" + managementPort,
        "--db=dev-mem", "--health-enabled=true", "--metrics-enabled=true", "--cache=local"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
    builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
    // kc.sh opens java.util but not java.lang: on Java 24+ jboss-threads then cannot reset thread locals and its
    // executor threads die with IllegalAccessError (seen in the Keycloak log on Java 25).
    builder.environment().put("JAVA_OPTS_APPEND", "-Djava.net.preferIPv4Stack=true --add-opens=java.base/java.lang=ALL-UNNAMED");
    try (FileChannel lockFile = FileChannel.open(distDir.resolve(".start.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock ignored = lockFile.lock()) {
      process = builder.start();
      waitUntilReady(Duration.ofMinutes(4));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.printf("Keycloak %s ready in %d ms (log %s)%n", baseUrl(), (System.nanoTime() - begin) / 1_000_000, log);
  }

  /** Stops the server (the in-memory database is lost with it). */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    Commands.stopTree(process);
    process = null;
  }

  private void waitUntilReady(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(managementUrl() + "/health/ready")).timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Keycloak exited with " + process.exitValue() + "; log: " + tail());
      }
      try {
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(500);
    }
    stop();
    throw new IllegalStateException("Keycloak not ready after " + timeout + "; log: " + tail());
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
