package io.keycloakgitops.realmsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.keycloakgitops.testsupport.KeycloakServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command as a user does, with the shared Keycloak as its target in the environment and the ownership key in
 * {@code dir}; output goes through files in {@code dir}, so a chatty process never blocks on a full pipe.
 */
public record CliRun(int exitCode, String out, String err) {
  /** {@code java -jar target/realm-sync.jar args}. */
  static CliRun jar(Path dir, Map<String, String> extraEnv, String... args) throws IOException, InterruptedException {
    var command = new ArrayList<>(realmSyncJar());
    command.addAll(List.of(args));
    return command(dir, Path.of("").toAbsolutePath(), extraEnv, command);
  }

  /**
   * {@code java <options> -jar target/realm-sync.jar} with the JVM options docs/realm-sync.md recommends for CI jobs;
   * the class-data archive lives in target/, written by the first run of the build's jar.
   */
  static List<String> realmSyncJar() {
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(cliJvmOptions(Path.of("target", "realm-sync.jsa").toAbsolutePath()));
    command.addAll(List.of("-jar", Path.of("target", "realm-sync.jar").toAbsolutePath().toString()));
    return command;
  }

  /**
   * The options for a short-lived CLI process (docs/realm-sync.md, "Running the CLI fast"): a class-data archive,
   * C1 only and the serial GC — such a process spends its CPU on start-up and C2 compilation otherwise.
   */
  public static List<String> cliJvmOptions(Path archive) {
    return List.of("-XX:SharedArchiveFile=" + archive, "-XX:+AutoCreateSharedArchive", "-Xlog:cds=off",
        "-Xlog:cds+dynamic=off", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
  }

  static CliRun command(Path dir, Path workDir, Map<String, String> extraEnv, List<String> command)
      throws IOException, InterruptedException {
    var builder = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
    var keycloak = KeycloakServer.shared();
    var env = new HashMap<>(Map.of("KEYCLOAK_URL", keycloak.baseUrl(), "KEYCLOAK_USER", keycloak.adminUser(),
        "KEYCLOAK_PASSWORD", keycloak.adminPassword(), "OWNERSHIP_KEY_FILE", dir.resolve("ownership.key").toString()));
    env.putAll(extraEnv);
    builder.environment().putAll(env);
    var process = builder.start();
    assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("%s finished", command).isTrue();
    return new CliRun(process.exitValue(), Files.readString(dir.resolve("out.txt")),
        Files.readString(dir.resolve("err.txt")));
  }
}
