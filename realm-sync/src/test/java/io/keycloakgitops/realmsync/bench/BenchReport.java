package io.keycloakgitops.realmsync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The scale section of docs/benchmarks/realm-sync.md: written between two markers, the rest of the file kept. */
final class BenchReport {
  static final String BEGIN = "<!-- scale benchmark: begin (written by ScaleBenchmark) -->";
  static final String END = "<!-- scale benchmark: end -->";
  /** {@code KC_*} names that suggest a credential: left out of the committed report. */
  private static final Pattern CREDENTIAL = Pattern.compile("PASSWORD|SECRET|TOKEN|CREDENTIAL|KEY");
  static final String COLD = "cold apply";
  static final String NOOP_PLAN = "no-op `plan`";
  static final String NOOP_PLAN_PLAIN = "no-op `plan` with a plain `java -jar` (no archive, default JIT and GC)";
  static final String NOOP_APPLY = "no-op `apply` (full compare)";
  static final String ONE_CHANGE = "one-change `apply` (one client's rootUrl), full compare";
  static final String ONE_CHANGE_SINCE = "one-change `apply --since <last applied commit>` (only what changed is compared)";

  /**
   * One measurement: seconds, admin requests, Keycloak's CPU time meanwhile, and for a CLI process its own CPU time,
   * peak heap and RSS and slowest request (-1 or null where not known).
   */
  record Sample(double seconds, long cpuMillis, long reads, long writes, long heapBytes, long rssBytes, String slowest,
      long keycloakCpuMillis) {
    @Override
    public String toString() {
      return "%.2f s (CPU %.2f s, Keycloak CPU %.2f s), %d reads, %d writes%s".formatted(seconds, cpuMillis / 1000.0,
          keycloakCpuMillis / 1000.0, reads, writes,
          heapBytes < 0 ? "" : ", heap %d MiB, RSS %d MiB".formatted(heapBytes >> 20, rssBytes >> 20));
    }
  }

  /** Everything measured for one workload; steps not reached stay absent. */
  static final class Result {
    final Workloads workload;
    final Map<String, Sample> cli = new LinkedHashMap<>();
    final Map<String, Sample> service = new LinkedHashMap<>();
    final List<String> notes = new ArrayList<>();
    Sample nativeImport;
    /** The first admin request to each realm Keycloak's import created: seconds in all, slowest in {@code slowest}. */
    Sample nativeFirstUse;
    String noOpProfile;

    Result(Workloads workload) {
      this.workload = workload;
    }
  }

  private final Path file;
  private final List<Result> results = new ArrayList<>();

  BenchReport(Path file) {
    this.file = file;
  }

  void add(Result result) {
    results.add(result);
  }

  static Sample median(List<Sample> samples) {
    var sorted = new ArrayList<>(samples);
    sorted.sort((a, b) -> Double.compare(a.seconds(), b.seconds()));
    return sorted.get(sorted.size() / 2);
  }

  /**
   * Keycloak options given to the benchmark's Keycloak as {@code KC_*} variables (it inherits the environment); those
   * whose name suggests a credential are left out of the committed report.
   */
  private static String keycloakOptions() {
    var options = new TreeMap<>(System.getenv()).entrySet().stream()
        .filter(e -> e.getKey().startsWith("KC_") && !CREDENTIAL.matcher(e.getKey()).find())
        .map(e -> e.getKey() + "=" + e.getValue()).toList();
    return options.isEmpty() ? " Keycloak options: the defaults." : " Keycloak options: `" + String.join(" ", options) + "`.";
  }

