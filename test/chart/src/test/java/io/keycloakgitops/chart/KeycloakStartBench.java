package io.keycloakgitops.chart;

import io.keycloakgitops.testsupport.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Benchmark (not a test): time of the image build steps and of {@code kc.sh start --optimized} to /health/ready
 * on PostgreSQL, the first start on an empty database (schema creation) and the following ones. Prints the numbers
 * for docs/benchmarks/chart.md. Run with test/chart/bench.sh [starts].
 */
public final class KeycloakStartBench {
  private KeycloakStartBench() {}

  public static void main(String[] args) throws Exception {
    int starts = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    Path dist = Paths.get(System.getProperty("keycloak.dist.dir",
        System.getProperty("user.home") + "/.cache/keycloak-gitops/keycloak-26.5.6"));
    Path work = Files.createTempDirectory("kg-keycloak-bench");
    try {
      Path home = work.resolve("keycloak");
      long buildStart = System.nanoTime();
      var build = OptimizedKeycloak.build(dist, home, Map.of("KEYCLOAK_DB", "postgres"));
      long buildMillis = (System.nanoTime() - buildStart) / 1_000_000;
      if (!build.ok()) {
        throw new IllegalStateException("build-steps.sh failed: " + build);
      }
      List<Long> millis = new ArrayList<>();
      try (Postgres postgres = new Postgres()) {
        for (int i = 0; i < starts; i++) {
          try (OptimizedKeycloak keycloak = OptimizedKeycloak.start(home, postgres)) {
            millis.add(keycloak.startMillis());
          }
        }
        System.out.printf("%s, %d cores, Java %s%n", postgres.version(), Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.version"));
      }
      System.out.printf("build-steps.sh (copy + kc.sh build): %d ms%n", buildMillis);
      System.out.printf("start --optimized to /health/ready, first (empty database): %d ms%n", millis.get(0));
      System.out.printf("start --optimized to /health/ready, later starts: %s ms%n", millis.subList(1, millis.size()));
    } finally {
      Commands.run(null, List.of("rm", "-rf", work.toString()));
    }
  }
}
