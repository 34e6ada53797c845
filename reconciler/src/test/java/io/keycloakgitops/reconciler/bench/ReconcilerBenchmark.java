package io.keycloakgitops.reconciler.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keycloakgitops.reconciler.ClusterFixtures;
import io.keycloakgitops.reconciler.ReconcilerProcess;
import io.keycloakgitops.reconciler.model.KeycloakNames;
import io.keycloakgitops.schemas.common.Condition;
import io.keycloakgitops.schemas.keycloak.KeycloakStatus;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import io.keycloakgitops.testsupport.TestCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * Benchmark harness (not a test: nothing is asserted). Runs the reconciler jar as a child process against the
 * real kube-apiserver of the test harness and prints Markdown for docs/benchmarks/reconciler.md:
 * <ol>
 *   <li>latency from a CR create to all its owned resources present (20 CRs, one at a time);</li>
 *   <li>time to converge 100 CRs in 10 namespaces, created at once;</li>
 *   <li>API writes per no-op reconciliation, after a restart (cold cache) and on a warm reconciler;</li>
 *   <li>memory of the reconciler process (RSS and JVM heap), idle and with all CRs.</li>
 * </ol>
 * Usage: see docs/benchmarks/reconciler.md.
 */
public final class ReconcilerBenchmark {
  private static final List<String> JVM = List.of("-XX:MaxRAMPercentage=75", "-Xmx384m");
  private static final int LATENCY_SAMPLES = 20;
  private static final int NAMESPACES = 10;
  private static final int PER_NAMESPACE = 10;
  private static final Pattern WRITE = Pattern.compile(
      "^keycloak_gitops_api_requests_total\\{method=\"(POST|PUT|PATCH|DELETE)\",resource=\"([^\"]+)\"} (\\S+)$",
      Pattern.MULTILINE);

