package io.keycloakgitops.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keycloakgitops.testsupport.FreePort;
import io.keycloakgitops.testsupport.TestCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Argo CD's application controller and repo server, run as processes of the binary test/argocd/install.sh builds,
 * with Redis from Debian, all on 127.0.0.1, against the test's API server. Argo CD's own objects (its CRDs,
 * argocd-cm, argocd-rbac-cm, argocd-secret) come from the same argo-cd module; argocd-cm carries the chart's health
 * checks (chart/docs/argocd-cm-health.yaml). The namespace is Argo CD's own, as in a real installation.
 */
final class ArgoCd implements AutoCloseable {
  private final String namespace;
  private final String server;
  private final List<ComponentProcess> processes = new ArrayList<>();
  /** Milliseconds from starting the repo server and controller until both answer /healthz. */
  private long startMillis;

  private ArgoCd(String namespace, String server) {
    this.namespace = namespace;
    this.server = server;
  }

  static Path manifestsDir() {
    Path dir = Paths.get(System.getProperty("argocd.manifests",
        Paths.get(System.getProperty("user.home"), ".cache/keycloak-gitops/argocd-manifests").toString()));
    if (!Files.isRegularFile(dir.resolve("application-crd.yaml"))) {
      throw new IllegalStateException("Argo CD manifests not found in " + dir + ": run test/argocd/install.sh");
    }
    return dir;
  }

  /** Installs Argo CD's objects into a new namespace and starts Redis, the repo server and the controller. */
  static ArgoCd start(TestCluster cluster, Path workDir) throws Exception {
    Path argocd = Tools.argocd();
    Path manifests = manifestsDir();
    ChartCluster.kubectl(cluster, "apply", "--server-side", "-f", manifests.resolve("application-crd.yaml").toString(),
        "-f", manifests.resolve("appproject-crd.yaml").toString());
    ChartCluster.kubectl(cluster, "wait", "--for=condition=Established", "--timeout=60s",
        "crd/applications.argoproj.io", "crd/appprojects.argoproj.io");
    JsonNode kubeconfig = Manifests.YAML.readTree(cluster.kubeconfigYaml());
    String server = kubeconfig.path("clusters").get(0).path("cluster").path("server").asText();
    ArgoCd argo = new ArgoCd(cluster.createNamespace("argocd"), server);
    try {
      argo.installSettings(cluster, manifests, kubeconfig);
      argo.startProcesses(cluster, argocd, workDir);
      return argo;
    } catch (Exception | AssertionError e) {
      argo.close();
      throw e;
    }
  }

  String namespace() {
    return namespace;
  }

  /** The API server as Argo CD knows it (an Application's destination.server). */
  String server() {
    return server;
  }

  long startMillis() {
    return startMillis;
  }

  List<ComponentProcess> processes() {
    return List.copyOf(processes);
  }

  /** The last lines of every process's log, for failure messages. */
  String logs() {
    StringBuilder out = new StringBuilder();
    for (ComponentProcess process : processes) {
      String log = process.log();
      out.append("\n--- ").append(process.name()).append('\n').append(log.substring(Math.max(0, log.length() - 6000)));
    }
    return out.toString();
  }

