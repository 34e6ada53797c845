package io.keycloakgitops.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Argo CD's application controller and repo server, run as processes of the binary test/argocd/install.sh builds,
 * with Redis from Debian, all on 127.0.0.1, against the test's API server. Argo CD's own objects (its CRDs,
 * argocd-cm, argocd-rbac-cm, argocd-secret) come from the same argo-cd module; argocd-cm carries the chart's health
 * checks (chart/docs/argocd-cm-health.yaml). The namespace is Argo CD's own, as in a real installation.
 */
public final class ArgoCd implements AutoCloseable {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final String namespace;
  private final String server;
  private final List<ServiceProcess> processes = new ArrayList<>();
  /** Milliseconds from starting the repo server and controller until both answer /healthz. */
  private long startMillis;

  private ArgoCd(String namespace, String server) {
    this.namespace = namespace;
    this.server = server;
  }

  /** The binary of Argo CD's components that test/argocd/install.sh builds (each linked beside it by name). */
  public static Path binary() {
    Path configured = Paths.get(System.getProperty("argocd.bin",
        Paths.get(System.getProperty("user.home"), ".cache/keycloak-gitops/bin/argocd").toString()));
    if (!Files.isExecutable(configured)) {
      throw new IllegalStateException("argocd not found at " + configured
          + ": run test/argocd/install.sh (builds Argo CD from the Go module proxy)");
    }
    return configured;
  }

  static Path manifestsDir() {
    Path dir = Paths.get(System.getProperty("argocd.manifests",
        Paths.get(System.getProperty("user.home"), ".cache/keycloak-gitops/argocd-manifests").toString()));
    if (!Files.isRegularFile(dir.resolve("application-crd.yaml"))) {
      throw new IllegalStateException("Argo CD manifests not found in " + dir + ": run test/argocd/install.sh");
    }
    return dir;
  }

