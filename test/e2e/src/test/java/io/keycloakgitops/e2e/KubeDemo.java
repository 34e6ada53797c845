package io.keycloakgitops.e2e;

import io.keycloakgitops.testsupport.ProcessResult;
import io.keycloakgitops.testsupport.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The Kubernetes part of scripts/demo.sh: a real kube-apiserver on 127.0.0.1 with keycloak-gitops installed,
 * then `kubectl apply` of the example CRs — the rejected ones show the webhook's message, the admitted ones
 * come back defaulted and the reconciler creates their workloads. Runs until it is stopped.
 */
public final class KubeDemo {
  private KubeDemo() {}

  public static void main(String[] args) throws Exception {
    Path examples = Paths.get(args.length > 0 ? args[0] : "examples/keycloak");
    TestCluster cluster = TestCluster.shared();
    ControlPlane controlPlane = ControlPlane.install(cluster, "demo");
    Runtime.getRuntime().addShutdownHook(new Thread(controlPlane::close));
    String namespace = controlPlane.tenantNamespace;
    // The example CR names its database credentials Secret; the reconciler waits (HasErrors) until it exists.
    cluster.client().secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName("keycloak-db").endMetadata()
        .addToStringData("username", "keycloak").addToStringData("password", UUID.randomUUID().toString()).build()).create();

    for (Path manifest : manifests(examples)) {
      String yaml = Files.readString(manifest).replaceAll("(?m)^  namespace: .*\\n", "");
      System.out.printf("%n$ kubectl apply -n %s -f %s%n", namespace, examples.getParent().relativize(manifest));
      ProcessResult applied = cluster.kubectlWithInput(yaml, "apply", "-n", namespace, "-f", "-");
      System.out.print(applied.ok() ? applied.stdout() : applied.stderr());
    }
    Thread.sleep(3000);
    System.out.printf("%n$ kubectl get keycloak sso -n %s -o yaml   (the spec the webhook defaulted)%n", namespace);
    System.out.print(section(cluster.kubectl("get", "keycloak", "sso", "-n", namespace, "-o", "yaml").stdout(), "spec:"));
    System.out.printf("%n$ kubectl get deploy,svc,ingress,networkpolicy,pdb,secret -n %s   (what the reconciler created)%n", namespace);
    System.out.print(cluster.kubectl("get", "deploy,svc,ingress,networkpolicy,pdb,secret", "-n", namespace).stdout());
    System.out.printf("%nThe API server keeps running: kubectl --kubeconfig %s get keycloaks -A%n", cluster.kubeconfigFile());
    System.out.println("KUBE DEMO DONE");
    System.out.flush();
    Thread.currentThread().join();
  }

  private static List<Path> manifests(Path examples) throws IOException {
    try (Stream<Path> files = Files.walk(examples)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  /** The lines of {@code yaml} from the top-level key {@code key} to the next top-level key. */
  private static String section(String yaml, String key) {
    StringBuilder out = new StringBuilder();
    boolean inside = false;
    for (String line : yaml.split("\n")) {
      if (!line.startsWith(" ")) {
        inside = line.startsWith(key);
      }
      if (inside) {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }
}
