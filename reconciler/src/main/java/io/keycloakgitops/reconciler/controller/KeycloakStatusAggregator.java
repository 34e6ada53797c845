package io.keycloakgitops.reconciler.controller;

import io.keycloakgitops.schemas.common.Condition;
import io.keycloakgitops.schemas.keycloak.KeycloakStatus;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects what a reconciliation learned and turns it into the upstream-compatible conditions: Ready,
 * HasErrors (warnings ride along as {@code warning:} messages while it is False) and RollingUpdate. Every
 * condition carries the CR's generation; a condition whose status did not change keeps its lastTransitionTime,
 * so an unchanged world yields an equal status and no write.
 */
public final class KeycloakStatusAggregator {
  private final Keycloak keycloak;
  private final Instant now;
  private final List<String> errors = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final List<String> notReady = new ArrayList<>();
  private final List<String> rolling = new ArrayList<>();
  private final KeycloakStatus status = new KeycloakStatus();

  public KeycloakStatusAggregator(Keycloak keycloak, Instant now) {
    this.keycloak = keycloak;
    this.now = now.truncatedTo(ChronoUnit.SECONDS);
  }

  public KeycloakStatusAggregator addError(String message) {
    errors.add(message);
    return this;
  }

  public KeycloakStatusAggregator addWarning(String message) {
    warnings.add(message);
    return this;
  }

  public KeycloakStatusAggregator addNotReady(String message) {
    notReady.add(message);
    return this;
  }

  public KeycloakStatusAggregator addRollingUpdate(String message) {
    rolling.add(message);
    return this;
  }

  public KeycloakStatusAggregator instances(int readyInstances) {
    status.instances = readyInstances;
    return this;
  }

  public KeycloakStatusAggregator selector(String selector) {
    status.selector = selector;
    return this;
  }

  public KeycloakStatusAggregator internalUrl(String url) {
    status.internalUrl = url;
    return this;
  }

  public KeycloakStatusAggregator adminSecret(String secret) {
    status.adminSecret = secret;
    return this;
  }

  public KeycloakStatus build() {
    Long generation = keycloak.getMetadata().getGeneration();
    status.observedGeneration = generation;
    status.conditions = new ArrayList<>();
    boolean ready = errors.isEmpty() && notReady.isEmpty();
    var readyMessages = new ArrayList<String>(errors.isEmpty() ? List.of() : List.of("not reconciled, see HasErrors"));
    readyMessages.addAll(notReady);
    status.conditions.add(condition(KeycloakStatus.READY, ready,
        ready ? "Ready" : errors.isEmpty() ? "NotReady" : "HasErrors",
        ready ? "Keycloak is ready" : String.join("; ", readyMessages), generation));
    var errorMessages = new ArrayList<>(errors);
    warnings.forEach(w -> errorMessages.add("warning: " + w));
    status.conditions.add(condition(KeycloakStatus.HAS_ERRORS, !errors.isEmpty(),
        !errors.isEmpty() ? "Error" : warnings.isEmpty() ? "NoErrors" : "Warnings",
        errorMessages.isEmpty() ? null : String.join("; ", errorMessages), generation));
    status.conditions.add(condition(KeycloakStatus.ROLLING_UPDATE, !rolling.isEmpty(),
        rolling.isEmpty() ? "UpToDate" : "RollingUpdate", rolling.isEmpty() ? null : String.join("; ", rolling),
        generation));
    return status;
  }

  private Condition condition(String type, boolean value, String reason, String message, Long generation) {
    var condition = new Condition(type, value ? Condition.TRUE : Condition.FALSE, reason, message, generation);
    Condition previous = keycloak.getStatus() == null ? null : keycloak.getStatus().condition(type);
    condition.lastTransitionTime = previous != null && previous.status.equals(condition.status)
        && previous.lastTransitionTime != null
        ? previous.lastTransitionTime
        : now.toString();
    return condition;
  }
}
