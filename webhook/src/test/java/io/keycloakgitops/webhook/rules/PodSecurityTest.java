package io.keycloakgitops.webhook.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.keycloakgitops.schemas.podsecurity.Check;
import io.keycloakgitops.schemas.podsecurity.Level;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class PodSecurityTest {
  static final List<PodSecurityCases.Case> CASES = PodSecurityCases.ALL;

  @ParameterizedTest(name = "{0}")
  @FieldSource("CASES")
  void restrictedDeniesExactlyTheExpectedChecks(PodSecurityCases.Case c) {
    Findings findings = PodSecurity.validate(c.template(), Level.RESTRICTED);
    assertThat(checkIds(findings)).isEqualTo(c.restricted());
    if (c.path() != null) {
      assertThat(findings.errors()).extracting(FieldError::field).contains(c.path());
    }
    assertThat(findings.errors()).allSatisfy(error -> {
      assertThat(error.rule()).isEqualTo(PodSecurity.RULE);
      assertThat(error.type()).isEqualTo(FieldError.Type.FORBIDDEN);
    });
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("CASES")
  void baselineDeniesOnlyBaselineChecksAndWarnsAboutTheRest(PodSecurityCases.Case c) {
    Findings findings = PodSecurity.validate(c.template(), Level.BASELINE);
    assertThat(checkIds(findings)).isEqualTo(c.baseline());
    boolean restrictedOnly = !c.restricted().isEmpty() && !c.restricted().equals(c.baseline());
    if (restrictedOnly) {
      assertThat(findings.warnings()).isNotEmpty().allMatch(w -> w.contains("allowed by the namespace policy"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("CASES")
  void privilegedDeniesNothing(PodSecurityCases.Case c) {
    assertThat(PodSecurity.validate(c.template(), Level.PRIVILEGED).errors()).isEmpty();
  }

  @Test
  void messagesNameTheCheckAndTheUpstreamReason() {
    var template = PodSecurityCases.ALL.stream().filter(c -> c.name().equals("runAsNonRoot false at pod level"))
        .findFirst().orElseThrow().template();
    assertThat(PodSecurity.validate(template, Level.RESTRICTED).errors()).singleElement().hasToString(
        "spec.unsupported.podTemplate.spec.securityContext.runAsNonRoot: Forbidden: violates PodSecurity "
            + "\"restricted\" check \"runAsNonRoot\" (runAsNonRoot != true): must not be false");
  }

  @Test
  void theEffectivePodHasTheKeycloakContainerAndTheHardenedDefaults() {
    PodTemplateSpec pod = io.keycloakgitops.schemas.podsecurity.PodSecurity.effectivePod(null);
    var keycloak = pod.getSpec().getContainers().getFirst();
    assertThat(keycloak.getName()).isEqualTo("keycloak");
    assertThat(keycloak.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(keycloak.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSpec().getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
  }

  @Test
  void theTemplateIsNeverModified() {
    var template = PodSecurityCases.ALL.get(1).template();
    var before = template.toString();
    PodSecurity.validate(template, Level.RESTRICTED);
    assertThat(template).hasToString(before);
  }

  @Test
  void overriddenBaselineChecksAreReplacedAtRestricted() {
    Set<Check> restricted = Check.enforcedAt(Level.RESTRICTED);
    assertThat(restricted).doesNotContain(Check.CAPABILITIES_BASELINE, Check.HOST_PATH_VOLUMES,
        Check.SECCOMP_PROFILE_BASELINE).contains(Check.PRIVILEGED);
    assertThat(Check.enforcedAt(Level.PRIVILEGED)).isEmpty();
  }

  static Set<String> checkIds(Findings findings) {
    return findings.errors().stream().map(e -> e.detail().replaceFirst(".*check \"([^\"]+)\".*", "$1"))
        .collect(Collectors.toSet());
  }
}
