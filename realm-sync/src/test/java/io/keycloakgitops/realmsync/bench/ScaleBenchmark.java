package io.keycloakgitops.realmsync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.keycloakgitops.realmsync.CliRun;
import io.keycloakgitops.realmsync.RealmSyncer;
import io.keycloakgitops.realmsync.engine.Executor;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.engine.OwnershipKey;
import io.keycloakgitops.realmsync.engine.PrunePolicy;
import io.keycloakgitops.realmsync.keycloak.KeycloakAdmin;
import io.keycloakgitops.realmsync.keycloak.KeycloakTarget;
import io.keycloakgitops.realmsync.source.DesiredRealm;
import io.keycloakgitops.realmsync.source.Placeholders;
import io.keycloakgitops.realmsync.source.RealmDocument;
import io.keycloakgitops.testsupport.KeycloakServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The scale benchmark of issue 12 (prints and records numbers, asserts nothing). For each workload, in one run on
 * the test harness's Keycloak: Keycloak's own import ({@code POST /admin/realms} of each file), then realm-sync as
 * a CI job runs it — a fresh {@code java -jar realm-sync.jar} process per step (cold apply, no-op plan, no-op
 * apply, one-change apply) — and as the warm service does (a long-lived JVM: full no-op sync, one-change
 * incremental sync). Usage: {@code ScaleBenchmark <output.md> <jar> W1 R200 W10}.
 */
public final class ScaleBenchmark {
  private static final String SOURCE = "bench";
  private static final Duration CLI_LIMIT = Duration.ofMinutes(30);
  private static final KeycloakAdmin.Timeouts TIMEOUTS = new KeycloakAdmin.Timeouts(Duration.ofSeconds(5), Duration.ofMinutes(5));
  /** {@code -Dbench.stopAt=2026-12-05T09:10:00Z}: steps not finished by then are recorded as not measured. */
  private static final java.time.Instant STOP_AT = java.time.Instant.parse(System.getProperty("bench.stopAt",
      "9999-01-01T00:00:00Z"));
  /**
   * The JVM options recommended for the CLI (docs/realm-sync.md), with the archive kept in ~/.cache, and the heap
   * limit of the W10 goal.
   */
  static final List<String> CLI_JVM = java.util.stream.Stream.concat(CliRun.cliJvmOptions(cdsArchive()).stream(),
      java.util.stream.Stream.of("-Xmx512m")).toList();