  /** The block of one workload, between its own markers so that runs of other workloads keep theirs. */
  static String block(Result r) {
    var out = new StringBuilder(blockBegin(r.workload)).append('\n');
    out.append("\n### %s: %s\n\n".formatted(r.workload.name(), r.workload.description));
    int cpus = Runtime.getRuntime().availableProcessors();
    // The load average alone cannot tell the benchmark's own Keycloak and realm-sync from other work: it is stated,
    // and whoever runs the benchmark says whether the machine was otherwise idle.
    out.append("Measured %s on %d CPUs, load average %s at the end.".formatted(LocalDate.now(), cpus, loadAverage()))
        .append(" CPU is realm-sync's own CPU time; Keycloak CPU is the Keycloak process's CPU time during the step.")
        .append(" CLI JVM options: `").append(String.join(" ", ScaleBenchmark.CLI_JVM).replace(System.getProperty("user.home"), "~"))
        .append("`.").append(keycloakOptions()).append("\n\n");
    out.append("| Step | CLI process (JVM start included) | Warm service | Goal |\n|---|---|---|---|\n");
    double nativeSeconds = r.nativeImport == null ? Double.NaN : r.nativeImport.seconds();
    out.append(row("Keycloak's own import (`POST /admin/realms`%s)".formatted(r.workload.realms > 1 ? " × " + r.workload.realms : ""),
        r.nativeImport == null ? "not measured" : "%.2f s (Keycloak CPU %.2f s)".formatted(nativeSeconds,
            r.nativeImport.keycloakCpuMillis() / 1000.0), "", "—"));
    if (r.nativeFirstUse != null) {
      out.append(row("first admin request (`GET /admin/realms/<name>`) to each realm the import created",
          "%.2f s in all, slowest %s".formatted(r.nativeFirstUse.seconds(), r.nativeFirstUse.slowest()), "", "(Keycloak)"));
    }
    Sample cold = r.cli.get(COLD);
    out.append(row(COLD, cli(cold) + (cold == null || Double.isNaN(nativeSeconds) ? ""
        : " = **%.2f× native**".formatted(cold.seconds() / nativeSeconds)), "", "≤ 1.1× native"));
    out.append(row(NOOP_PLAN, cli(r.cli.get(NOOP_PLAN)), "", goal(r.workload, "noop")));
    if (r.cli.containsKey(NOOP_PLAN_PLAIN)) {
      out.append(row(NOOP_PLAN_PLAIN, cli(r.cli.get(NOOP_PLAN_PLAIN)), "", "(for comparison)"));
    }
    out.append(row(NOOP_APPLY, cli(r.cli.get(NOOP_APPLY)), service(r.service.get(NOOP_APPLY)),
        goal(r.workload, "noop") + serviceGoal(r.workload, "noop")));
    out.append(row(ONE_CHANGE, cli(r.cli.get(ONE_CHANGE)), "", "1 write (and drift corrected)"));
    out.append(row(ONE_CHANGE_SINCE, cli(r.cli.get(ONE_CHANGE_SINCE)), service(r.service.get(ONE_CHANGE)),
        goal(r.workload, "one") + serviceGoal(r.workload, "one")));
    var slowest = r.cli.entrySet().stream().filter(e -> e.getValue().slowest() != null)
        .map(e -> e.getKey() + ": " + e.getValue().slowest()).toList();
    out.append(row("slowest admin request", String.join("; ", slowest), "", "≤ 30 s"));
    for (String note : r.notes) {
      out.append(row("note", note, "", ""));
    }
    if (r.noOpProfile != null) {
      out.append("\nRequest profile of the no-op `plan` (admin requests by kind): ").append(r.noOpProfile).append('\n');
    }
    return out.append('\n').append(blockEnd(r.workload)).append('\n').toString();
  }

  private static String blockBegin(Workloads w) {
    return "<!-- scale " + w.name() + ": begin -->";
  }

  private static String blockEnd(Workloads w) {
    return "<!-- scale " + w.name() + ": end -->";
  }

