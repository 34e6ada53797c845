package io.keycloakgitops.webhook.rules;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.keycloakgitops.webhook.Json;
import java.util.List;
import java.util.Set;

/**
 * Pod templates and the PSS checks each one fails, at restricted and at baseline. Shared by the unit test and by
 * the IT that asks the real PodSecurity admission the same question.
 */
public final class PodSecurityCases {
  private PodSecurityCases() {}

  /**
   * @param apiValid false when the API server rejects the pod for other reasons than pod security (e.g.
   *     ephemeral containers cannot be set on create), so only the unit test can use it
   */
  public record Case(String name, String templateYaml, Set<String> restricted, Set<String> baseline, String path,
      boolean apiValid) {
    public PodTemplateSpec template() {
      try {
        return Json.YAML.readValue(templateYaml, PodTemplateSpec.class);
      } catch (Exception e) {
        throw new IllegalArgumentException(name, e);
      }
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static Case c(String name, String yaml, Set<String> restricted, Set<String> baseline, String path) {
    return new Case(name, yaml, restricted, baseline, path, true);
  }

  private static Case onlyUnit(String name, String yaml, Set<String> restricted, Set<String> baseline, String path) {
    return new Case(name, yaml, restricted, baseline, path, false);
  }

  private static String keycloak(String securityContext) {
    return "spec:\n  containers:\n  - name: keycloak\n    securityContext:\n" + securityContext.indent(6);
  }

  private static final String T = "spec.unsupported.podTemplate.";

  public static final List<Case> ALL = List.of(
      c("empty template", "{}", Set.of(), Set.of(), null),
      c("sidecar with nothing set", "spec:\n  containers:\n  - name: sidecar\n    image: busybox\n", Set.of(), Set.of(), null),
      c("hostNetwork", "spec:\n  hostNetwork: true\n", Set.of("hostNamespaces"), Set.of("hostNamespaces"),
          T + "spec.hostNetwork"),
      c("hostPID and hostIPC", "spec:\n  hostPID: true\n  hostIPC: true\n", Set.of("hostNamespaces"),
          Set.of("hostNamespaces"), T + "spec.hostIPC"),
      // Privileged needs allowPrivilegeEscalation (the API server refuses privileged with it false).
      c("privileged", keycloak("privileged: true\nallowPrivilegeEscalation: true"),
          Set.of("privileged", "allowPrivilegeEscalation"), Set.of("privileged"),
          T + "spec.containers[0].securityContext.privileged"),
      c("privileged init container", "spec:\n  initContainers:\n  - name: init\n    image: busybox\n"
          + "    securityContext:\n      privileged: true\n      allowPrivilegeEscalation: true\n",
          Set.of("privileged", "allowPrivilegeEscalation"), Set.of("privileged"),
          T + "spec.initContainers[0].securityContext.privileged"),
      // Hardening leaves allowPrivilegeEscalation unset beside privileged (the pair with false is invalid).
      c("privileged alone", keycloak("privileged: true"), Set.of("privileged", "allowPrivilegeEscalation"),
          Set.of("privileged"), T + "spec.containers[0].securityContext.privileged"),
      c("add SYS_ADMIN", keycloak("capabilities:\n  add: [SYS_ADMIN]"), Set.of("capabilities_restricted"),
          Set.of("capabilities_baseline"), T + "spec.containers[0].securityContext.capabilities.add[0]"),
      c("add CHOWN (baseline allows it)", keycloak("capabilities:\n  add: [CHOWN]"), Set.of("capabilities_restricted"),
          Set.of(), T + "spec.containers[0].securityContext.capabilities.add[0]"),
      c("add NET_BIND_SERVICE", keycloak("capabilities:\n  add: [NET_BIND_SERVICE]"), Set.of(), Set.of(), null),
      c("drop without ALL", keycloak("capabilities:\n  drop: [NET_RAW]"), Set.of("capabilities_restricted"), Set.of(),
          T + "spec.containers[0].securityContext.capabilities.drop"),
      c("hostPath volume", "spec:\n  volumes:\n  - name: host\n    hostPath:\n      path: /etc\n",
          Set.of("restrictedVolumes"), Set.of("hostPathVolumes"), T + "spec.volumes[0].hostPath"),
      c("nfs volume", "spec:\n  volumes:\n  - name: share\n    nfs:\n      server: nfs.example.com\n      path: /srv\n",
          Set.of("restrictedVolumes"), Set.of(), T + "spec.volumes[0].nfs"),
      c("allowed volume types", """
          spec:
            volumes:
            - name: a
              configMap: {name: a}
            - name: b
              secret: {secretName: b}
            - name: c
              emptyDir: {}
            - name: d
              projected: {sources: []}
            - name: e
              persistentVolumeClaim: {claimName: e}
            - name: f
              downwardAPI: {items: []}
            - name: g
              csi: {driver: example.csi.k8s.io}
          """, Set.of(), Set.of(), null),
      c("hostPort", "spec:\n  containers:\n  - name: keycloak\n    ports:\n    - containerPort: 8443\n      hostPort: 8443\n",
          Set.of("hostPorts"), Set.of("hostPorts"), T + "spec.containers[0].ports[0].hostPort"),
      c("probe host", "spec:\n  containers:\n  - name: keycloak\n    livenessProbe:\n      httpGet:\n        host: 10.0.0.1\n"
          + "        port: 9000\n", Set.of("hostProbesAndHostLifecycle"), Set.of("hostProbesAndHostLifecycle"),
          T + "spec.containers[0].livenessProbe.httpGet.host"),
      c("lifecycle host", "spec:\n  containers:\n  - name: keycloak\n    lifecycle:\n      preStop:\n        tcpSocket:\n"
          + "          host: metadata.internal\n          port: 80\n", Set.of("hostProbesAndHostLifecycle"),
          Set.of("hostProbesAndHostLifecycle"), T + "spec.containers[0].lifecycle.preStop.tcpSocket.host"),
      c("AppArmor unconfined annotation",
          "metadata:\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/keycloak: unconfined\n",
          Set.of("appArmorProfile"), Set.of("appArmorProfile"),
          T + "metadata.annotations[container.apparmor.security.beta.kubernetes.io/keycloak]"),
      c("AppArmor Unconfined field", "spec:\n  securityContext:\n    appArmorProfile:\n      type: Unconfined\n",
          Set.of("appArmorProfile"), Set.of("appArmorProfile"), T + "spec.securityContext.appArmorProfile.type"),
      c("AppArmor RuntimeDefault", keycloak("appArmorProfile:\n  type: RuntimeDefault"), Set.of(), Set.of(), null),
      c("SELinux type spc_t", keycloak("seLinuxOptions:\n  type: spc_t"), Set.of("seLinuxOptions"),
          Set.of("seLinuxOptions"), T + "spec.containers[0].securityContext.seLinuxOptions.type"),
      c("SELinux user", "spec:\n  securityContext:\n    seLinuxOptions:\n      user: system_u\n",
          Set.of("seLinuxOptions"), Set.of("seLinuxOptions"), T + "spec.securityContext.seLinuxOptions.user"),
      c("SELinux container_t", keycloak("seLinuxOptions:\n  type: container_t\n  level: s0:c1,c2"), Set.of(), Set.of(),
          null),
      // Unmasked needs a user namespace; PodSecurity 1.34 still forbids it there (no relaxation by default).
      c("procMount Unmasked", "spec:\n  hostUsers: false\n  containers:\n  - name: keycloak\n    securityContext:\n"
          + "      procMount: Unmasked\n", Set.of("procMount"), Set.of("procMount"),
          T + "spec.containers[0].securityContext.procMount"),
      c("seccomp Unconfined at pod level", "spec:\n  securityContext:\n    seccompProfile:\n      type: Unconfined\n",
          Set.of("seccompProfile_restricted"), Set.of("seccompProfile_baseline"),
          T + "spec.securityContext.seccompProfile.type"),
      c("seccomp Unconfined in a container", keycloak("seccompProfile:\n  type: Unconfined"),
          Set.of("seccompProfile_restricted"), Set.of("seccompProfile_baseline"),
          T + "spec.containers[0].securityContext.seccompProfile.type"),
      c("seccomp Localhost", keycloak("seccompProfile:\n  type: Localhost\n  localhostProfile: profiles/kc.json"),
          Set.of(), Set.of(), null),
      c("forbidden sysctl", "spec:\n  securityContext:\n    sysctls:\n    - name: kernel.msgmax\n      value: \"65536\"\n",
          Set.of("sysctls"), Set.of("sysctls"), T + "spec.securityContext.sysctls[0].name"),
      c("allowed sysctl", "spec:\n  securityContext:\n    sysctls:\n    - name: net.ipv4.tcp_keepalive_time\n"
          + "      value: \"300\"\n", Set.of(), Set.of(), null),
      c("allowPrivilegeEscalation true", keycloak("allowPrivilegeEscalation: true"), Set.of("allowPrivilegeEscalation"),
          Set.of(), T + "spec.containers[0].securityContext.allowPrivilegeEscalation"),
      c("runAsNonRoot false at pod level", "spec:\n  securityContext:\n    runAsNonRoot: false\n",
          Set.of("runAsNonRoot"), Set.of(), T + "spec.securityContext.runAsNonRoot"),
      c("runAsNonRoot false in a container", keycloak("runAsNonRoot: false"), Set.of("runAsNonRoot"), Set.of(),
          T + "spec.containers[0].securityContext.runAsNonRoot"),
      c("runAsUser 0", "spec:\n  securityContext:\n    runAsUser: 0\n", Set.of("runAsUser"), Set.of(),
          T + "spec.securityContext.runAsUser"),
      c("runAsUser 0 in a container", keycloak("runAsUser: 0"), Set.of("runAsUser"), Set.of(),
          T + "spec.containers[0].securityContext.runAsUser"),
      c("runAsUser 1000", "spec:\n  securityContext:\n    runAsUser: 1000\n    runAsGroup: 1000\n", Set.of(), Set.of(),
          null),
      onlyUnit("Windows HostProcess", "spec:\n  securityContext:\n    windowsOptions:\n      hostProcess: true\n",
          Set.of("windowsHostProcess"), Set.of("windowsHostProcess"),
          T + "spec.securityContext.windowsOptions.hostProcess"),
      // The hardened Linux-only fields make a Windows pod invalid, so only the unit table has it.
      onlyUnit("Windows pod is exempt from the Linux-only checks", "spec:\n  os:\n    name: windows\n  containers:\n"
          + "  - name: keycloak\n    securityContext:\n      allowPrivilegeEscalation: true\n"
          + "      capabilities:\n        drop: [NET_RAW]\n", Set.of(), Set.of(), null),
      onlyUnit("ephemeral container escalating",
          "spec:\n  ephemeralContainers:\n  - name: debug\n    image: busybox\n    securityContext:\n"
              + "      allowPrivilegeEscalation: true\n", Set.of("allowPrivilegeEscalation"), Set.of(),
          T + "spec.ephemeralContainers[0].securityContext.allowPrivilegeEscalation"),
      c("several weakenings at once", """
          spec:
            hostNetwork: true
            securityContext:
              runAsNonRoot: false
            containers:
            - name: keycloak
              securityContext:
                privileged: true
                allowPrivilegeEscalation: true
                capabilities:
                  add: [SYS_ADMIN]
          """, Set.of("hostNamespaces", "runAsNonRoot", "privileged", "capabilities_restricted",
              "allowPrivilegeEscalation"),
          Set.of("hostNamespaces", "privileged", "capabilities_baseline"), null));
}
