package io.keycloakgitops.webhook.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keycloakgitops.testsupport.FreePort;
import io.keycloakgitops.webhook.Manifests;
import io.keycloakgitops.webhook.Reviews;
import io.keycloakgitops.webhook.TlsClients;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.HdrHistogram.Recorder;

/**
 * Benchmark of the packaged webhook (not a test): starts {@code webhook/target/webhook.jar serve} with -Xmx128m as
 * its own process, measures its start time, then drives POST /validate and /mutate over TLS on loopback with
 * keep-alive connections: a fixed 500 req/s (latency measured from each request's scheduled time, so queueing
 * counts) and a saturated closed loop. Prints Markdown rows for docs/benchmarks/webhook.md. Besides wall-clock
 * figures it reports the webhook process's CPU time per request, and the throughput that CPU cost allows on all
 * cores: on a shared machine the wall-clock figures depend on what else runs, the CPU cost much less.
 *
 * <p>Arguments (all optional): seconds per run (default 20), connections for the saturated run (default 16).
 */
public final class WebhookBench {
  /** From the repository root (the benchmark) or the module directory (failsafe runs ITs there). */
  static final Path JAR = Files.isRegularFile(Path.of("webhook/target/webhook.jar"))
      ? Path.of("webhook/target/webhook.jar") : Path.of("target/webhook.jar");
  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
  /** JVM options of the webhook process, e.g. -Dbench.serverJvm="-Xmx128m -XX:+UseG1GC" to compare collectors. */
  /** Which runs, e.g. -Dbench.runs=/validate:typical to compare JVM options quickly; default all. */
  private static final String RUNS = System.getProperty("bench.runs", "");
  /**
   * A nice value for the webhook process, e.g. -Dbench.serverNice=-10: on a machine shared with other builds it
   * stands in for the CPU share a pod's CPU request guarantees. Default: none.
   */
  private static final String SERVER_NICE = System.getProperty("bench.serverNice", "");
  private static final List<String> SERVER_JVM =
      List.of(System.getProperty("bench.serverJvm", "-Xmx128m -Xmn80m -XX:+UseSerialGC").trim().split("\\s+"));

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int saturatedConnections = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException("build the jar first: mvn -o -q -pl webhook package -DskipTests (run from the repo root)");
    }
    System.out.printf("%s, %d cores, load average %s; server JVM options %s%s; load generator in this JVM on the"
        + " same cores%n%n", System.getProperty("java.vm.name") + " " + Runtime.version(),
        Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).split(" ")[0], SERVER_JVM,
        SERVER_NICE.isEmpty() ? "" : ", nice " + SERVER_NICE);

    byte[] typical = Reviews.create(Manifests.fixture("upstream/keycloak-full.yaml"));
    if (RUNS.equals("floor")) {
      floor(typical, saturatedConnections, seconds);
      return;
    }
    startTimes(typical);

    byte[] large = Reviews.create(largeKeycloak());
    System.out.printf("typical review: %d bytes (upstream full example), large review: %d bytes%n%n", typical.length,
        large.length);

    var bodies = List.of(new Body("typical", typical), new Body("large", large));
    try (var server = Server.start(List.of())) {
      for (String path : List.of("/validate", "/mutate")) {
        for (var body : bodies) {
          run(server, path, body, saturatedConnections, 0, 10); // warm-up (JIT), not printed
        }
      }
      System.out.println("| endpoint | CR | load | connections | requests | throughput | p50 | p99 | p99.9 | max | errors "
          + "| server CPU/request | CPU capacity |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
      for (String path : List.of("/validate", "/mutate")) {
        for (var body : bodies) {
          if (!RUNS.isEmpty() && !List.of(RUNS.split(",")).contains(path + ":" + body.name())) {
            continue;
          }
          run(server, path, body, 8, 500, 5); // settle at the measured rate (JIT re-profiles), not printed
          System.out.println(run(server, path, body, 8, 500, seconds));
          System.out.println(run(server, path, body, saturatedConnections, 0, seconds));
        }
      }
      System.out.printf("%nserver heap after the runs: %s%n", server.heapSummary());
      if (RUNS.isEmpty()) {
        wrk(server, typical, saturatedConnections, seconds);
      }
    }
    if (RUNS.isEmpty()) {
      floor(typical, saturatedConnections, seconds);
    }
  }

  /**
   * The webhook's saturated /validate throughput against the floor's ({@link FloorServer}: TLS, Jetty and a Jackson
   * parse of the same review, nothing else), both as their own processes with the same JVM options, measured in
   * alternation (floor, webhook, floor, webhook) so that the neighbours' load hits both alike.
   */
  static void floor(byte[] review, int connections, int seconds) throws Exception {
    try (var webhook = Server.start(List.of()); var floor = Server.startFloor(webhook.certs)) {
      var body = new Body("typical", review);
      // Warm-up, not printed: the webhook has far more code for the JIT to compile than the floor. On the loaded
      // 2-core machine its CPU per request fell from 1.5 ms to a steady ~110 µs only after about 45 s of load.
      run(floor, "/validate", body, connections, 0, 20);
      run(webhook, "/validate", body, connections, 0, 75);
      System.out.printf("%n**Against the floor** (saturated /validate, typical review, %d connections, load average %s)"
          + "%n%n| server | run | requests | throughput | p50 | p99 | errors | server CPU/request |%n"
          + "|---|---|---|---|---|---|---|---|%n", connections, loadAverage());
      double floorTotal = 0;
      double webhookTotal = 0;
      for (int round = 1; round <= 2; round++) {
        Result f = measure(floor, body, connections, seconds);
        Result w = measure(webhook, body, connections, seconds);
        System.out.println("| floor | " + round + " " + f.row());
        System.out.println("| webhook | " + round + " " + w.row());
        floorTotal += f.throughput();
        webhookTotal += w.throughput();
      }
      System.out.printf(Locale.ROOT, "%nwebhook / floor throughput: %.2f (load average %s at the end)%n",
          webhookTotal / floorTotal, loadAverage());
    }
  }

  record Result(double throughput, String row) {}

  private static Result measure(Server server, Body body, int connections, int seconds) throws Exception {
    String row = run(server, "/validate", body, connections, 0, seconds);
    // "| /validate | typical | saturated | 16 | requests | N req/s | p50 | p99 | p99.9 | max | errors | cpu | cap |"
    String[] cells = row.split("\\|");
    double throughput = Double.parseDouble(cells[6].trim().split(" ")[0]);
    return new Result(throughput, "| " + cells[5].trim() + " | " + cells[6].trim() + " | " + cells[7].trim() + " | "
        + cells[8].trim() + " | " + cells[11].trim() + " | " + cells[12].trim() + " |");
  }

  private static String loadAverage() throws IOException {
    return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
  }

  record Body(String name, byte[] bytes) {}

  /**
   * Process start until /readyz answers 200, plain and with a JDK AOT cache (JEP 483/514) made by a training run
   * that served a few reviews.
   */
  static void startTimes(byte[] review) throws Exception {
    Path cache = Files.createTempDirectory("webhook-aot").resolve("webhook.aot");
    try (var training = Server.start(List.of("-XX:AOTCacheOutput=" + cache))) {
      try (var connection = new Connection(training.port)) {
        for (int i = 0; i < 200; i++) {
          connection.post(i % 2 == 0 ? "/validate" : "/mutate", review);
        }
      }
    } // the cache is written when the JVM exits
    System.out.println("| start | process start → /readyz 200 | in-JVM start | with AOT cache | in-JVM start |");
    System.out.println("|---|---|---|---|---|");
    for (int i = 1; i <= (RUNS.isEmpty() ? 3 : 1); i++) {
      try (var plain = Server.start(List.of()); var aot = Server.start(List.of("-XX:AOTCache=" + cache))) {
        System.out.printf("| run %d | %d ms | %s | %d ms | %s |%n", i, plain.startMillis, plain.inJvmStart(),
            aot.startMillis, aot.inJvmStart());
      }
    }
    System.out.println();
  }

  /** A Keycloak CR at the large end: a pod template with many sidecars, env vars and volumes (~100 KB). */
  static ObjectNode largeKeycloak() {
    ObjectNode object = Manifests.fixture("upstream/keycloak-full.yaml");
    ObjectNode podSpec = (ObjectNode) object.path("spec").path("unsupported").path("podTemplate").path("spec");
    ArrayNode containers = (ArrayNode) podSpec.path("containers");
    ArrayNode volumes = (ArrayNode) podSpec.path("volumes");
    for (int c = 0; c < 15; c++) {
      ObjectNode sidecar = containers.addObject().put("name", "sidecar-" + c).put("image", "busybox:1.37");
      ArrayNode env = sidecar.putArray("env");
      for (int e = 0; e < 40; e++) {
        env.addObject().put("name", "SETTING_" + e).put("value", "value-" + c + "-" + e + "-" + "x".repeat(40));
      }
      sidecar.putObject("resources").putObject("limits").put("cpu", "100m").put("memory", "64Mi");
      sidecar.putObject("securityContext").put("runAsNonRoot", true).put("readOnlyRootFilesystem", true);
    }
    for (int v = 0; v < 40; v++) {
      volumes.addObject().put("name", "config-" + v).putObject("configMap").put("name", "config-" + v);
    }
    return object;
  }

  /** One run; {@code rate} 0 means a closed loop as fast as the server answers. */
  static String run(Server server, String path, Body body, int connections, int rate, int seconds) throws Exception {
    var recorder = new Recorder(3);
    var errors = new AtomicLong();
    var count = new AtomicLong();
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
    Duration cpuBefore = server.cpu();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    long interval = rate == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) * connections / rate;
    var threads = new ArrayList<Thread>();
    for (int c = 0; c < connections; c++) {
      long offset = rate == 0 ? 0 : interval * c / connections;
      threads.add(Thread.ofPlatform().start(() -> {
        try (var connection = new Connection(server.port)) {
          long scheduled = start + offset;
          while (scheduled < end) {
            if (rate > 0) {
              long wait = scheduled - System.nanoTime();
              if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
              }
            }
            long sent = rate > 0 ? scheduled : System.nanoTime();
            int status = connection.post(path, body.bytes());
            recorder.recordValue((System.nanoTime() - sent) / 1000);
            count.incrementAndGet();
            if (status != 200) {
              errors.incrementAndGet();
            }
            scheduled = rate > 0 ? scheduled + interval : System.nanoTime();
          }
        } catch (Exception e) {
          errors.incrementAndGet();
          e.printStackTrace();
        }
      }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    double cpuMicros = server.cpu().minus(cpuBefore).toNanos() / 1000.0 / Math.max(1, count.get());
    var histogram = recorder.getIntervalHistogram();
    return String.format(Locale.ROOT, "| %s | %s | %s | %d | %d | %.0f req/s | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %d "
        + "| %.0f µs | %.0f req/s |", path, body.name(), rate == 0 ? "saturated" : rate + " req/s", connections,
        count.get(), count.get() / elapsed, histogram.getValueAtPercentile(50) / 1000.0,
        histogram.getValueAtPercentile(99) / 1000.0, histogram.getValueAtPercentile(99.9) / 1000.0,
        histogram.getMaxValue() / 1000.0, errors.get(), cpuMicros,
        Runtime.getRuntime().availableProcessors() * 1e6 / cpuMicros);
  }

  private static void wrk(Server server, byte[] body, int connections, int seconds) throws Exception {
    Path wrk = Path.of("/usr/bin/wrk");
    if (!Files.isExecutable(wrk)) {
      System.out.println("\n(wrk not installed: apt-get install -y wrk)");
      return;
    }
    Path bodyFile = Files.createTempFile("review", ".json");
    Files.write(bodyFile, body);
    Path script = Files.createTempFile("post", ".lua");
    Files.writeString(script, "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
        + "local f = io.open(\"" + bodyFile + "\", \"rb\")\nwrk.body = f:read(\"*a\")\nf:close()\n");
    String[] command = {wrk.toString(), "-t2", "-c" + connections, "-d" + seconds + "s", "--latency", "-s",
        script.toString(), "https://127.0.0.1:" + server.port + "/validate"};
    System.out.println("\n$ " + String.join(" ", command).replace(script.toString(), "post.lua") + "  # typical review");
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    System.out.println(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    process.waitFor();
  }

  /** One keep-alive HTTPS/1.1 connection, one request at a time; minimal, so the client costs little CPU. */
  static final class Connection implements AutoCloseable {
    private final SSLSocket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];

    Connection(int port) throws Exception {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new TrustAll()}, null);
      socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      socket.startHandshake();
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    }

    int post(String path, byte[] body) throws IOException {
      String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length + "\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      String statusLine = line();
      int status = Integer.parseInt(statusLine.substring(9, 12));
      int length = -1;
      boolean chunked = false;
      for (String header = line(); !header.isEmpty(); header = line()) {
        String lower = header.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Integer.parseInt(header.substring(15).trim());
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        }
      }
      if (chunked) {
        for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
          skip(size);
          line();
        }
        line();
      } else {
        skip(length);
      }
      return status;
    }

    private void skip(int bytes) throws IOException {
      for (int left = bytes; left > 0; ) {
        int read = in.read(buffer, 0, Math.min(left, buffer.length));
        if (read < 0) {
          throw new IOException("connection closed");
        }
        left -= read;
      }
    }

    private String line() throws IOException {
      var line = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) {
          throw new IOException("connection closed");
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** The benchmark talks to its own server on loopback; what is measured is the server, not the trust check. */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

    @Override
    public java.security.cert.X509Certificate[] getAcceptedIssuers() {
      return new java.security.cert.X509Certificate[0];
    }
  }

  /** The packaged webhook in its own JVM. */
  static final class Server implements AutoCloseable {
    final Process process;
    final int port;
    final long startMillis;
    final Path log;
    final Path certs;

    private Server(Process process, int port, long startMillis, Path log, Path certs) {
      this.process = process;
      this.port = port;
      this.startMillis = startMillis;
      this.log = log;
      this.certs = certs;
    }

    static Server start(List<String> extraJvmOptions) throws Exception {
      int port = FreePort.pick();
      Path certs = Files.createTempDirectory("webhook-bench-certs");
      var arguments = new ArrayList<>(extraJvmOptions);
      arguments.addAll(List.of("-jar", JAR.toString(), "serve", "--port", Integer.toString(port), "--cert-dir",
          certs.toString(), "--shutdown-delay", "0s"));
      return start(arguments, port, certs);
    }

    /** The floor server in its own JVM (same options), serving the webhook's certificate from {@code certs}. */
    static Server startFloor(Path certs) throws Exception {
      int port = FreePort.pick();
      return start(List.of("-cp", System.getProperty("java.class.path"), FloorServer.class.getName(),
          Integer.toString(port), certs.toString()), port, certs);
    }

    private static Server start(List<String> arguments, int port, Path certs) throws Exception {
      Path log = Files.createTempFile("webhook-bench", ".log");
      long started = System.nanoTime();
      var command = new ArrayList<String>();
      if (!SERVER_NICE.isEmpty()) {
        command.addAll(List.of("nice", "-n", SERVER_NICE));
      }
      command.add(JAVA);
      command.addAll(SERVER_JVM);
      command.addAll(arguments);
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      var server = new Server(process, port, 0, log, certs);
      while (true) {
        if (!process.isAlive()) {
          throw new IllegalStateException("the webhook exited: " + Files.readString(log));
        }
        if (Files.isRegularFile(certs.resolve("ca.crt")) && server.ready()) {
          break;
        }
        Thread.sleep(10);
      }
      return new Server(process, port, (System.nanoTime() - started) / 1_000_000, log, certs);
    }

    private boolean ready() {
      try {
        var client = TlsClients.trusting(Files.readString(certs.resolve("ca.crt")));
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/readyz")).build(),
            BodyHandlers.discarding()).statusCode() == 200;
      } catch (Exception e) {
        return false;
      }
    }

    /** CPU time the webhook process has used so far (user + system). */
    Duration cpu() {
      return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    String inJvmStart() throws IOException {
      var matcher = Pattern.compile("webhook listening on \\S+ in (\\d+) ms").matcher(Files.readString(log));
      return matcher.find() ? matcher.group(1) + " ms" : "?";
    }

    String heapSummary() throws Exception {
      var client = TlsClients.trusting(Files.readString(certs.resolve("ca.crt")));
      String metrics = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/metrics")).build(),
          BodyHandlers.ofString()).body();
      double used = sum(metrics, "jvm_memory_used_bytes\\{area=\"heap\"[^}]*\\} (\\S+)");
      double committed = sum(metrics, "jvm_memory_committed_bytes\\{area=\"heap\"[^}]*\\} (\\S+)");
      double gcSeconds = sum(metrics, "jvm_gc_pause_seconds_sum\\{[^}]*\\} (\\S+)");
      double gcMax = max(metrics, "jvm_gc_pause_seconds_max\\{[^}]*\\} (\\S+)");
      return String.format(Locale.ROOT, "heap used %.1f MB, committed %.1f MB; GC pauses %.2f s in total, longest"
          + " in the last minute %.1f ms", used / 1e6, committed / 1e6, gcSeconds, gcMax * 1000);
    }

    private static double max(String text, String regex) {
      var matcher = Pattern.compile(regex).matcher(text);
      double max = 0;
      while (matcher.find()) {
        max = Math.max(max, Double.parseDouble(matcher.group(1)));
      }
      return max;
    }

    private static double sum(String text, String regex) {
      var matcher = Pattern.compile(regex).matcher(text);
      double total = 0;
      while (matcher.find()) {
        total += Double.parseDouble(matcher.group(1));
      }
      return total;
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private WebhookBench() {}
}