  /** The whole section: how it is measured, then a block per workload (this run's, or kept from the file). */
  static String section(String previous, List<Result> results) {
    var out = new StringBuilder(BEGIN).append("\n\n## At scale: W1, R200, W10 (issue 12)\n");
    out.append("""

        Run: `scripts/bench-realm-sync.sh [W1] [R200] [W10]` (default all three) — `ScaleBenchmark` in
        realm-sync/src/test/java/io/keycloakgitops/realmsync/bench, on the test harness's Keycloak 26.5.6 `start-dev`
        (in-memory H2) on the same machine, Java %s, its realm cache sized for many realms as docs/realm-sync.md
        advises (the script's default `KC_CACHE_EMBEDDED_REALMS_MAX_COUNT=200000`; each table names the `KC_*` options
        it ran with). Each workload is measured in one run:
        - Keycloak's own import posts each file as a new realm (under another name), timed; those realms are deleted
          before realm-sync runs, so both start from the same server state.
        - Then the first admin request to each of those realms is timed: the first use of a new realm through the
          admin API costs Keycloak time of its own, which every tool that reads a realm it created pays.
        - CLI process: a fresh `java <options> -jar realm-sync.jar <step> --dir ...` per step, timed from start to
          exit, with the JVM options recommended for the CLI (docs/realm-sync.md, "Running the CLI fast") and a heap
          limit of 512 MiB (the W10 goal: a step that needs more fails); the class-data archive is trained by one
          `plan` before the first step (as a CI cache of `~/.cache` keeps it). `apply --since` reads the files from a
          Git repository (`--repo`, a local clone) at the new commit and at the last applied one. Requests, CPU time,
          peak heap and peak RSS come from the process itself (`REALM_SYNC_STATS`); reads/writes are admin API
          requests counted by a filter on the client.
        - Warm service: the same engine in a long-lived JVM (what `run` does for a drift check and for a new commit):
          no-op = full compare of every realm, one change = incremental sync of one edited client (median of 3 on
          W1, one run on R200 and W10).
        """.formatted(System.getProperty("java.version")));
    for (Workloads w : Workloads.values()) {
      var measured = results.stream().filter(r -> r.workload == w).findFirst();
      if (measured.isPresent()) {
        out.append('\n').append(block(measured.get()));
      } else {
        int begin = previous.indexOf(blockBegin(w));
        int end = previous.indexOf(blockEnd(w));
        if (begin >= 0 && end > begin) {
          out.append('\n').append(previous, begin, end + blockEnd(w).length()).append('\n');
        }
      }
    }
    return out.append('\n').append(END).append('\n').toString();
  }

  void write() throws IOException {
    String doc = Files.exists(file) ? Files.readString(file) : "";
    int begin = doc.indexOf(BEGIN);
    int end = doc.indexOf(END);
    String updated = begin >= 0 && end > begin
        ? doc.substring(0, begin) + section(doc.substring(begin, end), results) + doc.substring(end + END.length() + 1)
        : doc + (doc.isEmpty() || doc.endsWith("\n\n") ? "" : "\n") + section("", results);
    Files.writeString(file, updated);
  }

  private static String row(String step, String cli, String service, String goal) {
    return "| %s | %s | %s | %s |\n".formatted(step, cli, service, goal);
  }

  private static String cli(Sample s) {
    return s == null ? "not measured" : ("%.2f s (CPU %.2f s, Keycloak CPU %.2f s), %d reads / %d writes, heap %d MiB, "
        + "RSS %d MiB").formatted(s.seconds(), s.cpuMillis() / 1000.0, s.keycloakCpuMillis() / 1000.0, s.reads(),
        s.writes(), s.heapBytes() >> 20, s.rssBytes() >> 20);
  }

  private static String service(Sample s) {
    return s == null ? "" : "%.3f s (Keycloak CPU %.2f s), %d reads / %d writes%s".formatted(s.seconds(),
        s.keycloakCpuMillis() / 1000.0, s.reads(), s.writes(), s.slowest() == null ? "" : ", slowest " + s.slowest());
  }

  private static String goal(Workloads w, String step) {
    return switch (w) {
      case W1 -> "noop".equals(step) ? "CLI ≤ 3 s, 0 writes" : "CLI ≤ 1.5 s, 1 write";
      case W10 -> "noop".equals(step) ? "CLI ≤ 30 s" : "1 write";
      case R200 -> "noop".equals(step) ? "service ≤ 60 s" : "1 write";
    };
  }

  private static String serviceGoal(Workloads w, String step) {
    return switch (w) {
      case W1 -> "noop".equals(step) ? "; service ≤ 1 s" : "; service ≤ 0.2 s";
      case R200 -> "";
      case W10 -> "";
    };
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "unknown";
    }
  }
}
