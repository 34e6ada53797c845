package io.keycloakgitops.schemas.podsecurity;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SELinuxOptions;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.WindowsSecurityContextOptions;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * One function per upstream check, each a pure function of the pod's metadata and spec (like upstream's
 * {@code CheckPodFn}). Paths are the CR's: {@code spec.unsupported.podTemplate.spec.containers[0]...}.
 */
public final class Checks {
  private Checks() {}

  /** A violation before it is tied to its check: the field and what is wrong with it. */
  public record Finding(String path, String detail) {}

  private static final String METADATA = PodSecurity.TEMPLATE_PATH + ".metadata";
  private static final String SPEC = PodSecurity.TEMPLATE_PATH + ".spec";
  private static final String POD_CONTEXT = SPEC + ".securityContext";

  private static final Set<String> BASELINE_CAPABILITIES = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER",
      "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");
  private static final Set<String> SELINUX_TYPES = Set.of("", "container_t", "container_init_t", "container_kvm_t",
      "container_engine_t");
  private static final Set<String> SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
      "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start",
      "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
      "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem");
  private static final String APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

  static List<Finding> windowsHostProcess(ObjectMeta metadata, PodSpec spec) {
    var found = new ArrayList<Finding>();
    PodSecurityContext psc = spec.getSecurityContext();
    if (psc != null && hostProcess(psc.getWindowsOptions())) {
      found.add(new Finding(POD_CONTEXT + ".windowsOptions.hostProcess", "Windows HostProcess pods are not allowed"));
    }
    forEachContext(spec, (c, sc) -> {
      if (hostProcess(sc.getWindowsOptions())) {
        found.add(new Finding(c.context() + ".windowsOptions.hostProcess",
            "container \"" + c.name + "\" must not run as a Windows HostProcess"));
      }
    });
    return found;
  }

  static List<Finding> hostNamespaces(ObjectMeta metadata, PodSpec spec) {
    var found = new ArrayList<Finding>();
    if (isTrue(spec.getHostNetwork())) {
      found.add(new Finding(SPEC + ".hostNetwork", "the host network namespace is not allowed"));
    }
    if (isTrue(spec.getHostPID())) {
      found.add(new Finding(SPEC + ".hostPID", "the host PID namespace is not allowed"));
    }
    if (isTrue(spec.getHostIPC())) {
      found.add(new Finding(SPEC + ".hostIPC", "the host IPC namespace is not allowed"));
    }
    return found;
  }

  static List<Finding> privileged(ObjectMeta metadata, PodSpec spec) {
    var found = new ArrayList<Finding>();
    forEachContext(spec, (c, sc) -> {
      if (isTrue(sc.getPrivileged())) {
        found.add(new Finding(c.context() + ".privileged", "container \"" + c.name + "\" must not be privileged"));
      }
    });
    return found;
  }

  static List<Finding> capabilitiesBaseline(ObjectMeta metadata, PodSpec spec) {
    var found = new ArrayList<Finding>();
    forEachContext(spec, (c, sc) -> {
      List<String> added = sc.getCapabilities() == null ? null : sc.getCapabilities().getAdd();
      for (int i = 0; added != null && i < added.size(); i++) {
        if (!BASELINE_CAPABILITIES.contains(added.get(i))) {
          found.add(new Finding(c.context() + ".capabilities.add[" + i + "]",
              "capability " + added.get(i) + " is not in the baseline set"));
        }
      }
    });
    return found;
  }

  static List<Finding> hostPathVolumes(ObjectMeta metadata, PodSpec spec) {
    var found = new ArrayList<Finding>();
    forEachVolume(spec, (path, volume) -> {
      if (volume.getHostPath() != null) {
        found.add(new Finding(path + ".hostPath", "hostPath volume \"" + volume.getName() + "\" is not allowed"));
      }
    });
    return found;
  }

  static List<Finding> hostPorts(ObjectMeta metadata, PodSpec spec) {
    var found = new ArrayList<Finding>();
    for (ContainerView c : containers(spec)) {
      for (int i = 0; c.ports != null && i < c.ports.size(); i++) {
        Integer hostPort = c.ports.get(i).getHostPort();
        if (hostPort != null && hostPort != 0) {
          found.add(new Finding(c.path + ".ports[" + i + "].hostPort", "host port " + hostPort + " is not allowed"));
        }
      }
    }
    return found;
  }

  static List<Finding> hostProbesAndHostLifecycle(ObjectMeta metadata, PodSpec spec) {
    var found = new ArrayList<Finding>();
    for (ContainerView c : containers(spec)) {
      probeHosts(c.path + ".livenessProbe", c.liveness, found);
      probeHosts(c.path + ".readinessProbe", c.readiness, found);
      probeHosts(c.path + ".startupProbe", c.startup, found);
      if (c.lifecycle != null) {
        handlerHosts(c.path + ".lifecycle.postStart", c.lifecycle.getPostStart(), found);
        handlerHosts(c.path + ".lifecycle.preStop", c.lifecycle.getPreStop(), found);
      }
    }
    return found;
  }

  static List<Finding> appArmorProfile(ObjectMeta metadata, PodSpec spec) {
    var found = new ArrayList<Finding>();
    PodSecurityContext psc = spec.getSecurityContext();
    if (psc != null && psc.getAppArmorProfile() != null && !allowedAppArmor(psc.getAppArmorProfile().getType())) {
      found.add(new Finding(POD_CONTEXT + ".appArmorProfile.type",
          "AppArmor profile type \"" + psc.getAppArmorProfile().getType() + "\" is not allowed"));
    }
    forEachContext(spec, (c, sc) -> {
      if (sc.getAppArmorProfile() != null && !allowedAppArmor(sc.getAppArmorProfile().getType())) {
        found.add(new Finding(c.context() + ".appArmorProfile.type",
            "AppArmor profile type \"" + sc.getAppArmorProfile().getType() + "\" is not allowed"));
      }
    });
    Map<String, String> annotations = metadata == null || metadata.getAnnotations() == null ? Map.of()
        : metadata.getAnnotations();
    for (Map.Entry<String, String> annotation : annotations.entrySet()) {
      String value = annotation.getValue() == null ? "" : annotation.getValue();
      if (annotation.getKey().startsWith(APPARMOR_ANNOTATION_PREFIX) && !value.isEmpty()
          && !value.equals("runtime/default") && !value.startsWith("localhost/")) {
        found.add(new Finding(METADATA + ".annotations[" + annotation.getKey() + "]",
            "AppArmor profile \"" + value + "\" is not allowed"));
      }
    }
    return found;
  }

  static List<Finding> seLinuxOptions(ObjectMeta metadata, PodSpec spec) {
    var found = new ArrayList<Finding>();
    if (spec.getSecurityContext() != null) {
      seLinux(POD_CONTEXT + ".seLinuxOptions", spec.getSecurityContext().getSeLinuxOptions(), found);
    }
    forEachContext(spec, (c, sc) -> seLinux(c.context() + ".seLinuxOptions", sc.getSeLinuxOptions(), found));
    return found;
  }

  static List<Finding> procMount(ObjectMeta metadata, PodSpec spec) {
    var found = new ArrayList<Finding>();
    forEachContext(spec, (c, sc) -> {
      if (sc.getProcMount() != null && !sc.getProcMount().equals("Default")) {
        found.add(new Finding(c.context() + ".procMount", "procMount \"" + sc.getProcMount() + "\" is not allowed"));
      }
    });
    return found;
  }

  static List<Finding> seccompProfileBaseline(ObjectMeta metadata, PodSpec spec) {
    var found = new ArrayList<Finding>();
    PodSecurityContext psc = spec.getSecurityContext();
    if (psc != null && psc.getSeccompProfile() != null && !validSeccomp(psc.getSeccompProfile())) {
      found.add(new Finding(POD_CONTEXT + ".seccompProfile.type", seccompDetail(psc.getSeccompProfile())));
    }
    forEachContext(spec, (c, sc) -> {
      if (sc.getSeccompProfile() != null && !validSeccomp(sc.getSeccompProfile())) {
        found.add(new Finding(c.context() + ".seccompProfile.type", seccompDetail(sc.getSeccompProfile())));
      }
    });
    return found;
  }

  static List<Finding> sysctls(ObjectMeta metadata, PodSpec spec) {
    var found = new ArrayList<Finding>();
    var sysctls = spec.getSecurityContext() == null ? null : spec.getSecurityContext().getSysctls();
    for (int i = 0; sysctls != null && i < sysctls.size(); i++) {
      if (!SYSCTLS.contains(sysctls.get(i).getName())) {
        found.add(new Finding(POD_CONTEXT + ".sysctls[" + i + "].name",
            "sysctl " + sysctls.get(i).getName() + " is not allowed"));
      }
    }
    return found;
  }

  static List<Finding> restrictedVolumes(ObjectMeta metadata, PodSpec spec) {
    var found = new ArrayList<Finding>();
    forEachVolume(spec, (path, volume) -> {
      if (allowedSource(volume)) {
        return;
      }
      // Rare: name the offending source(s) by their field names. No source at all is defaulted to emptyDir.
      Iterator<String> fields = Serialization.jsonMapper().valueToTree(volume).fieldNames();
      fields.forEachRemaining(source -> {
        if (!source.equals("name")) {
          found.add(new Finding(path + "." + source,
              "volume \"" + volume.getName() + "\" uses the restricted volume type " + source));
        }
      });
    });
    return found;
  }

  static List<Finding> allowPrivilegeEscalation(ObjectMeta metadata, PodSpec spec) {
    var found = new ArrayList<Finding>();
    if (windows(spec)) {
      return found;
    }
    for (ContainerView c : containers(spec)) {
      if (c.securityContext == null || !Boolean.FALSE.equals(c.securityContext.getAllowPrivilegeEscalation())) {
        found.add(new Finding(c.context() + ".allowPrivilegeEscalation",
            "container \"" + c.name + "\" must set allowPrivilegeEscalation=false"));
      }
    }
    return found;
  }

  static List<Finding> runAsNonRoot(ObjectMeta metadata, PodSpec spec) {
    PodSecurityContext psc = spec.getSecurityContext();
    Boolean podValue = psc == null ? null : psc.getRunAsNonRoot();
    var explicit = new ArrayList<Finding>();
    var implicit = new ArrayList<Finding>();
    if (Boolean.FALSE.equals(podValue)) {
      explicit.add(new Finding(POD_CONTEXT + ".runAsNonRoot", "must not be false"));
    }
    for (ContainerView c : containers(spec)) {
      Boolean value = c.securityContext == null ? null : c.securityContext.getRunAsNonRoot();
      if (Boolean.FALSE.equals(value)) {
        explicit.add(new Finding(c.context() + ".runAsNonRoot", "must not be false"));
      } else if (value == null && !Boolean.TRUE.equals(podValue)) {
        implicit.add(new Finding(c.context() + ".runAsNonRoot",
            "pod or container \"" + c.name + "\" must set runAsNonRoot=true"));
      }
    }
    // Like upstream: an explicit false is the cause worth reporting; the unset containers follow from it.
    return explicit.isEmpty() ? implicit : explicit;
  }

  static List<Finding> runAsUser(ObjectMeta metadata, PodSpec spec) {
    var found = new ArrayList<Finding>();
    PodSecurityContext psc = spec.getSecurityContext();
    if (psc != null && Objects.equals(psc.getRunAsUser(), 0L)) {
      found.add(new Finding(POD_CONTEXT + ".runAsUser", "the pod must not run as user 0 (root)"));
    }
    forEachContext(spec, (c, sc) -> {
      if (Objects.equals(sc.getRunAsUser(), 0L)) {
        found.add(new Finding(c.context() + ".runAsUser", "container \"" + c.name + "\" must not run as user 0 (root)"));
      }
    });
    return found;
  }

  static List<Finding> seccompProfileRestricted(ObjectMeta metadata, PodSpec spec) {
    if (windows(spec)) {
      return List.of();
    }
    PodSecurityContext psc = spec.getSecurityContext();
    boolean podSet = psc != null && psc.getSeccompProfile() != null && validSeccomp(psc.getSeccompProfile());
    var explicit = new ArrayList<Finding>();
    var implicit = new ArrayList<Finding>();
    if (psc != null && psc.getSeccompProfile() != null && !podSet) {
      explicit.add(new Finding(POD_CONTEXT + ".seccompProfile.type", seccompDetail(psc.getSeccompProfile())));
    }
    for (ContainerView c : containers(spec)) {
      SeccompProfile profile = c.securityContext == null ? null : c.securityContext.getSeccompProfile();
      if (profile != null && !validSeccomp(profile)) {
        explicit.add(new Finding(c.context() + ".seccompProfile.type", seccompDetail(profile)));
      } else if (profile == null && !podSet) {
        implicit.add(new Finding(c.context() + ".seccompProfile.type",
            "pod or container \"" + c.name + "\" must set seccompProfile.type to RuntimeDefault or Localhost"));
      }
    }
    return explicit.isEmpty() ? implicit : explicit;
  }

  static List<Finding> capabilitiesRestricted(ObjectMeta metadata, PodSpec spec) {
    var found = new ArrayList<Finding>();
    if (windows(spec)) {
      return found;
    }
    for (ContainerView c : containers(spec)) {
      var capabilities = c.securityContext == null ? null : c.securityContext.getCapabilities();
      if (capabilities == null || capabilities.getDrop() == null || !capabilities.getDrop().contains("ALL")) {
        found.add(new Finding(c.context() + ".capabilities.drop", "container \"" + c.name + "\" must drop ALL capabilities"));
      }
      List<String> added = capabilities == null ? null : capabilities.getAdd();
      for (int i = 0; added != null && i < added.size(); i++) {
        if (!"NET_BIND_SERVICE".equals(added.get(i))) {
          found.add(new Finding(c.context() + ".capabilities.add[" + i + "]",
              "container \"" + c.name + "\" may add only NET_BIND_SERVICE, not " + added.get(i)));
        }
      }
    }
    return found;
  }

  /** Upstream's allowed list: configMap, csi, downwardAPI, emptyDir, ephemeral, image, PVC, projected, secret. */
  private static boolean allowedSource(Volume volume) {
    return volume.getConfigMap() != null || volume.getCsi() != null || volume.getDownwardAPI() != null
        || volume.getEmptyDir() != null || volume.getEphemeral() != null || volume.getImage() != null
        || volume.getPersistentVolumeClaim() != null || volume.getProjected() != null || volume.getSecret() != null;
  }

  private static boolean isTrue(Boolean value) {
    return Boolean.TRUE.equals(value);
  }

  private static boolean hostProcess(WindowsSecurityContextOptions options) {
    return options != null && isTrue(options.getHostProcess());
  }

  private static boolean allowedAppArmor(String type) {
    return "RuntimeDefault".equals(type) || "Localhost".equals(type);
  }

  private static boolean validSeccomp(SeccompProfile profile) {
    return "RuntimeDefault".equals(profile.getType()) || "Localhost".equals(profile.getType());
  }

  private static String seccompDetail(SeccompProfile profile) {
    return "seccompProfile type \"" + profile.getType() + "\" is not allowed (use RuntimeDefault or Localhost)";
  }

  private static boolean windows(PodSpec spec) {
    return spec.getOs() != null && "windows".equals(spec.getOs().getName());
  }

  private static void seLinux(String path, SELinuxOptions options, List<Finding> found) {
    if (options == null) {
      return;
    }
    String type = options.getType() == null ? "" : options.getType();
    if (!SELINUX_TYPES.contains(type)) {
      found.add(new Finding(path + ".type", "SELinux type \"" + type + "\" is not allowed"));
    }
    if (options.getUser() != null && !options.getUser().isEmpty()) {
      found.add(new Finding(path + ".user", "the SELinux user may not be set"));
    }
    if (options.getRole() != null && !options.getRole().isEmpty()) {
      found.add(new Finding(path + ".role", "the SELinux role may not be set"));
    }
  }

  private static void probeHosts(String path, Probe probe, List<Finding> found) {
    if (probe != null) {
      hosts(path, probe.getHttpGet(), probe.getTcpSocket(), found);
    }
  }

  private static void handlerHosts(String path, LifecycleHandler handler, List<Finding> found) {
    if (handler != null) {
      hosts(path, handler.getHttpGet(), handler.getTcpSocket(), found);
    }
  }

  private static void hosts(String path, HTTPGetAction httpGet, TCPSocketAction tcpSocket, List<Finding> found) {
    if (httpGet != null && httpGet.getHost() != null && !httpGet.getHost().isEmpty()) {
      found.add(new Finding(path + ".httpGet.host", "host \"" + httpGet.getHost() + "\" is not allowed"));
    }
    if (tcpSocket != null && tcpSocket.getHost() != null && !tcpSocket.getHost().isEmpty()) {
      found.add(new Finding(path + ".tcpSocket.host", "host \"" + tcpSocket.getHost() + "\" is not allowed"));
    }
  }

  private static void forEachVolume(PodSpec spec, BiConsumer<String, Volume> action) {
    List<Volume> volumes = spec.getVolumes();
    for (int i = 0; volumes != null && i < volumes.size(); i++) {
      action.accept(SPEC + ".volumes[" + i + "]", volumes.get(i));
    }
  }

  private static void forEachContext(PodSpec spec, BiConsumer<ContainerView, SecurityContext> action) {
    for (ContainerView c : containers(spec)) {
      if (c.securityContext != null) {
        action.accept(c, c.securityContext);
      }
    }
  }

  /** A container of any kind (init, regular, ephemeral) with the path it has in the CR. */
  private record ContainerView(String path, String name, SecurityContext securityContext, List<ContainerPort> ports,
      Probe liveness, Probe readiness, Probe startup, Lifecycle lifecycle) {
    String context() {
      return path + ".securityContext";
    }
  }

  /** Upstream's visitContainers order: init, regular, ephemeral. */
  private static List<ContainerView> containers(PodSpec spec) {
    var all = new ArrayList<ContainerView>();
    add(all, "initContainers", spec.getInitContainers(), (path, c) -> new ContainerView(path, c.getName(),
        c.getSecurityContext(), c.getPorts(), c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe(),
        c.getLifecycle()));
    add(all, "containers", spec.getContainers(), (path, c) -> new ContainerView(path, c.getName(),
        c.getSecurityContext(), c.getPorts(), c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe(),
        c.getLifecycle()));
    add(all, "ephemeralContainers", spec.getEphemeralContainers(), (path, c) -> new ContainerView(path, c.getName(),
        c.getSecurityContext(), c.getPorts(), c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe(),
        c.getLifecycle()));
    return all;
  }

  private static <T> void add(List<ContainerView> all, String field, List<T> list,
      BiFunction<String, T, ContainerView> view) {
    for (int i = 0; list != null && i < list.size(); i++) {
      all.add(view.apply(SPEC + "." + field + "[" + i + "]", list.get(i)));
    }
  }
}
