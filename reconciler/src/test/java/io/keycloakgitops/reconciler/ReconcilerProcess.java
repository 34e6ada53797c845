package io.keycloakgitops.reconciler;

import io.keycloakgitops.testsupport.FreePort;
import io.keycloakgitops.testsupport.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The runnable jar ({@code target/reconciler.jar run}) as a child process: how it runs in a pod, for the CLI
 * integration test and the benchmark (which measures this process's memory).
 */
public final class ReconcilerProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final ServiceProcess process;
  private final int healthPort;

  private ReconcilerProcess(ServiceProcess process, int healthPort) {
    this.process = process;
    this.healthPort = healthPort;
  }

  /**
   * Starts {@code java -jar reconciler.jar run --kubeconfig … --health-port <free> extraArgs…} with only
   * {@code env} (and PATH) in its environment.
   */
  public static ReconcilerProcess start(Path kubeconfig, Map<String, String> env, List<String> jvmArgs,
      String... extraArgs) {
    Path jar = Path.of("target", "reconciler.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run mvn package first");
    }
    int port = FreePort.pick();
    var command = new ArrayList<String>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmArgs);
    command.addAll(List.of("-jar", jar.toString(), "run", "--kubeconfig", kubeconfig.toString(),
        "--health-port", String.valueOf(port)));
    command.addAll(List.of(extraArgs));
    return new ReconcilerProcess(ServiceProcess.exec(command, env, "reconciler"), port);
  }

  public ProcessHandle handle() {
    return process.handle();
  }

  /** Status code of GET {@code path} on the health port, or -1 while nothing listens. */
  public int status(String path) {
    try {
      return HTTP.send(request(path), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String metrics() {
    try {
      return HTTP.send(request("/metrics"), HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sum of the samples of a Prometheus metric whose labels contain every {@code label="value"} given. */
  public double metric(String name, String... labels) {
    var line = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$", Pattern.MULTILINE);
    var matcher = line.matcher(metrics());
    double sum = 0;
    while (matcher.find()) {
      String found = matcher.group(1) == null ? "" : matcher.group(1);
      if (List.of(labels).stream().allMatch(found::contains)) {
        sum += Double.parseDouble(matcher.group(2));
      }
    }
    return sum;
  }

  /** Resident set size of the process in KiB (Linux). */
  public long residentKib() {
    try {
      return Files.readAllLines(Path.of("/proc", String.valueOf(process.handle().pid()), "status")).stream()
          .filter(l -> l.startsWith("VmRSS:"))
          .map(l -> Long.parseLong(l.replaceAll("\\D", "")))
          .findFirst().orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the process printed (its log lines go to stderr; stdout stays empty in {@code run}). */
  public String log() {
    return process.log();
  }

  public boolean isAlive() {
    return process.handle().isAlive();
  }

  private HttpRequest request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + path))
        .timeout(Duration.ofSeconds(5)).build();
  }

  /** SIGTERM, as the kubelet does; returns the exit code (143: a clean exit on SIGTERM). */
  public int stop() {
    return process.stop();
  }

  @Override
  public void close() {
    process.close();
  }
}
