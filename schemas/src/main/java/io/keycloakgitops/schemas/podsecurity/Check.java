package io.keycloakgitops.schemas.podsecurity;

import static io.keycloakgitops.schemas.podsecurity.Level.BASELINE;
import static io.keycloakgitops.schemas.podsecurity.Level.RESTRICTED;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Upstream's checks (pod-security-admission v0.34, policy version "latest"), shaped as upstream registers them: an
 * ID, the level it belongs to, upstream's ForbiddenReason, the baseline check a restricted one overrides, and one
 * function of the pod's metadata and spec (in {@link Checks}).
 */
public enum Check {
  WINDOWS_HOST_PROCESS("windowsHostProcess", BASELINE, "hostProcess", null, Checks::windowsHostProcess),
  HOST_NAMESPACES("hostNamespaces", BASELINE, "host namespaces", null, Checks::hostNamespaces),
  PRIVILEGED("privileged", BASELINE, "privileged", null, Checks::privileged),
  CAPABILITIES_BASELINE("capabilities_baseline", BASELINE, "non-default capabilities", null,
      Checks::capabilitiesBaseline),
  HOST_PATH_VOLUMES("hostPathVolumes", BASELINE, "hostPath volumes", null, Checks::hostPathVolumes),
  HOST_PORTS("hostPorts", BASELINE, "hostPort", null, Checks::hostPorts),
  HOST_PROBES_AND_HOST_LIFECYCLE("hostProbesAndHostLifecycle", BASELINE, "probe or lifecycle host", null,
      Checks::hostProbesAndHostLifecycle),
  APP_ARMOR_PROFILE("appArmorProfile", BASELINE, "forbidden AppArmor profile", null, Checks::appArmorProfile),
  SE_LINUX_OPTIONS("seLinuxOptions", BASELINE, "seLinuxOptions", null, Checks::seLinuxOptions),
  PROC_MOUNT("procMount", BASELINE, "procMount", null, Checks::procMount),
  SECCOMP_PROFILE_BASELINE("seccompProfile_baseline", BASELINE, "seccompProfile", null, Checks::seccompProfileBaseline),
  SYSCTLS("sysctls", BASELINE, "forbidden sysctls", null, Checks::sysctls),
  RESTRICTED_VOLUMES("restrictedVolumes", RESTRICTED, "restricted volume types", HOST_PATH_VOLUMES,
      Checks::restrictedVolumes),
  ALLOW_PRIVILEGE_ESCALATION("allowPrivilegeEscalation", RESTRICTED, "allowPrivilegeEscalation != false", null,
      Checks::allowPrivilegeEscalation),
  RUN_AS_NON_ROOT("runAsNonRoot", RESTRICTED, "runAsNonRoot != true", null, Checks::runAsNonRoot),
  RUN_AS_USER("runAsUser", RESTRICTED, "runAsUser=0", null, Checks::runAsUser),
  SECCOMP_PROFILE_RESTRICTED("seccompProfile_restricted", RESTRICTED, "seccompProfile", SECCOMP_PROFILE_BASELINE,
      Checks::seccompProfileRestricted),
  CAPABILITIES_RESTRICTED("capabilities_restricted", RESTRICTED, "unrestricted capabilities", CAPABILITIES_BASELINE,
      Checks::capabilitiesRestricted);

  /** Upstream's CheckPodFn: the violations of one check, each a field path below the template and a detail. */
  @FunctionalInterface
  public interface CheckPod {
    List<Checks.Finding> check(ObjectMeta metadata, PodSpec spec);
  }

  public final String id;
  public final Level level;
  /** Upstream's ForbiddenReason, the text the PodSecurity admission prints for this check. */
  public final String reason;
  private final Check overrides;
  private final CheckPod function;

  Check(String id, Level level, String reason, Check overrides, CheckPod function) {
    this.id = id;
    this.level = level;
    this.reason = reason;
    this.overrides = overrides;
    this.function = function;
  }

  /** This check's violations on {@code pod} (an effective pod: nothing is defaulted here). */
  public List<Violation> check(ObjectMeta metadata, PodSpec spec) {
    return function.check(metadata, spec == null ? new PodSpec() : spec).stream()
        .map(finding -> new Violation(this, finding.path(), finding.detail())).toList();
  }

  /** The checks upstream evaluates when {@code level} is enforced (a restricted check replaces what it overrides). */
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
