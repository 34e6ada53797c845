package io.keycloakgitops.reconciler.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.keycloakgitops.reconciler.TestKeycloaks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The reconciler's own Pod Security check on the pod it builds: a pure function of the CR. */
class PodSecurityRefusalTest {
  private static final String T = "spec.unsupported.podTemplate.spec.";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "hostPID: true| hostPID| hostNamespaces",
      "containers: [{name: keycloak, securityContext: {privileged: true}}]| containers[0].securityContext.privileged| privileged",
      "volumes: [{name: host, hostPath: {path: /}}]| volumes[0].hostPath| restrictedVolumes",
      "containers: [{name: sidecar, image: busybox, securityContext: {capabilities: {add: [SYS_ADMIN]}}}, {name: keycloak}]| containers[0].securityContext.capabilities.add[0]| capabilities_restricted",
      "initContainers: [{name: init, image: busybox, securityContext: {runAsUser: 0}}]| initContainers[0].securityContext.runAsUser| runAsUser",
      // A namespace policy may relax the webhook to baseline; the reconciler has none and enforces restricted.
      "securityContext: {runAsNonRoot: false}| securityContext.runAsNonRoot| runAsNonRoot"})
  void aWeakenedPodIsRefusedWithTheFieldAndTheCheck(String podSpec, String field, String check) {
    var refusals = KeycloakPodTemplate.podSecurityRefusals(
        TestKeycloaks.model("unsupported:\n  podTemplate:\n    spec: {" + podSpec + "}\n"));
    assertThat(refusals).anySatisfy(refusal -> assertThat(refusal).startsWith(T + field + ": violates PodSecurity")
        .contains("check \"" + check + "\""));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"{}", "unsupported: {podTemplate: {spec: {containers: [{name: sidecar, image: busybox}]}}}",
      "unsupported: {podTemplate: {spec: {securityContext: {runAsUser: 1000}, volumes: [{name: s, secret: {secretName: s}}]}}}",
      "http: {tlsSecret: tls}\ntruststores: {ca: {secret: {name: ca}}}\ncache: {configMapFile: {name: c, key: k}}"})
  void theBuiltPodOfAnOrdinaryCrPasses(String spec) {
    assertThat(KeycloakPodTemplate.podSecurityRefusals(TestKeycloaks.model(spec))).isEmpty();
  }
}
