package io.keycloakgitops.webhook.rules;

import static io.keycloakgitops.webhook.rules.PodSecurity.Level.BASELINE;
import static io.keycloakgitops.webhook.rules.PodSecurity.Level.RESTRICTED;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SELinuxOptions;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.WindowsSecurityContextOptions;
import io.keycloakgitops.schemas.keycloak.PodHardening;
import io.keycloakgitops.webhook.Json;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * The Kubernetes Pod Security Standards (pod-security-admission v0.34, policy version "latest"), checked on the
 * pod the reconciler will create: {@code spec.unsupported.podTemplate} hardened by {@link PodHardening}. A field
 * the template leaves unset is hardened, so only explicit weakenings can fail. Check IDs, levels, overrides and
 * forbidden reasons are upstream's, so a denial names the same check as the PodSecurity admission would.
 */
public final class PodSecurity {
  public static final String RULE = "pod-security";
  public static final String KEYCLOAK_CONTAINER = "keycloak";
  private static final FieldPath TEMPLATE = FieldPath.of("spec", "unsupported", "podTemplate");

  private PodSecurity() {}

  public enum Level { PRIVILEGED, BASELINE, RESTRICTED }

  /** Upstream's checks. A restricted check may override (replace) a baseline one when restricted is enforced. */
  public enum Check {
    WINDOWS_HOST_PROCESS("windowsHostProcess", BASELINE, "hostProcess", null),
    HOST_NAMESPACES("hostNamespaces", BASELINE, "host namespaces", null),
    PRIVILEGED("privileged", BASELINE, "privileged", null),
    CAPABILITIES_BASELINE("capabilities_baseline", BASELINE, "non-default capabilities", null),
    HOST_PATH_VOLUMES("hostPathVolumes", BASELINE, "hostPath volumes", null),
    HOST_PORTS("hostPorts", BASELINE, "hostPort", null),
    HOST_PROBES_AND_HOST_LIFECYCLE("hostProbesAndHostLifecycle", BASELINE, "probe or lifecycle host", null),
    APP_ARMOR_PROFILE("appArmorProfile", BASELINE, "forbidden AppArmor profile", null),
    SE_LINUX_OPTIONS("seLinuxOptions", BASELINE, "seLinuxOptions", null),
    PROC_MOUNT("procMount", BASELINE, "procMount", null),
    SECCOMP_PROFILE_BASELINE("seccompProfile_baseline", BASELINE, "seccompProfile", null),
    SYSCTLS("sysctls", BASELINE, "forbidden sysctls", null),
    RESTRICTED_VOLUMES("restrictedVolumes", RESTRICTED, "restricted volume types", HOST_PATH_VOLUMES),
    ALLOW_PRIVILEGE_ESCALATION("allowPrivilegeEscalation", RESTRICTED, "allowPrivilegeEscalation != false", null),
    RUN_AS_NON_ROOT("runAsNonRoot", RESTRICTED, "runAsNonRoot != true", null),
    RUN_AS_USER("runAsUser", RESTRICTED, "runAsUser=0", null),
    SECCOMP_PROFILE_RESTRICTED("seccompProfile_restricted", RESTRICTED, "seccompProfile", SECCOMP_PROFILE_BASELINE),
    CAPABILITIES_RESTRICTED("capabilities_restricted", RESTRICTED, "unrestricted capabilities", CAPABILITIES_BASELINE);

    public final String id;
    public final Level level;
    /** Upstream's ForbiddenReason, the text the PodSecurity admission prints for this check. */
    public final String reason;
    private final Check overrides;

    Check(String id, Level level, String reason, Check overrides) {
      this.id = id;
      this.level = level;
      this.reason = reason;
      this.overrides = overrides;
    }

    /** The checks upstream evaluates when {@code level} is enforced. */
    public static Set<Check> enforcedAt(Level level) {
      var checks = EnumSet.noneOf(Check.class);
      for (Check check : values()) {
        if (level != Level.PRIVILEGED && check.level.ordinal() <= level.ordinal()) {
          checks.add(check);
        }
      }
      for (Check check : List.copyOf(checks)) {
        if (check.overrides != null) {
          checks.remove(check.overrides);
        }
      }
      return checks;
    }
  }

  public record Violation(Check check, FieldPath path, String detail) {}

