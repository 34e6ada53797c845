package io.keycloakgitops.schemas.podsecurity;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Each check function on its own: a pod that fails it at the named path, and a close one that passes it. */
class ChecksTest {
  private static final String T = PodSecurity.TEMPLATE_PATH + ".";

  record Row(Check check, String name, String yaml, String path) {
    @Override
    public String toString() {
      return check.id + ": " + name;
    }

    PodTemplateSpec pod() {
      return PodSecurity.effectivePod(Serialization.unmarshal(yaml, PodTemplateSpec.class));
    }
  }

  private static String keycloak(String securityContext) {
    return "spec:\n  containers:\n  - name: keycloak\n    securityContext:\n" + securityContext.indent(6);
  }

  static final List<Row> FAILING = List.of(
      new Row(Check.WINDOWS_HOST_PROCESS, "pod hostProcess",
          "spec:\n  securityContext:\n    windowsOptions:\n      hostProcess: true\n",
          T + "spec.securityContext.windowsOptions.hostProcess"),
      new Row(Check.HOST_NAMESPACES, "hostPID", "spec:\n  hostPID: true\n", T + "spec.hostPID"),
      new Row(Check.HOST_NAMESPACES, "hostNetwork", "spec:\n  hostNetwork: true\n", T + "spec.hostNetwork"),
      new Row(Check.PRIVILEGED, "privileged container", keycloak("privileged: true"),
          T + "spec.containers[0].securityContext.privileged"),
      new Row(Check.CAPABILITIES_BASELINE, "SYS_ADMIN", keycloak("capabilities:\n  add: [SYS_ADMIN]"),
          T + "spec.containers[0].securityContext.capabilities.add[0]"),
      new Row(Check.HOST_PATH_VOLUMES, "hostPath", "spec:\n  volumes:\n  - name: root\n    hostPath: {path: /}\n",
          T + "spec.volumes[0].hostPath"),
      new Row(Check.HOST_PORTS, "hostPort", "spec:\n  containers:\n  - name: keycloak\n    ports:\n"
          + "    - {containerPort: 8080, hostPort: 80}\n", T + "spec.containers[0].ports[0].hostPort"),
      new Row(Check.HOST_PROBES_AND_HOST_LIFECYCLE, "probe host", "spec:\n  containers:\n  - name: keycloak\n"
          + "    readinessProbe:\n      tcpSocket: {host: 10.0.0.1, port: 80}\n",
          T + "spec.containers[0].readinessProbe.tcpSocket.host"),
      new Row(Check.APP_ARMOR_PROFILE, "Unconfined", keycloak("appArmorProfile: {type: Unconfined}"),
          T + "spec.containers[0].securityContext.appArmorProfile.type"),
      new Row(Check.SE_LINUX_OPTIONS, "spc_t", keycloak("seLinuxOptions: {type: spc_t}"),
          T + "spec.containers[0].securityContext.seLinuxOptions.type"),
      new Row(Check.PROC_MOUNT, "Unmasked", keycloak("procMount: Unmasked"),
          T + "spec.containers[0].securityContext.procMount"),
      new Row(Check.SECCOMP_PROFILE_BASELINE, "Unconfined", keycloak("seccompProfile: {type: Unconfined}"),
          T + "spec.containers[0].securityContext.seccompProfile.type"),
      new Row(Check.SYSCTLS, "kernel.msgmax", "spec:\n  securityContext:\n    sysctls: [{name: kernel.msgmax, value: '1'}]\n",
          T + "spec.securityContext.sysctls[0].name"),
      new Row(Check.RESTRICTED_VOLUMES, "nfs", "spec:\n  volumes:\n  - name: n\n    nfs: {server: s, path: /}\n",
          T + "spec.volumes[0].nfs"),
      new Row(Check.ALLOW_PRIVILEGE_ESCALATION, "true", keycloak("allowPrivilegeEscalation: true"),
          T + "spec.containers[0].securityContext.allowPrivilegeEscalation"),
      new Row(Check.RUN_AS_NON_ROOT, "false", "spec:\n  securityContext:\n    runAsNonRoot: false\n",
          T + "spec.securityContext.runAsNonRoot"),
      new Row(Check.RUN_AS_USER, "root", keycloak("runAsUser: 0"), T + "spec.containers[0].securityContext.runAsUser"),
      new Row(Check.SECCOMP_PROFILE_RESTRICTED, "Unconfined pod", "spec:\n  securityContext:\n"
          + "    seccompProfile: {type: Unconfined}\n", T + "spec.securityContext.seccompProfile.type"),
      new Row(Check.CAPABILITIES_RESTRICTED, "drop without ALL", keycloak("capabilities:\n  drop: [NET_RAW]"),
          T + "spec.containers[0].securityContext.capabilities.drop"));