  private final TestCluster cluster = TestCluster.shared();
  private final KubernetesClient client = cluster.client();
  private final List<String> report = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    new ReconcilerBenchmark().run();
    System.exit(0);
  }

  private void run() throws Exception {
    cluster.installCrds();
    report.add("| Measurement | Result |");
    report.add("|---|---|");
    String latencyNamespace = cluster.createNamespace("bench-latency");
    var namespaces = new ArrayList<String>();
    for (int i = 0; i < NAMESPACES; i++) {
      namespaces.add(cluster.createNamespace("bench-" + i));
    }

    try (var reconciler = start()) {
      row("RSS of the reconciler, idle (no CR)", mib(reconciler.residentKib() * 1024));
      row("Heap used, idle, after a full GC", mib(heapAfterGc(reconciler)));
      latency(latencyNamespace);
      convergence(namespaces);
      row("Heap used with " + (LATENCY_SAMPLES + NAMESPACES * PER_NAMESPACE) + " CRs, after a full GC",
          mib(heapAfterGc(reconciler)));
      row("RSS with " + (LATENCY_SAMPLES + NAMESPACES * PER_NAMESPACE) + " CRs", mib(reconciler.residentKib() * 1024));
      warmNoOp(reconciler, namespaces);
    }
    coldNoOp();
    report.forEach(System.out::println);
  }

  private ReconcilerProcess start() {
    var reconciler = ReconcilerProcess.start(cluster.kubeconfigFile(), Map.of("LOG_LEVEL", "WARN"), JVM);
    waitFor(() -> reconciler.status("/readyz") == 200 || !reconciler.isAlive());
    if (!reconciler.isAlive()) {
      throw new IllegalStateException("the reconciler exited: " + reconciler.log());
    }
    return reconciler;
  }

  /** One CR at a time: create, then poll until its six owned objects exist. */
  private void latency(String namespace) {
    var samples = new ArrayList<Long>();
    for (int i = 0; i < LATENCY_SAMPLES; i++) {
      String name = "lat-" + i;
      long start = System.nanoTime();
      client.resource(ClusterFixtures.keycloak(name, namespace, "instances: 1")).create();
      var missing = new HashSet<>(owned(name));
      waitFor(10, () -> {
        missing.removeIf(id -> exists(namespace, id));
        return missing.isEmpty();
      });
      samples.add((System.nanoTime() - start) / 1_000_000);
    }
    samples.sort(null);
    row("CR create → all 6 owned resources present (" + LATENCY_SAMPLES + " CRs, one at a time)",
        "p50 %d ms, p95 %d ms, max %d ms".formatted(samples.get(samples.size() / 2),
            samples.get((int) Math.ceil(samples.size() * 0.95) - 1), samples.getLast()));
  }

  /**
   * 100 CRs created at once (one creating thread per namespace); converged when every one has its objects and a
   * status for its generation.
   */
  private void convergence(List<String> namespaces) throws InterruptedException {
    long start = System.nanoTime();
    try (var creators = Executors.newFixedThreadPool(namespaces.size())) {
      for (String namespace : namespaces) {
        creators.submit(() -> {
          for (int i = 0; i < PER_NAMESPACE; i++) {
            client.resource(ClusterFixtures.keycloak("kc-" + i, namespace, "instances: 2")).create();
          }
        });
      }
    }
    long created = System.nanoTime();
    // Each check lists 6 kinds in 10 namespaces: poll gently so the harness does not slow the reconciler down.
    waitFor(250, () -> namespaces.stream().allMatch(this::converged));
    long end = System.nanoTime();
    row("Converge " + NAMESPACES * PER_NAMESPACE + " CRs in " + NAMESPACES + " namespaces, created at once",
        "%d ms from the first create (the creates took %d ms; %d ms after the last one)".formatted(
            (end - start) / 1_000_000, (created - start) / 1_000_000, (end - created) / 1_000_000));
  }

  private boolean converged(String namespace) {
    var keycloaks = client.resources(Keycloak.class).inNamespace(namespace).list().getItems();
    var present = new HashSet<String>();
    for (Class<? extends HasMetadata> type : List.of(Deployment.class, Service.class, Ingress.class,
        NetworkPolicy.class, Secret.class)) {
      client.resources(type).inNamespace(namespace).withLabel(KeycloakNames.MANAGED_BY_LABEL, KeycloakNames.MANAGED_BY)
          .list().getItems().forEach(r -> present.add(r.getKind() + "/" + r.getMetadata().getName()));
    }
    return keycloaks.size() == PER_NAMESPACE && keycloaks.stream().allMatch(kc ->
        present.containsAll(owned(kc.getMetadata().getName()))
            && ClusterFixtures.condition(kc, KeycloakStatus.HAS_ERRORS)
            .filter(c -> Condition.FALSE.equals(c.status))
            .filter(c -> kc.getMetadata().getGeneration().equals(c.observedGeneration)).isPresent());
  }

  /** A foreign annotation on each CR's Service makes the warm reconciler look at every CR again. */
  private void warmNoOp(ReconcilerProcess reconciler, List<String> namespaces) {
    double reconciliations = reconciler.metric("keycloak_gitops_reconciliations_total");
    long writes = writes(reconciler);
    for (String namespace : namespaces) {
      for (int i = 0; i < PER_NAMESPACE; i++) {
        client.services().inNamespace(namespace).withName("kc-" + i + "-service").edit(s -> new ServiceBuilder(s)
            .editMetadata().addToAnnotations("bench/touched", "yes").endMetadata().build());
      }
    }
    int triggered = NAMESPACES * PER_NAMESPACE;
    waitFor(() -> reconciler.metric("keycloak_gitops_reconciliations_total") - reconciliations >= triggered);
    double done = reconciler.metric("keycloak_gitops_reconciliations_total") - reconciliations;
    row("API writes per no-op reconciliation, warm cache", "%.2f (%d writes in %.0f reconciliations)".formatted(
        (writes(reconciler) - writes) / done, writes(reconciler) - writes, done));
  }

  /** A fresh process reconciles every existing CR once at startup. */
  private void coldNoOp() {
    int all = LATENCY_SAMPLES + NAMESPACES * PER_NAMESPACE;
    long start = System.nanoTime();
    try (var reconciler = start()) {
      long ready = System.nanoTime();
      waitFor(() -> reconciler.metric("keycloak_gitops_reconciliations_total") >= all);
      long done = System.nanoTime();
      double reconciliations = reconciler.metric("keycloak_gitops_reconciliations_total");
      row("Restart with " + all + " CRs: start → ready (informers synced)",
          "%d ms".formatted((ready - start) / 1_000_000));
      row("Restart: ready → every CR reconciled once", "%d ms".formatted((done - ready) / 1_000_000));
      row("API writes per no-op reconciliation, cold cache (after the restart)",
          "%.2f (%d writes in %.0f reconciliations)".formatted(writes(reconciler) / reconciliations,
              writes(reconciler), reconciliations));
    }
  }

  /** Live heap: {@code jcmd <pid> GC.run}, then the heap the JVM reports in use. */
  private static long heapAfterGc(ReconcilerProcess reconciler) throws IOException, InterruptedException {
    Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
    var jcmd = new ProcessBuilder(java.resolveSibling("jcmd").toString(), String.valueOf(reconciler.handle().pid()),
        "GC.run").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (jcmd.waitFor() != 0) {
      throw new IllegalStateException("jcmd GC.run failed");
    }
    return (long) reconciler.metric("jvm_memory_used_bytes", "area=\"heap\"");
  }

  /** Writes that change cluster state (access reviews are POSTed but not stored). */
  private static long writes(ReconcilerProcess reconciler) {
    var matcher = WRITE.matcher(reconciler.metrics());
    double sum = 0;
    while (matcher.find()) {
      if (!matcher.group(2).endsWith("accessreviews")) {
        sum += Double.parseDouble(matcher.group(3));
      }
    }
    return (long) sum;
  }

  private static Set<String> owned(String name) {
    return Set.of("Deployment/" + name, "Service/" + name + "-service", "Service/" + name + "-discovery",
        "Ingress/" + name + "-ingress", "NetworkPolicy/" + name + "-network-policy",
        "Secret/" + name + "-initial-admin");
  }

  private boolean exists(String namespace, String id) {
    String kind = id.substring(0, id.indexOf('/'));
    String name = id.substring(id.indexOf('/') + 1);
    var resources = switch (kind) {
      case "Deployment" -> client.apps().deployments().inNamespace(namespace).withName(name);
      case "Service" -> client.services().inNamespace(namespace).withName(name);
      case "Ingress" -> client.network().v1().ingresses().inNamespace(namespace).withName(name);
      case "NetworkPolicy" -> client.network().v1().networkPolicies().inNamespace(namespace).withName(name);
      default -> client.secrets().inNamespace(namespace).withName(name);
    };
    return resources.get() != null;
  }

  private static void waitFor(BooleanSupplier condition) {
    waitFor(20, condition);
  }

  private static void waitFor(long pollMillis, BooleanSupplier condition) {
    long deadline = System.nanoTime() + 600_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("gave up after 10 minutes");
      }
      try {
        Thread.sleep(pollMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private void row(String measurement, String result) {
    report.add("| " + measurement + " | " + result + " |");
    System.err.println(measurement + ": " + result);
  }

  private static String mib(long bytes) {
    return "%.0f MiB".formatted(bytes / 1024.0 / 1024.0);
  }
}
