package io.keycloakgitops.testsupport;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.keycloakgitops.schemas.Schemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real kube-apiserver + etcd (built by test/envtest/install.sh), started once per test JVM through fabric8
 * kube-api-test, bound to 127.0.0.1 only, and stopped when the JVM exits. There is no kubelet and no
 * controller-manager: Deployments never get pods, and garbage collection does not run.
 */
public final class TestCluster implements KubeAccess {
  private static TestCluster shared;

  private final String version;
  private final KubeAPIServer apiServer;
  private final String kubeconfigYaml;
  private final Path kubeconfigFile;
  private final KubernetesClient client;

  private TestCluster() {
    version = System.getProperty("k8s.version", System.getenv().getOrDefault("KUBE_API_TEST_API_SERVER_VERSION", "1.34.4"));
    Path kubectl = binDir(version).resolve("kubectl");
    if (!Files.isExecutable(kubectl)) {
      throw new IllegalStateException("no Kubernetes binaries in " + binDir(version) + ": run test/envtest/install.sh first");
    }
    long start = System.nanoTime();
    apiServer = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withApiServerVersion(version)
        .withOfflineMode(true)
        .withUpdateKubeConfig(false)
        .withStartupTimeout(Integer.getInteger("kube.startup.timeout.ms", 180_000))
        .withWaitForEtcdHealthCheckOnStartup(true)
        .withApiServerFlag("--bind-address", "127.0.0.1")
        .build());
    apiServer.start();
    kubeconfigYaml = apiServer.getKubeConfigYaml();
    try {
      kubeconfigFile = Files.createTempFile("kubeconfig", ".yaml");
      Files.writeString(kubeconfigFile, kubeconfigYaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfigYaml)).build();
    System.out.printf("kube-apiserver %s ready in %d ms%n", version, (System.nanoTime() - start) / 1_000_000);
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "kube-apiserver-stop"));
  }

  /** The API server shared by every test of this JVM; started on first use. */
  public static synchronized TestCluster shared() {
    if (shared == null) {
      shared = new TestCluster();
    }
    return shared;
  }

  public static Path binDir(String version) {
    String base = System.getenv().getOrDefault("KUBE_API_TEST_DIR", Paths.get(System.getProperty("user.home"), ".kubeapitest").toString());
    return Paths.get(base, "k8s", version + "-linux-amd64");
  }

  public KubernetesClient client() {
    return client;
  }

  /** A new client (e.g. one a component under test owns and closes). */
  public KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfigYaml)).build();
  }

  public String kubeconfigYaml() {
    return kubeconfigYaml;
  }

  @Override
  public Path kubeconfigFile() {
    return kubeconfigFile;
  }

  /** Applies both CRDs from the schemas module and waits until they are Established. */
  public synchronized void installCrds() {
    for (String name : List.of(Schemas.KEYCLOAK_CRD, Schemas.REALM_IMPORT_CRD)) {
      CustomResourceDefinition crd = Serialization.unmarshal(Schemas.crdYaml(name), CustomResourceDefinition.class);
      client.apiextensions().v1().customResourceDefinitions().resource(crd).forceConflicts().serverSideApply();
    }
    awaitCrdsEstablished();
  }

  /** Waits until both CRDs (however they were applied) are Established. */
  public void awaitCrdsEstablished() {
    for (String name : List.of(Schemas.KEYCLOAK_CRD, Schemas.REALM_IMPORT_CRD)) {
      client.apiextensions().v1().customResourceDefinitions().withName(name).waitUntilCondition(
          crd -> crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
              && crd.getStatus().getConditions().stream()
              .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())),
          60, TimeUnit.SECONDS);
    }
  }

  /** Creates a namespace with a unique name and the given labels. */
  public String createNamespace(String prefix, Map<String, String> labels) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build()).create();
    return name;
  }

  public String createNamespace(String prefix) {
    return createNamespace(prefix, Map.of());
  }

  /** Runs the kubectl built beside the API server against it. */
  @Override
  public ProcessResult kubectlWithInput(String stdin, String... args) {
    List<String> command = new ArrayList<>();
    command.add(binDir(version).resolve("kubectl").toString());
    command.add("--kubeconfig=" + kubeconfigFile);
    command.addAll(List.of(args));
    return Commands.run(null, Map.of(), stdin, Duration.ofMinutes(2), command);
  }

  private void stop() {
    client.close();
    apiServer.stop();
  }
}
