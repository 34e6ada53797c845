package io.keycloakgitops.schemas.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import org.junit.jupiter.api.Test;

class PodHardeningTest {
  @Test
  void fillsEveryAbsentRestrictedFieldOnPodAndAllContainerKinds() {
    PodTemplateSpec template = new PodTemplateSpecBuilder().withNewSpec()
        .addNewInitContainer().withName("init").endInitContainer()
        .addNewContainer().withName("keycloak").endContainer()
        .addNewEphemeralContainer().withName("debug").endEphemeralContainer()
        .endSpec().build();

    PodTemplateSpec hardened = PodHardening.harden(template);

    assertThat(hardened.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(hardened.getSpec().getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(hardened.getSpec().getInitContainers().get(0).getSecurityContext()).satisfies(PodHardeningTest::isRestricted);
    assertThat(hardened.getSpec().getContainers().get(0).getSecurityContext()).satisfies(PodHardeningTest::isRestricted);
    assertThat(hardened.getSpec().getEphemeralContainers().get(0).getSecurityContext()).satisfies(PodHardeningTest::isRestricted);
  }

  @Test
  void keepsAnExplicitWeakeningSoThatTheWebhookCanDenyIt() {
    PodTemplateSpec template = new PodTemplateSpecBuilder().withNewSpec()
        .withNewSecurityContext().withRunAsNonRoot(false).withNewSeccompProfile().withType("Unconfined").endSeccompProfile().endSecurityContext()
        .addNewContainer().withName("keycloak").withNewSecurityContext().withPrivileged(true).withAllowPrivilegeEscalation(true)
        .withNewCapabilities().addToAdd("SYS_ADMIN").addToDrop("NET_RAW").endCapabilities().endSecurityContext().endContainer()
        .endSpec().build();

    PodTemplateSpec hardened = PodHardening.harden(template);

    assertThat(hardened.getSpec().getSecurityContext().getRunAsNonRoot()).isFalse();
    assertThat(hardened.getSpec().getSecurityContext().getSeccompProfile().getType()).isEqualTo("Unconfined");
    SecurityContext container = hardened.getSpec().getContainers().get(0).getSecurityContext();
    assertThat(container.getPrivileged()).isTrue();
    assertThat(container.getAllowPrivilegeEscalation()).isTrue();
    assertThat(container.getCapabilities().getAdd()).containsExactly("SYS_ADMIN");
    assertThat(container.getCapabilities().getDrop()).containsExactly("NET_RAW");
  }

  @Test
  void leavesPrivilegeEscalationUnsetBesideAPrivilegedContainerBecauseTheApiServerRefusesThatPair() {
    PodTemplateSpec template = new PodTemplateSpecBuilder().withNewSpec()
        .addNewContainer().withName("keycloak").withNewSecurityContext().withPrivileged(true).endSecurityContext().endContainer()
        .endSpec().build();
    SecurityContext container = PodHardening.harden(template).getSpec().getContainers().get(0).getSecurityContext();
    assertThat(container.getAllowPrivilegeEscalation()).isNull();
    assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
  }

  @Test
  void neverModifiesItsInputAndAcceptsNull() {
    PodTemplateSpec template = new PodTemplateSpecBuilder().withNewSpec().addNewContainer().withName("keycloak").endContainer().endSpec().build();
    PodHardening.harden(template);
    assertThat(template.getSpec().getSecurityContext()).isNull();
    assertThat(template.getSpec().getContainers().get(0).getSecurityContext()).isNull();
    assertThat(PodHardening.harden(null).getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
  }

  @Test
  void neverModifiesTheSecurityContextsItsInputAlreadyHas() {
    PodTemplateSpec template = new PodTemplateSpecBuilder().withNewSpec()
        .withNewSecurityContext().withRunAsUser(1000L).endSecurityContext()
        .addNewContainer().withName("keycloak").withNewSecurityContext().withPrivileged(false).endSecurityContext()
        .endContainer()
        .addNewInitContainer().withName("init").withNewSecurityContext().withNewCapabilities().addToAdd("NET_ADMIN")
        .endCapabilities().endSecurityContext().endInitContainer()
        .addNewEphemeralContainer().withName("debug").withNewSecurityContext().endSecurityContext().endEphemeralContainer()
        .endSpec().build();
    PodTemplateSpec before = new PodTemplateSpecBuilder(template).build();
    PodTemplateSpec hardened = PodHardening.harden(template);
    assertThat(template).isEqualTo(before);
    assertThat(hardened).isNotEqualTo(before);
    assertThat(hardened.getSpec().getInitContainers().getFirst().getSecurityContext().getCapabilities().getDrop())
        .containsExactly("ALL");
  }

  private static void isRestricted(SecurityContext context) {
    assertThat(context.getAllowPrivilegeEscalation()).isFalse();
    assertThat(context.getPrivileged()).isFalse();
    assertThat(context.getCapabilities().getDrop()).containsExactly("ALL");
  }
}