  static final List<Row> PASSING = List.of(
      new Row(Check.HOST_NAMESPACES, "hostPID false", "spec:\n  hostPID: false\n", null),
      new Row(Check.PRIVILEGED, "privileged false", keycloak("privileged: false"), null),
      new Row(Check.CAPABILITIES_BASELINE, "CHOWN", keycloak("capabilities:\n  add: [CHOWN]"), null),
      new Row(Check.HOST_PORTS, "hostPort 0", "spec:\n  containers:\n  - name: keycloak\n    ports:\n"
          + "    - {containerPort: 8080, hostPort: 0}\n", null),
      new Row(Check.APP_ARMOR_PROFILE, "RuntimeDefault", keycloak("appArmorProfile: {type: RuntimeDefault}"), null),
      new Row(Check.SE_LINUX_OPTIONS, "container_t", keycloak("seLinuxOptions: {type: container_t}"), null),
      new Row(Check.SYSCTLS, "tcp_keepalive_time",
          "spec:\n  securityContext:\n    sysctls: [{name: net.ipv4.tcp_keepalive_time, value: '300'}]\n", null),
      new Row(Check.RESTRICTED_VOLUMES, "secret and emptyDir", "spec:\n  volumes:\n  - name: s\n    secret: {secretName: s}\n"
          + "  - name: e\n    emptyDir: {}\n", null),
      new Row(Check.RUN_AS_USER, "1000", keycloak("runAsUser: 1000"), null),
      new Row(Check.SECCOMP_PROFILE_RESTRICTED, "Localhost",
          keycloak("seccompProfile: {type: Localhost, localhostProfile: p.json}"), null),
      new Row(Check.CAPABILITIES_RESTRICTED, "NET_BIND_SERVICE", keycloak("capabilities:\n  add: [NET_BIND_SERVICE]"),
          null));

  @ParameterizedTest(name = "{0}")
  @FieldSource("FAILING")
  void theCheckFindsTheWeakeningAtItsPath(Row row) {
    PodTemplateSpec pod = row.pod();
    List<Violation> violations = row.check().check(pod.getMetadata(), pod.getSpec());
    assertThat(violations).extracting(Violation::path).contains(row.path());
    assertThat(violations).allSatisfy(v -> assertThat(v.check()).isEqualTo(row.check()));
    assertThat(violations.getFirst().message())
        .startsWith("violates PodSecurity \"" + row.check().level.id() + "\" check \"" + row.check().id + "\"");
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("PASSING")
  void theCheckAllowsTheCloseButSafeValue(Row row) {
    PodTemplateSpec pod = row.pod();
    assertThat(row.check().check(pod.getMetadata(), pod.getSpec())).isEmpty();
  }

  @Test
  void everyCheckHasAFailingRow() {
    assertThat(FAILING.stream().map(Row::check).collect(Collectors.toSet())).containsExactlyInAnyOrder(Check.values());
  }

  @Test
  void theHardenedEmptyPodPassesEveryRestrictedCheck() {
    assertThat(PodSecurity.restrictedViolations(PodSecurity.effectivePod(null))).isEmpty();
  }

  @Test
  void restrictedReplacesTheBaselineChecksItOverrides() {
    Set<Check> restricted = Check.enforcedAt(Level.RESTRICTED);
    assertThat(restricted).doesNotContain(Check.CAPABILITIES_BASELINE, Check.HOST_PATH_VOLUMES,
        Check.SECCOMP_PROFILE_BASELINE).contains(Check.PRIVILEGED, Check.RESTRICTED_VOLUMES);
    assertThat(Check.enforcedAt(Level.BASELINE)).allMatch(check -> check.level == Level.BASELINE);
    assertThat(Check.enforcedAt(Level.PRIVILEGED)).isEmpty();
  }

  @Test
  void theEffectivePodHasTheReconcilersKeycloakContainer() {
    var template = Serialization.unmarshal("spec:\n  containers:\n  - image: custom\n  - name: sidecar\n",
        PodTemplateSpec.class);
    var containers = PodSecurity.effectivePod(template).getSpec().getContainers();
    assertThat(containers).extracting(c -> c.getName()).containsExactly("keycloak", "sidecar");
    template = Serialization.unmarshal("spec:\n  containers:\n  - name: sidecar\n", PodTemplateSpec.class);
    assertThat(PodSecurity.effectivePod(template).getSpec().getContainers()).extracting(c -> c.getName())
        .containsExactly("sidecar", "keycloak");
    assertThat(PodSecurity.effectivePod(null).getSpec().getContainers()).extracting(c -> c.getName())
        .containsExactly("keycloak");
  }
}