  private ScaleBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path output = Path.of(args[0]);
    Path jar = Path.of(args[1]).toAbsolutePath();
    var workloads = new ArrayList<Workloads>();
    for (int i = 2; i < args.length; i++) {
      workloads.add(Workloads.valueOf(args[i]));
    }
    if (workloads.isEmpty()) {
      workloads.addAll(List.of(Workloads.W1, Workloads.R200, Workloads.W10));
    }
    var keycloak = KeycloakServer.shared();
    var target = KeycloakTarget.password(keycloak.baseUrl(), keycloak.adminUser(), keycloak.adminPassword());
    Path work = Files.createTempDirectory("realm-sync-scale");
    var report = new BenchReport(output);
    try (var admin = KeycloakAdmin.connect(target, TIMEOUTS)) {
      for (Workloads workload : workloads) {
        var run = new WorkloadRun(workload, admin, keycloak, jar, work.resolve(workload.label()), report);
        try {
          run.measure();
        } catch (RuntimeException | IOException e) {
          e.printStackTrace();
          run.stopped(e);
        }
        System.out.println(BenchReport.block(run.result));
      }
    }
    keycloak.stop();
  }

  /** One workload measured. */
  private static final class WorkloadRun {
    private final Workloads workload;
    private final KeycloakAdmin admin;
    private final KeycloakServer keycloak;
    private final Path jar;
    private final Path dir;
    private final Path repoDir;
    private final Path realmsDir;
    private final List<String> names;
    private final BenchReport.Result result;
    private final BenchReport report;

    WorkloadRun(Workloads workload, KeycloakAdmin admin, KeycloakServer keycloak, Path jar, Path dir, BenchReport report) {
      this.workload = workload;
      this.admin = admin;
      this.keycloak = keycloak;
      this.jar = jar;
      this.dir = dir;
      this.repoDir = dir.resolve("repo");
      this.realmsDir = repoDir.resolve("realms");
      String id = UUID.randomUUID().toString().substring(0, 4);
      this.names = workload.names("b" + workload.label() + id);
      this.result = new BenchReport.Result(workload);
      this.report = report;
      report.add(result);
    }

    void stopped(Exception e) throws IOException {
      result.notes.add("stopped: " + e.getMessage());
      report.write();
    }

    /** Measures every step, writing the report after each so that a run stopped early keeps what it measured. */
    void measure() throws IOException, InterruptedException {
      Files.createDirectories(realmsDir);
      git("init", "-q", "-b", "main");
      writeFiles(0);
      nativeImport();
      // trains the class-data archive (or refreshes it for a rebuilt jar), as the first CI run with a cache would
      cli("plan");
      record(BenchReport.COLD, cli("apply"));
      record(BenchReport.NOOP_PLAN, cli("plan"));
      record(BenchReport.NOOP_APPLY, cli("apply"));
      if (workload == Workloads.W1) {
        record(BenchReport.NOOP_PLAN_PLAIN, runCli("plan", List.of(), dirSource()));
      }
      writeFiles(1);
      record(BenchReport.ONE_CHANGE, cli("apply"));
      String applied = git("rev-parse", "HEAD");
      writeFiles(2);
      record(BenchReport.ONE_CHANGE_SINCE, runCli("apply", CLI_JVM, List.of("--repo", repoDir.toString(), "--branch", "main",
          "--path", "realms", "--since", applied)));
      warmService();
      report.write();
      deleteRealms(names);
    }

    private void record(String step, BenchReport.Sample sample) throws IOException {
      result.cli.put(step, sample);
      report.write();
    }

    /** Writes and commits the files; only the first realm changes between variants: the one-change steps. */
    private void writeFiles(int variant) throws IOException, InterruptedException {
      for (int i = 0; i < names.size(); i++) {
        if (variant == 0 || i == 0) {
          Files.writeString(realmsDir.resolve(names.get(i) + ".json"), Json.writePretty(workload.realm(names.get(i), variant)));
        }
      }
      git("add", "-A");
      git("-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-q", "-m", "variant " + variant);
    }

    private String git(String... args) throws IOException, InterruptedException {
      var command = new ArrayList<>(List.of("git", "-C", repoDir.toString()));
      command.addAll(List.of(args));
      var process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes()).trim();
      if (process.waitFor() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + output);
      }
      return output;
    }

    /** Keycloak's own import of the same files under other names, then those realms are dropped again. */
    private void nativeImport() throws IOException {
      var created = new ArrayList<String>();
      long start = System.nanoTime();
      long keycloakCpu = keycloakCpuMillis();
      long writes = admin.counter().writes();
      try {
        for (String name : names) {
          String nativeName = name + "-kc";
          admin.realm(nativeName).createRealm(workload.realm(nativeName, 0));
          created.add(nativeName);
        }
        result.nativeImport = new BenchReport.Sample(seconds(start), -1, 0, admin.counter().writes() - writes, -1, -1, null,
            keycloakCpuMillis() - keycloakCpu);
        firstUse(created);
      } catch (RuntimeException e) {
        result.notes.add("Keycloak's own import failed after " + created.size() + " realm(s) in %.1f s: %s"
            .formatted(seconds(start), e.getMessage()));
      }
      System.out.printf("%s native import: %s, first use: %s%n", workload, result.nativeImport, result.nativeFirstUse);
      report.write();
      deleteRealms(created);
    }

    /** One {@code GET /admin/realms/<name>} per realm the import created, in order. */
    private void firstUse(List<String> realms) {
      long start = System.nanoTime();
      long keycloakCpu = keycloakCpuMillis();
      double slowest = 0;
      for (String realm : realms) {
        long one = System.nanoTime();
        admin.realm(realm).find("");
        slowest = Math.max(slowest, seconds(one));
      }
      result.nativeFirstUse = new BenchReport.Sample(seconds(start), -1, realms.size(), 0, -1, -1,
          "%.2f s".formatted(slowest), keycloakCpuMillis() - keycloakCpu);
    }

    /** CPU time of the Keycloak process and its children (kc.sh starts the JVM). */
    private long keycloakCpuMillis() {
      return keycloak.processHandle().map(handle -> java.util.stream.Stream.concat(java.util.stream.Stream.of(handle),
              handle.descendants())
          .mapToLong(h -> h.info().totalCpuDuration().map(Duration::toMillis).orElse(0L)).sum()).orElse(-1L);
    }

    private void deleteRealms(List<String> realms) {
      for (String realm : realms) {
        try {
          admin.realm(realm).deleteRealm();
        } catch (RuntimeException e) {
          System.out.println("could not delete " + realm + ": " + e.getMessage());
        }
      }
    }

    private BenchReport.Sample cli(String command) throws IOException, InterruptedException {
      return runCli(command, CLI_JVM, dirSource());
    }

    private List<String> dirSource() {
      return List.of("--dir", realmsDir.toString());
    }

    /** A fresh process as CI runs it; the clock covers JVM start to exit. */
    private BenchReport.Sample runCli(String command, List<String> jvmOptions, List<String> source)
        throws IOException, InterruptedException {
      Path stats = dir.resolve("stats.json");
      Files.deleteIfExists(stats);
      var argv = new ArrayList<String>();
      argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      argv.addAll(jvmOptions);
      argv.addAll(List.of("-jar", jar.toString(), command));
      argv.addAll(source);
      argv.addAll(List.of("--source-id", SOURCE));
      var builder = new ProcessBuilder(argv).redirectOutput(dir.resolve(command + ".out").toFile())
          .redirectError(dir.resolve(command + ".err").toFile());
      builder.environment().putAll(Map.of("KEYCLOAK_URL", keycloak.baseUrl(), "KEYCLOAK_USER", keycloak.adminUser(),
          "KEYCLOAK_PASSWORD", keycloak.adminPassword(), "OWNERSHIP_KEY_FILE", ownershipKey().toString(),
          "REALM_SYNC_STATS", stats.toString(), "KEYCLOAK_READ_TIMEOUT", "300s"));
      long keycloakCpu = keycloakCpuMillis();
      long start = System.nanoTime();
      var process = builder.start();
      long limit = Math.min(CLI_LIMIT.toMillis(), Duration.between(java.time.Instant.now(), STOP_AT).toMillis());
      if (!process.waitFor(Math.max(0, limit), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("`" + command + "` did not finish within %.0f s (run time limit)"
            .formatted(limit / 1000.0));
      }
      double seconds = seconds(start);
      long keycloakCpuUsed = keycloakCpuMillis() - keycloakCpu;
      int exit = process.exitValue();
      boolean ok = exit == 0 || "plan".equals(command) && exit == 2;
      if (!ok) {
        throw new IllegalStateException(command + " exited " + exit + ": " + tail(dir.resolve(command + ".err")));
      }
      JsonNode s = Files.exists(stats) ? Json.read(Files.readString(stats)) : Json.object();
      var sample = new BenchReport.Sample(seconds, s.path("cpuMillis").asLong(-1), s.path("reads").asLong(-1), s.path("writes").asLong(-1),
          s.path("peakHeapBytes").asLong(-1), s.path("peakRssBytes").asLong(-1),
          s.has("slowest") ? s.get("slowest").path("kind").asText() + " " + s.get("slowest").path("millis").asLong() + " ms" : null,
          keycloakCpuUsed);
      System.out.printf("%s CLI %s: %s (exit %d)%n", workload, command, sample, exit);
      if ("plan".equals(command) && exit == 0) {
        result.noOpProfile = s.path("byKind").toString();
      }
      return sample;
    }

    /** A long-lived JVM as the service is: warm, then a full no-op sync and a one-change incremental sync. */
    private void warmService() {
      var syncer = syncer(admin);
      var desired = new HashMap<String, DesiredRealm>();
      for (int i = 0; i < names.size(); i++) {
        desired.put(names.get(i), desired(names.get(i), i == 0 ? 1 : 0));
      }
      syncAll(syncer, desired);
      // Three runs each where a run is quick; one on the big workloads, whose runs take minutes.
      int runs = workload == Workloads.W1 ? 3 : 1;
      var noOps = new ArrayList<BenchReport.Sample>();
      for (int i = 0; i < runs; i++) {
        // a warmed connection of its own per run, so that its slowest request is this run's
        try (var runAdmin = KeycloakAdmin.connect(admin.target(), TIMEOUTS)) {
          var runSyncer = syncer(runAdmin);
          runAdmin.realm(names.get(0)).find("");
          noOps.add(measureService(runAdmin, () -> syncAll(runSyncer, desired)));
        }
      }
      result.service.put(BenchReport.NOOP_APPLY, BenchReport.median(noOps));
      var changes = new ArrayList<BenchReport.Sample>();
      String first = names.get(0);
      var previous = desired.get(first);
      // a connection of its own, so that its slowest request is one of these syncs'
      try (var changeAdmin = KeycloakAdmin.connect(admin.target(), TIMEOUTS)) {
        var changer = syncer(changeAdmin);
        for (int variant = 3; variant < 3 + runs; variant++) {
          var next = desired(first, variant);
          var before = previous;
          changes.add(measureService(changeAdmin, () -> checked(changer.applyIncremental(next, before))));
          previous = next;
        }
      }
      result.service.put(BenchReport.ONE_CHANGE, BenchReport.median(changes));
      System.out.printf("%s service: no-op %s, one change %s%n", workload, result.service.get(BenchReport.NOOP_APPLY),
          result.service.get(BenchReport.ONE_CHANGE));
    }

    private void syncAll(RealmSyncer syncer, Map<String, DesiredRealm> desired) {
      names.forEach(name -> checked(syncer.apply(desired.get(name))));
    }

    private RealmSyncer syncer(KeycloakAdmin connection) {
      return new RealmSyncer(connection, new RealmSyncer.Options(PrunePolicy.defaults(), Executor.DEFAULT_BULK_THRESHOLD,
          SOURCE).withOwnershipKey(OwnershipKey.fromFile(ownershipKey())));
    }

    private BenchReport.Sample measureService(KeycloakAdmin admin, Runnable work) {
      long reads = admin.counter().reads();
      long writes = admin.counter().writes();
      long keycloakCpu = keycloakCpuMillis();
      long start = System.nanoTime();
      work.run();
      var slowest = admin.counter().slowest();
      return new BenchReport.Sample(seconds(start), -1, admin.counter().reads() - reads, admin.counter().writes() - writes,
          -1, -1, slowest == null ? null : slowest.kind() + " " + slowest.millis() + " ms",
          keycloakCpuMillis() - keycloakCpu);
    }

    private DesiredRealm desired(String name, int variant) {
      return DesiredRealm.load(new RealmDocument(name, name + ".json", Json.write(workload.realm(name, variant))),
          Placeholders.GitPolicy.defaults().create());
    }

    private Path ownershipKey() {
      return dir.resolve("ownership.key");
    }
  }

  /** Kept across runs so that every CLI step after the first starts from the archive (as a CI cache would). */
  static Path cdsArchive() {
    return Path.of(System.getProperty("user.home"), ".cache", "keycloak-gitops", "realm-sync.jsa");
  }

  private static RealmSyncer.Outcome checked(RealmSyncer.Outcome outcome) {
    if (!outcome.ok()) {
      throw new IllegalStateException(outcome.summary(), outcome.error());
    }
    return outcome;
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  private static String tail(Path file) throws IOException {
    String text = Files.exists(file) ? Files.readString(file) : "";
    return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
  }
}