  /** The pod the reconciler creates from this template: hardened, with the Keycloak container always present. */
  public static PodTemplateSpec effectivePod(PodTemplateSpec template) {
    PodTemplateSpec pod = PodHardening.harden(template);
    if (pod.getSpec().getContainers() == null) {
      pod.getSpec().setContainers(new ArrayList<>());
    }
    if (pod.getSpec().getContainers().stream().noneMatch(c -> KEYCLOAK_CONTAINER.equals(c.getName()))) {
      // harden() treats each container on its own, so hardening the Keycloak container alone (a tiny copy) and
      // appending it equals hardening the template with it, without copying the whole template twice.
      var keycloak = new Container();
      keycloak.setName(KEYCLOAK_CONTAINER);
      var alone = new PodTemplateSpec(null, new PodSpecBuilder().withContainers(keycloak).build());
      var containers = new ArrayList<>(pod.getSpec().getContainers());
      containers.add(PodHardening.harden(alone).getSpec().getContainers().getFirst());
      pod.getSpec().setContainers(containers);
    }
    return pod;
  }

  /**
   * Errors for every check of the {@code enforced} level on the effective pod of {@code template}; when the
   * level is relaxed below restricted, what restricted would deny comes back as warnings.
   */
  public static Findings validate(PodTemplateSpec template, Level enforced) {
    var enforcedChecks = Check.enforcedAt(enforced);
    var restrictedChecks = Check.enforcedAt(RESTRICTED);
    var checks = EnumSet.copyOf(restrictedChecks);
    checks.addAll(enforcedChecks);
    var findings = Findings.builder(RULE);
    for (Violation violation : violations(effectivePod(template), checks)) {
      String text = "violates PodSecurity \"" + violation.check.level.name().toLowerCase() + "\" check \""
          + violation.check.id + "\" (" + violation.check.reason + "): " + violation.detail;
      if (enforcedChecks.contains(violation.check)) {
        findings.forbidden(violation.path, text);
      } else if (restrictedChecks.contains(violation.check)) {
        findings.warn(violation.path, text + " (allowed by the namespace policy)");
      }
    }
    return findings.build();
  }

  /** Every violation of the given checks on an (already effective) pod, with paths under the CR's podTemplate. */
  public static List<Violation> violations(PodTemplateSpec pod, Set<Check> checks) {
    var view = new PodView(pod);
    var found = new ArrayList<Violation>();
    for (Check check : checks) {
      evaluate(check, view, (path, detail) -> found.add(new Violation(check, path, detail)));
    }
    return found;
  }

  private interface Sink {
    void add(FieldPath path, String detail);
  }

