package io.keycloakgitops.node;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.keycloakgitops.schemas.common.Condition;
import io.keycloakgitops.schemas.keycloak.KeycloakStatus;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import io.keycloakgitops.testsupport.Commands;
import io.keycloakgitops.testsupport.KubeAccess;
import io.keycloakgitops.testsupport.ProcessResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one-node cluster of {@code scripts/cluster.sh}, shared by every test of this JVM: {@code up} once (it builds
 * what is missing, starts the node, installs the chart and the examples and waits for the Ready Keycloak), and
 * {@code down} at JVM exit when this run started it, so the tests leave no process, netns or bridge behind.
 */
final class NodeCluster implements KubeAccess {
  /** The example Keycloak CR of examples/keycloak, which {@code cluster.sh up} installs. */
  static final String NAMESPACE = "identity";
  static final String KEYCLOAK = "sso";
  /** The chart's release namespace in {@code cluster.sh up}. */
  static final String RELEASE_NAMESPACE = "keycloak-gitops";
  /** A Keycloak pod on this 2-core node: image already imported, start to Ready in one to a few minutes. */
  static final Duration POD_START = Duration.ofMinutes(10);

  private static NodeCluster shared;

  private final Path root;
  private final Map<String, String> env;
  private final KubernetesClient client;

  private NodeCluster(Path root, Map<String, String> env) {
    this.root = root;
    this.env = env;
    this.client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(read(Path.of(env.get("KUBECONFIG"))))).build();
  }

  static synchronized NodeCluster shared() {
    if (shared == null) {
      Path root = repositoryRoot();
      boolean wasUp = cluster(root, Duration.ofMinutes(1), "status").ok();
      ProcessResult up = cluster(root, Duration.ofMinutes(40), "up");
      if (!up.ok()) {
        throw new IllegalStateException("scripts/cluster.sh up failed: " + up);
      }
      if (!wasUp) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> cluster(root, Duration.ofMinutes(5), "down"), "cluster-down"));
      }
      shared = new NodeCluster(root, readEnv(stateDir().resolve("cluster.env")));
    }
    return shared;
  }

  /** The repository this test runs from (examples, scripts). */
  Path root() {
    return root;
  }

  /** The bare repository of realms that realm-sync in the cluster watches (served by git daemon to the pods). */
  Path realmsRepository() {
    return gitDirectory().resolve("realms.git");
  }

  /** What {@code git daemon} serves to the pods: {@code git://<NODE_IP>/<path below this directory>}. */
  Path gitDirectory() {
    return stateDir().resolve("git");
  }

  /** The Helm that {@code cluster.sh} installs the chart with (test/chart/install-helm.sh builds it). */
  static Path helm() {
    String bin = System.getenv().getOrDefault("KEYCLOAK_GITOPS_BIN",
        Paths.get(System.getProperty("user.home"), ".cache/keycloak-gitops/bin").toString());
    return Path.of(bin, "helm");
  }

  /** The tag {@code cluster.sh up} gave the images it built and imported (one tag for all of them). */
  String imageTag() {
    String image = client.apps().deployments().inNamespace(RELEASE_NAMESPACE).withName("keycloak-gitops-webhook").get()
        .getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    return image.substring(image.lastIndexOf(':') + 1);
  }

  /** {@code http://<ClusterIP>:<port named http>} of a Service, reachable from this machine through kube-proxy. */
  String serviceUrl(String namespace, String name) {
    Service service = client.services().inNamespace(namespace).withName(name).get();
    if (service == null) {
      throw new AssertionError("no Service " + namespace + "/" + name);
    }
    int port = service.getSpec().getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst()
        .orElseThrow(() -> new AssertionError("no http port on " + service.getSpec().getPorts())).getPort();
    return "http://" + service.getSpec().getClusterIP() + ":" + port;
  }

  private static Path stateDir() {
    return Path.of(System.getenv().getOrDefault("KGO_NODE_STATE", "/run/keycloak-gitops-node"));
  }

  KubernetesClient client() {
    return client;
  }

  String env(String key) {
    String value = env.get(key);
    if (value == null) {
      throw new IllegalStateException("cluster.env has no " + key + ": " + env.keySet());
    }
    return value;
  }

  @Override
  public Path kubeconfigFile() {
    return Path.of(env("KUBECONFIG"));
  }

  @Override
  public ProcessResult kubectlWithInput(String stdin, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("user.home"), ".kubeapitest", "k8s", "1.34.4-linux-amd64", "kubectl").toString());
    command.add("--kubeconfig=" + env("KUBECONFIG"));
    command.addAll(List.of(args));
    return Commands.run(root, Map.of(), stdin, Duration.ofMinutes(2), command);
  }

  Keycloak keycloak() {
    return client.resources(Keycloak.class).inNamespace(NAMESPACE).withName(KEYCLOAK).get();
  }

  /** The CR's Ready condition as the reconciler reports it, or "Unknown" while it has none. */
  String keycloakReady() {
    Keycloak keycloak = keycloak();
    if (keycloak == null || keycloak.getStatus() == null) {
      return Condition.UNKNOWN;
    }
    Condition ready = keycloak.getStatus().condition(KeycloakStatus.READY);
    return ready == null ? Condition.UNKNOWN : ready.status;
  }

  List<Pod> keycloakPods() {
    return client.pods().inNamespace(NAMESPACE).withLabel("app", "keycloak")
        .withLabel("app.kubernetes.io/instance", KEYCLOAK).list().getItems().stream()
        .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null).toList();
  }

  static boolean podReady(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** The bootstrap admin of the example Keycloak, from the Secret the reconciler generated. */
  String[] adminCredentials() {
    var data = client.secrets().inNamespace(NAMESPACE).withName(KEYCLOAK + "-initial-admin").get().getData();
    return new String[] {decode(data.get("username")), decode(data.get("password"))};
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static ProcessResult cluster(Path root, Duration timeout, String verb) {
    return Commands.run(root, Map.of(), null, timeout, List.of(root.resolve("scripts/cluster.sh").toString(), verb));
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("scripts/cluster.sh"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("scripts/cluster.sh not found above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  private static Map<String, String> readEnv(Path file) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : read(file).split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0 && !line.startsWith("#")) {
        values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    return values;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
