package io.keycloakgitops.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.keycloakgitops.testsupport.ProcessResult;
import io.keycloakgitops.testsupport.TestCluster;
import org.junit.jupiter.api.Test;

/** The rendered chart, default and full values, accepted by a real kube-apiserver (server-side dry run). */
class ChartApplyIT {
  private static final String PSA_WARNING = "would violate PodSecurity";

  @Test
  void defaultValuesApply() {
    String namespace = ChartCluster.restrictedNamespace("kg-default");
    ProcessResult result = dryRunApply(namespace, Helm.template("kg", namespace));
    assertThat(result.stdout()).contains("deployment.apps/kg-keycloak-gitops-webhook created (server dry run)")
        .contains("validatingwebhookconfiguration.admissionregistration.k8s.io/kg-keycloak-gitops created (server dry run)");
  }

  @Test
  void fullValuesApply() {
    TestCluster cluster = ChartCluster.get();
    String namespace = ChartCluster.restrictedNamespace("kg-full");
    String teamA = cluster.createNamespace("team-a");
    String teamB = cluster.createNamespace("team-b");
    ProcessResult result = dryRunApply(namespace, Helm.template("kg", namespace, "--values", Helm.fullValues().toString(),
        "--set", "reconciler.watchNamespaces={" + teamA + "," + teamB + "}"));
    assertThat(result.stdout()).contains("keycloak.k8s.keycloak.org/example-keycloak created (server dry run)")
        .contains("keycloakrealmimport.k8s.keycloak.org/example-realm created (server dry run)")
        .contains("certificate.cert-manager.io/kg-full-webhook created (server dry run)")
        .contains("servicemonitor.monitoring.coreos.com/kg-full-reconciler created (server dry run)")
        .contains("role.rbac.authorization.k8s.io/kg-full-reconciler created (server dry run)");
  }

  /** The Pod Security warning this test relies on does fire in this API server for a pod that is not restricted. */
  @Test
  void podSecurityWarningsAreActive() {
    String namespace = ChartCluster.restrictedNamespace("kg-psa");
    String loose = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: loose, namespace: %s}
        spec:
          selector: {matchLabels: {app: loose}}
          template:
            metadata: {labels: {app: loose}}
            spec:
              containers: [{name: c, image: busybox}]
        """.formatted(namespace);
    ProcessResult result = ChartCluster.get().kubectlWithInput(loose, "apply", "--dry-run=server", "-f", "-");
    assertThat(result.stderr()).contains(PSA_WARNING);
  }

  private static ProcessResult dryRunApply(String namespace, ProcessResult rendered) {
    assertThat(rendered.exitCode()).as(rendered.toString()).isZero();
    ProcessResult result = ChartCluster.get().kubectlWithInput(rendered.stdout(), "apply", "--dry-run=server", "-f", "-");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stderr()).as("every pod template passes the restricted Pod Security profile").doesNotContain(PSA_WARNING);
    return result;
  }
}
