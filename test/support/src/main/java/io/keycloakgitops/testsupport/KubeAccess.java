package io.keycloakgitops.testsupport;

import java.nio.file.Path;

/** An API server a test drives with kubectl: the envtest one ({@link TestCluster}) or the node's. */
public interface KubeAccess {
  /** An admin kubeconfig (certificates by file path, as both clusters write them). */
  Path kubeconfigFile();

  /** Runs kubectl against this API server with {@code stdin} (or none) as its input. */
  ProcessResult kubectlWithInput(String stdin, String... args);

  default ProcessResult kubectl(String... args) {
    return kubectlWithInput(null, args);
  }
}