  private void installSettings(TestCluster cluster, Path manifests, JsonNode kubeconfig) throws IOException {
    ObjectNode cm = (ObjectNode) Manifests.YAML.readTree(manifests.resolve("argocd-cm.yaml").toFile());
    JsonNode health = Manifests.YAML.readTree(Tools.chartDir().resolve("docs/argocd-cm-health.yaml").toFile());
    ((ObjectNode) cm.path("data")).setAll((ObjectNode) health.path("data"));
    // "in-cluster" needs the pod environment (KUBERNETES_SERVICE_HOST, a mounted token): the API server is
    // registered as an external cluster instead, with the admin client certificate of the kubeconfig.
    ((ObjectNode) cm.path("data")).put("cluster.inClusterEnabled", "false");
    JsonNode cluster0 = kubeconfig.path("clusters").get(0).path("cluster");
    JsonNode user = kubeconfig.path("users").get(0).path("user");
    ObjectNode tls = Manifests.YAML.createObjectNode()
        .put("caData", base64File(cluster0.path("certificate-authority").asText()))
        .put("certData", base64File(user.path("client-certificate").asText()))
        .put("keyData", base64File(user.path("client-key").asText()));
    ObjectNode clusterSecret = (ObjectNode) Manifests.YAML.readTree("""
        apiVersion: v1
        kind: Secret
        metadata:
          name: cluster-test-apiserver
          labels: {argocd.argoproj.io/secret-type: cluster}
        """);
    clusterSecret.putObject("stringData").put("name", "test-apiserver").put("server", server)
        .put("config", Manifests.YAML.createObjectNode().set("tlsClientConfig", tls).toString());
    List<ObjectNode> objects = new ArrayList<>(List.of(cm,
        (ObjectNode) Manifests.YAML.readTree(manifests.resolve("argocd-rbac-cm.yaml").toFile()),
        (ObjectNode) Manifests.YAML.readTree(manifests.resolve("argocd-secret.yaml").toFile()),
        clusterSecret,
        // argocd-server creates the "default" project on start; without a server, the test does.
        (ObjectNode) Manifests.YAML.readTree("""
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
    var result = cluster.kubectlWithInput(Manifests.toYaml(objects), "apply", "--server-side", "-f", "-");
    if (!result.ok()) {
      throw new AssertionError("installing Argo CD's settings failed: " + result);
    }
  }

  private void startProcesses(TestCluster cluster, Path argocd, Path workDir) throws Exception {
    Path bin = argocd.getParent();
    Path home = Files.createDirectories(workDir.resolve("home"));
    Path tmp = Files.createDirectories(workDir.resolve("tmp"));
    int redisPort = FreePort.pick();
    Path redisDir = Files.createDirectories(workDir.resolve("redis"));
    processes.add(ComponentProcess.exec(List.of(Tools.redisServer().toString(), "--bind", "127.0.0.1",
        "--port", Integer.toString(redisPort), "--dir", redisDir.toString(), "--save", "", "--appendonly", "no",
        "--protected-mode", "yes"), Map.of(), "redis-server"));
    String redis = "127.0.0.1:" + redisPort;
    // helm (repo server) and the component names (cmd/main.go dispatches on argv[0]) come from install dirs.
    Map<String, String> env = Map.of("HOME", home.toString(), "TMPDIR", tmp.toString(),
        "PATH", bin + ":" + Tools.helm().getParent() + ":" + System.getenv("PATH"));

    long start = System.nanoTime();
    int repoPort = FreePort.pick();
    int repoMetrics = FreePort.pick();
    Map<String, String> repoEnv = new java.util.HashMap<>(env);
    // No GnuPG keyring here (it would live in /app/config/gpg); the askpass socket goes to our own directory.
    repoEnv.put("ARGOCD_GPG_ENABLED", "false");
    repoEnv.put("ARGOCD_ASK_PASS_SOCK", workDir.resolve("askpass.sock").toString());
    ComponentProcess repoServer = ComponentProcess.exec(List.of(bin.resolve("argocd-repo-server").toString(),
        "--address", "127.0.0.1", "--port", Integer.toString(repoPort), "--metrics-address", "127.0.0.1",
        "--metrics-port", Integer.toString(repoMetrics), "--redis", redis, "--logformat", "text",
        // A branch is resolved to its commit at most every 3 min by default: a push would wait that long.
        "--revision-cache-expiration", "1s"),
        repoEnv, "argocd-repo-server");
    processes.add(repoServer);

    int controllerMetrics = FreePort.pick();
    Map<String, String> controllerEnv = new java.util.HashMap<>(env);
    // The address variable exists only in the binary test/argocd/install.sh builds (upstream hard-wires 0.0.0.0).
    controllerEnv.put("ARGOCD_APPLICATION_CONTROLLER_METRICS_LISTEN_ADDRESS", "127.0.0.1");
    ComponentProcess controller = ComponentProcess.exec(List.of(bin.resolve("argocd-application-controller").toString(),
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

  private static String base64File(String path) throws IOException {
    return java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(Paths.get(path)));
  }

  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
  }
}
