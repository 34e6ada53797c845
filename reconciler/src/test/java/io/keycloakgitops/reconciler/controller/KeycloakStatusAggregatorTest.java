package io.keycloakgitops.reconciler.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.keycloakgitops.reconciler.TestKeycloaks;
import io.keycloakgitops.schemas.common.Condition;
import io.keycloakgitops.schemas.keycloak.KeycloakStatus;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class KeycloakStatusAggregatorTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  private static final Instant T1 = Instant.parse("2026-01-01T10:05:00.123Z");

  private final Keycloak keycloak = TestKeycloaks.withSpec("instances: 2");

  @Test
  void readyWhenNothingIsMissing() {
    var status = new KeycloakStatusAggregator(keycloak, T0).instances(2).selector("a=b").internalUrl("http://x")
        .adminSecret("kc-initial-admin").build();
    assertThat(status.condition(KeycloakStatus.READY).status).isEqualTo(Condition.TRUE);
    assertThat(status.condition(KeycloakStatus.HAS_ERRORS).status).isEqualTo(Condition.FALSE);
    assertThat(status.condition(KeycloakStatus.ROLLING_UPDATE).status).isEqualTo(Condition.FALSE);
    assertThat(status.conditions).allSatisfy(c -> {
      assertThat(c.observedGeneration).isEqualTo(3L);
      assertThat(c.lastTransitionTime).isEqualTo("2026-01-01T10:00:00Z");
    });
    assertThat(status.observedGeneration).isEqualTo(3L);
    assertThat(status.instances).isEqualTo(2);
    assertThat(status.selector).isEqualTo("a=b");
    assertThat(status.internalUrl).isEqualTo("http://x");
    assertThat(status.adminSecret).isEqualTo("kc-initial-admin");
  }

  @Test
  void errorsMakeItNotReadyWithThePreciseMessage() {
    var status = new KeycloakStatusAggregator(keycloak, T0)
        .addError("spec.db.usernameSecret: Secret \"db\" not found in namespace \"identity\"").build();
    var hasErrors = status.condition(KeycloakStatus.HAS_ERRORS);
    assertThat(hasErrors.status).isEqualTo(Condition.TRUE);
    assertThat(hasErrors.message)
        .isEqualTo("spec.db.usernameSecret: Secret \"db\" not found in namespace \"identity\"");
    assertThat(status.condition(KeycloakStatus.READY).status).isEqualTo(Condition.FALSE);
    assertThat(status.condition(KeycloakStatus.READY).reason).isEqualTo("HasErrors");
  }

  @Test
  void warningsRideOnAFalseHasErrors() {
    var status = new KeycloakStatusAggregator(keycloak, T0).addWarning("w1").build();
    var hasErrors = status.condition(KeycloakStatus.HAS_ERRORS);
    assertThat(hasErrors.status).isEqualTo(Condition.FALSE);
    assertThat(hasErrors.message).isEqualTo("warning: w1");
    assertThat(status.condition(KeycloakStatus.READY).status).isEqualTo(Condition.TRUE);
  }

  @Test
  void rollingUpdateAndNotReadyMessages() {
    var status = new KeycloakStatusAggregator(keycloak, T0).addNotReady("1 of 2 instances ready")
        .addRollingUpdate("1 of 2 pods run the current template").build();
    assertThat(status.condition(KeycloakStatus.READY).message).isEqualTo("1 of 2 instances ready");
    assertThat(status.condition(KeycloakStatus.ROLLING_UPDATE).status).isEqualTo(Condition.TRUE);
  }

  @Test
  void transitionTimeChangesOnlyWithTheConditionStatus() {
    keycloak.setStatus(new KeycloakStatusAggregator(keycloak, T0).instances(2).build());
    var same = new KeycloakStatusAggregator(keycloak, T1).instances(2).build();
    assertThat(same).as("nothing changed: equal status, so no write").isEqualTo(keycloak.getStatus());

    var broken = new KeycloakStatusAggregator(keycloak, T1).instances(2).addError("boom").build();
    assertThat(broken.condition(KeycloakStatus.HAS_ERRORS).lastTransitionTime).isEqualTo("2026-01-01T10:05:00Z");
    assertThat(broken.condition(KeycloakStatus.ROLLING_UPDATE).lastTransitionTime).isEqualTo("2026-01-01T10:00:00Z");
  }
}
