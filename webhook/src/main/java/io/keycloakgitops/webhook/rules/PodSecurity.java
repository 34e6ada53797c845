package io.keycloakgitops.webhook.rules;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.keycloakgitops.schemas.podsecurity.Check;
import io.keycloakgitops.schemas.podsecurity.Level;
import io.keycloakgitops.schemas.podsecurity.Violation;
import java.util.EnumSet;

/**
 * The pod-security rule: the Pod Security Standards of {@code schemas} ({@link
 * io.keycloakgitops.schemas.podsecurity.PodSecurity}, shared with the reconciler) on the effective pod of the CR,
 * at the level the namespace policy enforces. A field the template leaves unset is hardened, so only explicit
 * weakenings can fail. Check IDs, levels and reasons are upstream's, so a denial names the same check as the
 * PodSecurity admission would.
 */
public final class PodSecurity {
  public static final String RULE = "pod-security";
  private static final FieldPath TEMPLATE = FieldPath.of("spec", "unsupported", "podTemplate");

  private PodSecurity() {}

  /**
   * Errors for every check of the {@code enforced} level on the effective pod of {@code template}; when the
   * level is relaxed below restricted, what restricted would deny comes back as warnings.
   */
  public static Findings validate(PodTemplateSpec template, Level enforced) {
    return check(io.keycloakgitops.schemas.podsecurity.PodSecurity.effectivePod(template), enforced);
  }

  /** {@link #validate} that hardens {@code template} itself: for one decoded for this check alone (no copy). */
  public static Findings validateInPlace(PodTemplateSpec template, Level enforced) {
    return check(io.keycloakgitops.schemas.podsecurity.PodSecurity.effectivePodInPlace(template), enforced);
  }

  private static Findings check(PodTemplateSpec pod, Level enforced) {
    var enforcedChecks = Check.enforcedAt(enforced);
    var restrictedChecks = Check.enforcedAt(Level.RESTRICTED);
    var checks = EnumSet.copyOf(restrictedChecks);
    checks.addAll(enforcedChecks);
    var findings = Findings.builder(RULE);
    for (Violation violation : io.keycloakgitops.schemas.podsecurity.PodSecurity.violations(pod, checks)) {
      var path = new FieldPath(violation.path());
      if (enforcedChecks.contains(violation.check())) {
        findings.forbidden(path, violation.message());
      } else if (restrictedChecks.contains(violation.check())) {
        findings.warn(path, violation.message() + " (allowed by the namespace policy)");
      }
    }
    return findings.build();
  }

  /** A template that is not a PodTemplateSpec: denied, since its pod cannot be checked (never skip the checks). */
  public static Findings undecodable(String why) {
    return Findings.builder(RULE).add(FieldError.Type.INVALID, TEMPLATE,
        "not a pod template, so its pod security cannot be checked: " + why).build();
  }
}
