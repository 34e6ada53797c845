package io.keycloakgitops.chart;

import io.keycloakgitops.testsupport.Commands;
import io.keycloakgitops.testsupport.FreePort;
import io.keycloakgitops.testsupport.ProcessResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A throw-away PostgreSQL server (Debian's binaries) in a temp dir, on 127.0.0.1 and a free port only. PostgreSQL
 * refuses to run as root, so as root it runs as the package's "postgres" user.
 */
final class Postgres implements AutoCloseable {
  static final String USER = "keycloak";

  private final Path bin = Tools.postgresBin();
  private final Path dir;
  private final int port = FreePort.pick();
  private final String password = "pg-" + UUID.randomUUID();
  private final boolean root = "root".equals(System.getProperty("user.name"));

  Postgres() {
    try {
      dir = Files.createTempDirectory("kg-postgres");
      Files.createDirectories(dir.resolve("socket"));
      Path pwfile = Files.writeString(dir.resolve("pwfile"), password + "\n");
      if (root) {
        UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        for (Path path : List.of(dir, dir.resolve("socket"), pwfile)) {
          Files.setOwner(path, postgres);
        }
      }
      check(run(bin.resolve("initdb").toString(), "--pgdata=" + dir.resolve("data"), "--username=" + USER,
          "--pwfile=" + pwfile, "--auth=scram-sha-256", "--encoding=UTF8", "--no-locale"));
      check(run(bin.resolve("pg_ctl").toString(), "--pgdata=" + dir.resolve("data"), "--log=" + dir.resolve("postgres.log"),
          "--wait", "--timeout=120", "start",
          "-o", "-c listen_addresses=127.0.0.1 -p " + port + " -k " + dir.resolve("socket")));
      check(run(bin.resolve("createdb").toString(), "--host=127.0.0.1", "--port=" + port, "--username=" + USER, "keycloak"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return port;
  }

  String password() {
    return password;
  }

  String version() {
    return run(bin.resolve("postgres").toString(), "--version").stdout().trim();
  }

  @Override
  public void close() {
    run(bin.resolve("pg_ctl").toString(), "--pgdata=" + dir.resolve("data"), "--mode=fast", "--wait", "stop");
    Commands.run(null, List.of("rm", "-rf", dir.toString()));
  }

  private ProcessResult run(String... command) {
    List<String> full = new ArrayList<>();
    if (root) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(List.of(command));
    return Commands.run(dir, Map.of("PGPASSWORD", password), null, Duration.ofMinutes(3), full);
  }

  private void check(ProcessResult result) {
    if (!result.ok()) {
      String log = "";
      try {
        Path file = dir.resolve("postgres.log");
        log = Files.exists(file) ? Files.readString(file) : "";
      } catch (IOException e) {
        log = e.toString();
      }
      throw new IllegalStateException("PostgreSQL setup failed: " + result + "\n--- postgres.log\n" + log);
    }
  }
}