  private static final Set<String> BASELINE_CAPABILITIES = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER",
      "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");
  private static final Set<String> SELINUX_TYPES = Set.of("", "container_t", "container_init_t", "container_kvm_t",
      "container_engine_t");
  private static final Set<String> SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
      "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start",
      "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
      "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem");
  private static final String APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

  private static void evaluate(Check check, PodView pod, Sink sink) {
    FieldPath podContext = pod.spec.child("securityContext");
    PodSecurityContext psc = pod.podSpec.getSecurityContext();
    switch (check) {
      case WINDOWS_HOST_PROCESS -> {
        if (psc != null && hostProcess(psc.getWindowsOptions())) {
          sink.add(podContext.child("windowsOptions").child("hostProcess"), "Windows HostProcess pods are not allowed");
        }
        for (ContainerView c : pod.containers) {
          if (c.context != null && hostProcess(c.context.getWindowsOptions())) {
            sink.add(c.contextPath().child("windowsOptions").child("hostProcess"),
                "container \"" + c.name + "\" must not run as a Windows HostProcess");
          }
        }
      }
      case HOST_NAMESPACES -> {
        if (isTrue(pod.podSpec.getHostNetwork())) {
          sink.add(pod.spec.child("hostNetwork"), "the host network namespace is not allowed");
        }
        if (isTrue(pod.podSpec.getHostPID())) {
          sink.add(pod.spec.child("hostPID"), "the host PID namespace is not allowed");
        }
        if (isTrue(pod.podSpec.getHostIPC())) {
          sink.add(pod.spec.child("hostIPC"), "the host IPC namespace is not allowed");
        }
      }
      case PRIVILEGED -> pod.forEachContext((c, sc) -> {
        if (isTrue(sc.getPrivileged())) {
          sink.add(c.contextPath().child("privileged"), "container \"" + c.name + "\" must not be privileged");
        }
      });
      case CAPABILITIES_BASELINE -> pod.forEachContext((c, sc) -> {
        List<String> added = sc.getCapabilities() == null ? null : sc.getCapabilities().getAdd();
        for (int i = 0; added != null && i < added.size(); i++) {
          if (!BASELINE_CAPABILITIES.contains(added.get(i))) {
            sink.add(c.contextPath().child("capabilities").child("add").index(i),
                "capability " + added.get(i) + " is not in the baseline set");
          }
        }
      });
      case HOST_PATH_VOLUMES -> forEachVolume(pod, (path, volume) -> {
        if (volume.getHostPath() != null) {
          sink.add(path.child("hostPath"), "hostPath volume \"" + volume.getName() + "\" is not allowed");
        }
      });
      case HOST_PORTS -> {
        for (ContainerView c : pod.containers) {
          for (int i = 0; c.ports != null && i < c.ports.size(); i++) {
            Integer hostPort = c.ports.get(i).getHostPort();
            if (hostPort != null && hostPort != 0) {
              sink.add(c.path.child("ports").index(i).child("hostPort"), "host port " + hostPort + " is not allowed");
            }
          }
        }
      }
      case HOST_PROBES_AND_HOST_LIFECYCLE -> {
        for (ContainerView c : pod.containers) {
          probeHosts(c.path.child("livenessProbe"), c.liveness, sink);
          probeHosts(c.path.child("readinessProbe"), c.readiness, sink);
          probeHosts(c.path.child("startupProbe"), c.startup, sink);
          if (c.lifecycle != null) {
            if (c.lifecycle.getPostStart() != null) {
              handlerHosts(c.path.child("lifecycle").child("postStart"), c.lifecycle.getPostStart().getHttpGet(),
                  c.lifecycle.getPostStart().getTcpSocket(), sink);
            }
            if (c.lifecycle.getPreStop() != null) {
              handlerHosts(c.path.child("lifecycle").child("preStop"), c.lifecycle.getPreStop().getHttpGet(),
                  c.lifecycle.getPreStop().getTcpSocket(), sink);
            }
          }
        }
      }
      case APP_ARMOR_PROFILE -> {
        if (psc != null && psc.getAppArmorProfile() != null && !allowedAppArmor(psc.getAppArmorProfile().getType())) {
          sink.add(podContext.child("appArmorProfile").child("type"),
              "AppArmor profile type \"" + psc.getAppArmorProfile().getType() + "\" is not allowed");
        }
        pod.forEachContext((c, sc) -> {
          if (sc.getAppArmorProfile() != null && !allowedAppArmor(sc.getAppArmorProfile().getType())) {
            sink.add(c.contextPath().child("appArmorProfile").child("type"),
                "AppArmor profile type \"" + sc.getAppArmorProfile().getType() + "\" is not allowed");
          }
        });
        for (Map.Entry<String, String> annotation : pod.annotations().entrySet()) {
          String value = annotation.getValue() == null ? "" : annotation.getValue();
          if (annotation.getKey().startsWith(APPARMOR_ANNOTATION_PREFIX) && !value.isEmpty()
              && !value.equals("runtime/default") && !value.startsWith("localhost/")) {
            sink.add(pod.metadata.child("annotations").key(annotation.getKey()),
                "AppArmor profile \"" + value + "\" is not allowed");
          }
        }
      }
      case SE_LINUX_OPTIONS -> {
        if (psc != null) {
          seLinux(podContext.child("seLinuxOptions"), psc.getSeLinuxOptions(), sink);
        }
        pod.forEachContext((c, sc) -> seLinux(c.contextPath().child("seLinuxOptions"), sc.getSeLinuxOptions(), sink));
      }
      case PROC_MOUNT -> pod.forEachContext((c, sc) -> {
        if (sc.getProcMount() != null && !sc.getProcMount().equals("Default")) {
          sink.add(c.contextPath().child("procMount"), "procMount \"" + sc.getProcMount() + "\" is not allowed");
        }
      });
      case SECCOMP_PROFILE_BASELINE -> {
        if (psc != null && psc.getSeccompProfile() != null && !validSeccomp(psc.getSeccompProfile())) {
          sink.add(podContext.child("seccompProfile").child("type"), seccompDetail(psc.getSeccompProfile()));
        }
        pod.forEachContext((c, sc) -> {
          if (sc.getSeccompProfile() != null && !validSeccomp(sc.getSeccompProfile())) {
            sink.add(c.contextPath().child("seccompProfile").child("type"), seccompDetail(sc.getSeccompProfile()));
          }
        });
      }
      case SYSCTLS -> {
        var sysctls = psc == null ? null : psc.getSysctls();
        for (int i = 0; sysctls != null && i < sysctls.size(); i++) {
          if (!SYSCTLS.contains(sysctls.get(i).getName())) {
            sink.add(podContext.child("sysctls").index(i).child("name"),
                "sysctl " + sysctls.get(i).getName() + " is not allowed");
          }
        }
      }
      case RESTRICTED_VOLUMES -> forEachVolume(pod, (path, volume) -> {
        if (allowedSource(volume)) {
          return;
        }
        // Rare: name the offending source(s) by their field names. No source at all is defaulted to emptyDir.
        Json.MAPPER.valueToTree(volume).properties().stream().map(Map.Entry::getKey)
            .filter(name -> !name.equals("name"))
            .forEach(source -> sink.add(path.child(source),
                "volume \"" + volume.getName() + "\" uses the restricted volume type " + source));
      });
      case ALLOW_PRIVILEGE_ESCALATION -> {
        if (!pod.windows()) {
          for (ContainerView c : pod.containers) {
            if (c.context == null || !Boolean.FALSE.equals(c.context.getAllowPrivilegeEscalation())) {
              sink.add(c.contextPath().child("allowPrivilegeEscalation"),
                  "container \"" + c.name + "\" must set allowPrivilegeEscalation=false");
            }
          }
        }
      }
      case RUN_AS_NON_ROOT -> {
        Boolean podValue = psc == null ? null : psc.getRunAsNonRoot();
        var explicit = new ArrayList<FieldPath>();
        var implicit = new ArrayList<ContainerView>();
        if (Boolean.FALSE.equals(podValue)) {
          explicit.add(podContext.child("runAsNonRoot"));
        }
        for (ContainerView c : pod.containers) {
          Boolean value = c.context == null ? null : c.context.getRunAsNonRoot();
          if (Boolean.FALSE.equals(value)) {
            explicit.add(c.contextPath().child("runAsNonRoot"));
          } else if (value == null && !Boolean.TRUE.equals(podValue)) {
            implicit.add(c);
          }
        }
        // Like upstream: an explicit false is the cause worth reporting; the unset containers follow from it.
        explicit.forEach(path -> sink.add(path, "must not be false"));
        if (explicit.isEmpty()) {
          implicit.forEach(c -> sink.add(c.contextPath().child("runAsNonRoot"),
              "pod or container \"" + c.name + "\" must set runAsNonRoot=true"));
        }
      }
      case RUN_AS_USER -> {
        if (psc != null && Objects.equals(psc.getRunAsUser(), 0L)) {
          sink.add(podContext.child("runAsUser"), "the pod must not run as user 0 (root)");
        }
        pod.forEachContext((c, sc) -> {
          if (Objects.equals(sc.getRunAsUser(), 0L)) {
            sink.add(c.contextPath().child("runAsUser"), "container \"" + c.name + "\" must not run as user 0 (root)");
          }
        });
      }
      case SECCOMP_PROFILE_RESTRICTED -> {
        if (pod.windows()) {
          return;
        }
        boolean podSet = psc != null && psc.getSeccompProfile() != null && validSeccomp(psc.getSeccompProfile());
        var explicit = new ArrayList<Violation>();
        var implicit = new ArrayList<ContainerView>();
        if (psc != null && psc.getSeccompProfile() != null && !podSet) {
          explicit.add(new Violation(check, podContext.child("seccompProfile").child("type"),
              seccompDetail(psc.getSeccompProfile())));
        }
        for (ContainerView c : pod.containers) {
          SeccompProfile profile = c.context == null ? null : c.context.getSeccompProfile();
          if (profile != null && !validSeccomp(profile)) {
            explicit.add(new Violation(check, c.contextPath().child("seccompProfile").child("type"),
                seccompDetail(profile)));
          } else if (profile == null && !podSet) {
            implicit.add(c);
          }
        }
        explicit.forEach(v -> sink.add(v.path, v.detail));
        if (explicit.isEmpty()) {
          implicit.forEach(c -> sink.add(c.contextPath().child("seccompProfile").child("type"),
              "pod or container \"" + c.name + "\" must set seccompProfile.type to RuntimeDefault or Localhost"));
        }
      }
      case CAPABILITIES_RESTRICTED -> {
        if (pod.windows()) {
          return;
        }
        for (ContainerView c : pod.containers) {
          var capabilities = c.context == null ? null : c.context.getCapabilities();
          if (capabilities == null || capabilities.getDrop() == null || !capabilities.getDrop().contains("ALL")) {
            sink.add(c.contextPath().child("capabilities").child("drop"),
                "container \"" + c.name + "\" must drop ALL capabilities");
          }
          List<String> added = capabilities == null ? null : capabilities.getAdd();
          for (int i = 0; added != null && i < added.size(); i++) {
            if (!"NET_BIND_SERVICE".equals(added.get(i))) {
              sink.add(c.contextPath().child("capabilities").child("add").index(i),
                  "container \"" + c.name + "\" may add only NET_BIND_SERVICE, not " + added.get(i));
            }
          }
        }
      }
    }
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

  private static void seLinux(FieldPath path, SELinuxOptions options, Sink sink) {
    if (options == null) {
      return;
    }
    String type = options.getType() == null ? "" : options.getType();
    if (!SELINUX_TYPES.contains(type)) {
      sink.add(path.child("type"), "SELinux type \"" + type + "\" is not allowed");
    }
    if (options.getUser() != null && !options.getUser().isEmpty()) {
      sink.add(path.child("user"), "the SELinux user may not be set");
    }
    if (options.getRole() != null && !options.getRole().isEmpty()) {
      sink.add(path.child("role"), "the SELinux role may not be set");
    }
  }

  private static void probeHosts(FieldPath path, Probe probe, Sink sink) {
    if (probe != null) {
      handlerHosts(path, probe.getHttpGet(), probe.getTcpSocket(), sink);
    }
  }

  private static void handlerHosts(FieldPath path, HTTPGetAction httpGet, TCPSocketAction tcpSocket, Sink sink) {
    if (httpGet != null && httpGet.getHost() != null && !httpGet.getHost().isEmpty()) {
      sink.add(path.child("httpGet").child("host"), "host \"" + httpGet.getHost() + "\" is not allowed");
    }
    if (tcpSocket != null && tcpSocket.getHost() != null && !tcpSocket.getHost().isEmpty()) {
      sink.add(path.child("tcpSocket").child("host"), "host \"" + tcpSocket.getHost() + "\" is not allowed");
    }
  }

  private static void forEachVolume(PodView pod, BiConsumer<FieldPath, Volume> action) {
    List<Volume> volumes = pod.podSpec.getVolumes();
    for (int i = 0; volumes != null && i < volumes.size(); i++) {
      action.accept(pod.spec.child("volumes").index(i), volumes.get(i));
    }
  }

  /** A container of any kind (init, regular, ephemeral) with the path it has in the CR. */
  private record ContainerView(FieldPath path, String name, SecurityContext context, List<ContainerPort> ports,
      Probe liveness, Probe readiness, Probe startup, Lifecycle lifecycle) {
    FieldPath contextPath() {
      return path.child("securityContext");
    }
  }

  private static final class PodView {
    final FieldPath metadata = TEMPLATE.child("metadata");
    final FieldPath spec = TEMPLATE.child("spec");
    final ObjectMeta meta;
    final PodSpec podSpec;
    final List<ContainerView> containers = new ArrayList<>();

    PodView(PodTemplateSpec pod) {
      meta = pod.getMetadata();
      podSpec = pod.getSpec() == null ? new PodSpec() : pod.getSpec();
      // Upstream's visitContainers order: init, regular, ephemeral.
      add("initContainers", podSpec.getInitContainers(), (path, c) -> new ContainerView(path, c.getName(),
          c.getSecurityContext(), c.getPorts(), c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe(),
          c.getLifecycle()));
      add("containers", podSpec.getContainers(), (path, c) -> new ContainerView(path, c.getName(),
          c.getSecurityContext(), c.getPorts(), c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe(),
          c.getLifecycle()));
      add("ephemeralContainers", podSpec.getEphemeralContainers(), (path, c) -> new ContainerView(path, c.getName(),
          c.getSecurityContext(), c.getPorts(), c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe(),
          c.getLifecycle()));
    }

    private <T> void add(String field, List<T> list, BiFunction<FieldPath, T, ContainerView> view) {
      for (int i = 0; list != null && i < list.size(); i++) {
        containers.add(view.apply(spec.child(field).index(i), list.get(i)));
      }
    }

    Map<String, String> annotations() {
      return meta == null || meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
    }

    boolean windows() {
      return podSpec.getOs() != null && "windows".equals(podSpec.getOs().getName());
    }

    void forEachContext(BiConsumer<ContainerView, SecurityContext> action) {
      for (ContainerView c : containers) {
        if (c.context != null) {
          action.accept(c, c.context);
        }
      }
    }
  }
}
