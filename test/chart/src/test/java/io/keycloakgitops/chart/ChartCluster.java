package io.keycloakgitops.chart;

import io.keycloakgitops.testsupport.ProcessResult;
import io.keycloakgitops.testsupport.TestCluster;
import java.util.Map;

/** The shared real API server, prepared for the chart: its CRDs (from chart/crds) and the optional ones. */
final class ChartCluster {
  private static boolean prepared;

  private ChartCluster() {}

  static synchronized TestCluster get() {
    TestCluster cluster = TestCluster.shared();
    if (!prepared) {
      // Server-side: the Keycloak CRD (~490 KB) exceeds the 256 KB last-applied annotation of client-side apply.
      kubectl(cluster, "apply", "--server-side", "--force-conflicts", "-f", Tools.chartDir().resolve("crds").toString());
      kubectl(cluster, "apply", "--server-side", "-f",
          Tools.repoRoot().resolve("test/chart/src/test/resources/optional-crds.yaml").toString());
      kubectl(cluster, "wait", "--for=condition=Established", "--timeout=60s", "crd/keycloaks.k8s.keycloak.org",
          "crd/keycloakrealmimports.k8s.keycloak.org", "crd/certificates.cert-manager.io", "crd/issuers.cert-manager.io",
          "crd/servicemonitors.monitoring.coreos.com");
      prepared = true;
    }
    return cluster;
  }

  /** A namespace that enforces (and warns about) the restricted Pod Security profile. */
  static String restrictedNamespace(String prefix) {
    return get().createNamespace(prefix, Map.of("pod-security.kubernetes.io/enforce", "restricted",
        "pod-security.kubernetes.io/warn", "restricted"));
  }

  static ProcessResult kubectl(TestCluster cluster, String... args) {
    ProcessResult result = cluster.kubectl(args);
    if (!result.ok()) {
      throw new AssertionError("kubectl " + String.join(" ", args) + " failed: " + result);
    }
    return result;
  }

  /** helm against the real API server (install, upgrade, uninstall). */
  static ProcessResult helm(String... args) {
    String[] full = new String[args.length + 2];
    System.arraycopy(args, 0, full, 0, args.length);
    full[args.length] = "--kubeconfig";
    full[args.length + 1] = get().kubeconfigFile().toString();
    ProcessResult result = Helm.run(full);
    if (!result.ok()) {
      throw new AssertionError("helm " + String.join(" ", args) + " failed: " + result);
    }
    return result;
  }
}
