package io.keycloakgitops.realmsync.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.keycloak.RequestCounter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What one CLI run cost, written as JSON to the file named by {@code REALM_SYNC_STATS} (for benchmarks and
 * capacity planning): admin requests by kind, the slowest request, CPU time, peak heap and peak resident memory.
 */
final class RunStats {
  static final String ENV = "REALM_SYNC_STATS";

  private RunStats() {}

  static ObjectNode of(RequestCounter counter) {
    var out = Json.object();
    out.put("reads", counter.reads());
    out.put("writes", counter.writes());
    var kinds = out.putObject("byKind");
    counter.byKind().forEach(kinds::put);
    var slowest = counter.slowest();
    if (slowest != null) {
      out.putObject("slowest").put("kind", slowest.kind()).put("millis", slowest.millis());
    }
    long heap = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
        .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    out.put("peakHeapBytes", heap);
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      out.put("cpuMillis", os.getProcessCpuTime() / 1_000_000);
    }
    out.put("peakRssBytes", peakRss());
    return out;
  }

  /** VmHWM from /proc (Linux); -1 elsewhere. */
  private static long peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: unknown
    }
    return -1;
  }

  /** Writes the stats if {@code REALM_SYNC_STATS} names a file; a failure to write never fails the run. */
  static void writeIfAsked(RequestCounter counter, java.io.PrintWriter err) {
    String file = System.getenv(ENV);
    if (file == null || file.isBlank()) {
      return;
    }
    try {
      Files.writeString(Path.of(file), Json.write(of(counter)));
    } catch (IOException e) {
      err.println("cannot write " + ENV + " file " + file + ": " + e.getMessage());
    }
  }
}
