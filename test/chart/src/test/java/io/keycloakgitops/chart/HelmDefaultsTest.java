package io.keycloakgitops.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.keycloakgitops.testsupport.ProcessResult;
import org.junit.jupiter.api.Test;

/** The helm that install-helm.sh builds behaves like a released helm for a newcomer's plain commands. */
class HelmDefaultsTest {
  @Test
  void templateWithoutKubeVersionRendersTheChart() {
    // The chart requires Kubernetes >= 1.30; a helm built without its version flags assumes v1.20.0 and refuses.
    ProcessResult result = Helm.run("template", "kg", Tools.chartDir().toString(), "--namespace", "keycloak-gitops");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout()).contains("kind: Deployment");
  }

  @Test
  void strictLintWithoutKubeVersionPasses() {
    ProcessResult result = Helm.run("lint", Tools.chartDir().toString(), "--strict");
    assertThat(result.exitCode()).as(result.toString()).isZero();
  }
}
