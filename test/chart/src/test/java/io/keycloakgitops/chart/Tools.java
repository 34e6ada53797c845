package io.keycloakgitops.chart;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The external tools these tests drive. A missing tool fails the test with how to install it: CI installs all of
 * them (.ci/run), so a silent skip would only hide a broken pipeline.
 */
final class Tools {
  private Tools() {}

  static Path repoRoot() {
    String root = System.getProperty("repo.root");
    if (root == null) {
      throw new IllegalStateException("system property repo.root is not set (the test/chart pom sets it)");
    }
    return Paths.get(root).toAbsolutePath().normalize();
  }

  static Path chartDir() {
    return repoRoot().resolve("chart");
  }

  static Path helm() {
    Path configured = Paths.get(System.getProperty("helm.bin",
        Paths.get(System.getProperty("user.home"), ".cache/keycloak-gitops/bin/helm").toString()));
    if (Files.isExecutable(configured)) {
      return configured;
    }
    return onPath("helm").orElseThrow(() -> new IllegalStateException(
        "helm not found at " + configured + " nor on PATH: run test/chart/install-helm.sh (builds Helm 3 from the Go module proxy)"));
  }

  /** The bin directory of the newest Debian PostgreSQL server (initdb, pg_ctl, createdb). */
  static Path postgresBin() {
    Path debian = Paths.get("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        Optional<Path> newest = versions.map(v -> v.resolve("bin"))
            .filter(bin -> Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl")))
            .max(Comparator.comparingInt(bin -> Integer.parseInt(bin.getParent().getFileName().toString().replaceAll("\\D", "0"))));
        if (newest.isPresent()) {
          return newest.get();
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return onPath("initdb").map(Path::getParent).orElseThrow(() -> new IllegalStateException(
        "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install -y postgresql"));
  }

  static Optional<Path> onPath(String name) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Paths.get(dir, name))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
