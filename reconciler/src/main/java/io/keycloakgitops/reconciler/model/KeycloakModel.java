package io.keycloakgitops.reconciler.model;

import io.keycloakgitops.reconciler.ReconcilerConfig;
import io.keycloakgitops.schemas.keycloak.KeycloakSpec;
import io.keycloakgitops.schemas.v2beta1.Keycloak;

/**
 * Everything a {@code desired()} builder reads: the CR, its resolved settings and the two facts the controller
 * learns from the cluster before building (the referenced content's digest and whether this rollout must
 * recreate the pods). Builders are pure functions of this record.
 *
 * @param keycloak      the CR (never modified)
 * @param settings      the spec with defaults resolved
 * @param contentDigest digest of the referenced Secret/ConfigMap content, or null when unknown (render)
 * @param recreate      this rollout stops all old pods before starting new ones
 */
public record KeycloakModel(Keycloak keycloak, ServerSettings settings, String contentDigest, boolean recreate) {

  /** The model without cluster facts: what {@code render} uses. */
  public static KeycloakModel of(Keycloak keycloak, ReconcilerConfig config) {
    return new KeycloakModel(keycloak, ServerSettings.of(keycloak, config), null, false);
  }

  public KeycloakModel withClusterFacts(String digest, boolean recreatePods) {
    return new KeycloakModel(keycloak, settings, digest, recreatePods);
  }

  public KeycloakSpec spec() {
    return keycloak.getSpec() == null ? new KeycloakSpec() : keycloak.getSpec();
  }

  public String name() {
    return keycloak.getMetadata().getName();
  }

  public String namespace() {
    return keycloak.getMetadata().getNamespace();
  }
}
