package io.keycloakgitops.reconciler;

import io.keycloakgitops.reconciler.cli.KeycloakManifests;
import io.keycloakgitops.reconciler.model.KeycloakModel;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import io.keycloakgitops.testsupport.Fixtures;

/** Keycloak CRs for unit tests: the shared upstream fixtures, or inline YAML specs. */
public final class TestKeycloaks {
  public static final String NAMESPACE = "identity";

  private TestKeycloaks() {}

  /** A shared fixture, e.g. {@code upstream/keycloak-full.yaml}, in {@link #NAMESPACE}. */
  public static Keycloak fixture(String name) {
    return KeycloakManifests.parse(Fixtures.read(name), NAMESPACE).getFirst();
  }

  /** A CR named {@code kc} with the given spec (YAML, indented as under {@code spec:}). */
  public static Keycloak withSpec(String specYaml) {
    String yaml = """
        apiVersion: k8s.keycloak.org/v2beta1
        kind: Keycloak
        metadata:
          name: kc
          generation: 3
        spec:
        """ + specYaml.stripIndent().lines().map(l -> "  " + l + "\n").reduce("", String::concat);
    return KeycloakManifests.parse(yaml, NAMESPACE).getFirst();
  }

  public static KeycloakModel model(Keycloak keycloak) {
    return KeycloakModel.of(keycloak, ReconcilerConfig.defaults());
  }

  public static KeycloakModel model(String specYaml) {
    return model(withSpec(specYaml));
  }
}