  /**
   * Installs Argo CD's objects into a new namespace and starts Redis, the repo server and the controller;
   * {@code chartDir} gives the health checks, {@code helm} the Helm the repo server renders charts with.
   */
  public static ArgoCd start(KubeAccess cluster, Path chartDir, Path helm, Path workDir) throws Exception {
    Path argocd = binary();
    Path manifests = manifestsDir();
    kubectl(cluster, null, "apply", "--server-side", "-f", manifests.resolve("application-crd.yaml").toString(),
        "-f", manifests.resolve("appproject-crd.yaml").toString());
    // kubectl wait fails instead of waiting while a new CRD has no status yet.
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!cluster.kubectl("wait", "--for=condition=Established", "--timeout=60s",
        "crd/applications.argoproj.io", "crd/appprojects.argoproj.io").ok()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Argo CD's CRDs not Established within 60 s");
      }
      Thread.sleep(500);
    }
    JsonNode kubeconfig = YAML.readTree(cluster.kubeconfigFile().toFile());
    String server = kubeconfig.path("clusters").get(0).path("cluster").path("server").asText();
    String namespace = "argocd-" + UUID.randomUUID().toString().substring(0, 8);
    kubectl(cluster, null, "create", "namespace", namespace);
    ArgoCd argo = new ArgoCd(namespace, server);
    try {
      argo.installSettings(cluster, manifests, chartDir, kubeconfig);
      argo.startProcesses(cluster, argocd, helm, workDir);
      return argo;
    } catch (Exception | AssertionError e) {
      argo.close();
      throw e;
    }
  }

  public String namespace() {
    return namespace;
  }

  /** The API server as Argo CD knows it (an Application's destination.server). */
  public String server() {
    return server;
  }

  public long startMillis() {
    return startMillis;
  }

  public List<ServiceProcess> processes() {
    return List.copyOf(processes);
  }

  /** The last lines of every process's log, for failure messages. */
  public String logs() {
    StringBuilder out = new StringBuilder();
    for (ServiceProcess process : processes) {
      String log = process.log();
      out.append("\n--- ").append(process.name()).append('\n').append(log.substring(Math.max(0, log.length() - 6000)));
    }
    return out.toString();
  }

  private void installSettings(KubeAccess cluster, Path manifests, Path chartDir, JsonNode kubeconfig)
      throws IOException {
    ObjectNode cm = (ObjectNode) YAML.readTree(manifests.resolve("argocd-cm.yaml").toFile());
    JsonNode health = YAML.readTree(chartDir.resolve("docs/argocd-cm-health.yaml").toFile());
    ((ObjectNode) cm.path("data")).setAll((ObjectNode) health.path("data"));
    // "in-cluster" needs the pod environment (KUBERNETES_SERVICE_HOST, a mounted token): the API server is
    // registered as an external cluster instead, with the admin client certificate of the kubeconfig.
    ((ObjectNode) cm.path("data")).put("cluster.inClusterEnabled", "false");
    JsonNode cluster0 = kubeconfig.path("clusters").get(0).path("cluster");
    JsonNode user = kubeconfig.path("users").get(0).path("user");
    ObjectNode tls = YAML.createObjectNode()
        .put("caData", base64File(cluster0.path("certificate-authority").asText()))
        .put("certData", base64File(user.path("client-certificate").asText()))
        .put("keyData", base64File(user.path("client-key").asText()));
    ObjectNode clusterSecret = (ObjectNode) YAML.readTree("""
        apiVersion: v1
        kind: Secret
        metadata:
          name: cluster-test-apiserver
          labels: {argocd.argoproj.io/secret-type: cluster}
        """);
    clusterSecret.putObject("stringData").put("name", "test-apiserver").put("server", server)
        .put("config", YAML.createObjectNode().set("tlsClientConfig", tls).toString());
    List<ObjectNode> objects = new ArrayList<>(List.of(cm,
        (ObjectNode) YAML.readTree(manifests.resolve("argocd-rbac-cm.yaml").toFile()),
        (ObjectNode) YAML.readTree(manifests.resolve("argocd-secret.yaml").toFile()),
        clusterSecret,
        // argocd-server creates the "default" project on start; without a server, the test does.
        (ObjectNode) YAML.readTree("""
            apiVersion: argoproj.io/v1alpha1
            kind: AppProject
            metadata: {name: default}
            spec:
              sourceRepos: ['*']
              destinations: [{namespace: '*', server: '*'}]
              clusterResourceWhitelist: [{group: '*', kind: '*'}]
            """)));
    for (ObjectNode object : objects) {
      ((ObjectNode) object.path("metadata")).put("namespace", namespace);
    }
    String yaml = objects.stream().map(ArgoCd::toYaml).collect(Collectors.joining("---\n"));
    kubectl(cluster, yaml, "apply", "--server-side", "-f", "-");
  }

  private void startProcesses(KubeAccess cluster, Path argocd, Path helm, Path workDir) throws Exception {
    Path bin = argocd.getParent();
    Path home = Files.createDirectories(workDir.resolve("home"));
    Path tmp = Files.createDirectories(workDir.resolve("tmp"));
    int redisPort = FreePort.pick();
    Path redisDir = Files.createDirectories(workDir.resolve("redis"));
    processes.add(ServiceProcess.exec(List.of(redisServer().toString(), "--bind", "127.0.0.1",
        "--port", Integer.toString(redisPort), "--dir", redisDir.toString(), "--save", "", "--appendonly", "no",
        "--protected-mode", "yes"), Map.of(), "redis-server"));
    String redis = "127.0.0.1:" + redisPort;
    // helm (repo server) and the component names (cmd/main.go dispatches on argv[0]) come from install dirs.
    Map<String, String> env = Map.of("HOME", home.toString(), "TMPDIR", tmp.toString(),
        "PATH", bin + ":" + helm.getParent() + ":" + System.getenv("PATH"));

    long start = System.nanoTime();
    int repoPort = FreePort.pick();
    int repoMetrics = FreePort.pick();
    Map<String, String> repoEnv = new HashMap<>(env);
    // No GnuPG keyring here (it would live in /app/config/gpg); the askpass socket goes to our own directory.
    repoEnv.put("ARGOCD_GPG_ENABLED", "false");
    repoEnv.put("ARGOCD_ASK_PASS_SOCK", workDir.resolve("askpass.sock").toString());
    ServiceProcess repoServer = ServiceProcess.exec(List.of(bin.resolve("argocd-repo-server").toString(),
        "--address", "127.0.0.1", "--port", Integer.toString(repoPort), "--metrics-address", "127.0.0.1",
        "--metrics-port", Integer.toString(repoMetrics), "--redis", redis, "--logformat", "text",
        // A branch is resolved to its commit at most every 3 min by default: a push would wait that long.
        "--revision-cache-expiration", "1s"),
        repoEnv, "argocd-repo-server");
    processes.add(repoServer);

    int controllerMetrics = FreePort.pick();
    Map<String, String> controllerEnv = new HashMap<>(env);
    // The address variable exists only in the binary test/argocd/install.sh builds (upstream hard-wires 0.0.0.0).
    controllerEnv.put("ARGOCD_APPLICATION_CONTROLLER_METRICS_LISTEN_ADDRESS", "127.0.0.1");
    ServiceProcess controller = ServiceProcess.exec(List.of(bin.resolve("argocd-application-controller").toString(),
        "--kubeconfig", cluster.kubeconfigFile().toString(), "--namespace", namespace,
        "--repo-server", "127.0.0.1:" + repoPort, "--redis", redis,
        "--metrics-port", Integer.toString(controllerMetrics), "--logformat", "text",
        // Git is polled every 10 s (default 120 s); the tests also ask for a refresh after each push, as a
        // Git webhook to argocd-server would.
        "--app-resync", "10", "--app-resync-jitter", "0",
        // Keeps each resource's health in the Application's status (Argo CD 3 keeps it only in Redis for its UI).
        "--persist-resource-health"),
        controllerEnv, "argocd-application-controller");
    processes.add(controller);
    repoServer.awaitOk("http://127.0.0.1:" + repoMetrics + "/healthz", Duration.ofMinutes(2));
    controller.awaitOk("http://127.0.0.1:" + controllerMetrics + "/healthz", Duration.ofMinutes(2));
    startMillis = (System.nanoTime() - start) / 1_000_000;
  }

  /** Debian's Redis server (Argo CD's cache). */
  private static Path redisServer() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Paths.get(dir.isEmpty() ? "." : dir, "redis-server");
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("redis-server not found on PATH: apt-get install -y redis-server (Argo CD keeps its cache in Redis)");
  }

  private static void kubectl(KubeAccess cluster, String stdin, String... args) {
    ProcessResult result = cluster.kubectlWithInput(stdin, args);
    if (!result.ok()) {
      throw new IllegalStateException("kubectl " + String.join(" ", args) + " failed: " + result);
    }
  }

  private static String toYaml(JsonNode object) {
    try {
      return YAML.writeValueAsString(object).replaceFirst("^---\\n", "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String base64File(String path) throws IOException {
    return Base64.getEncoder().encodeToString(Files.readAllBytes(Paths.get(path)));
  }

  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
  }
}
