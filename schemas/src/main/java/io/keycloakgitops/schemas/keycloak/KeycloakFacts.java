package io.keycloakgitops.schemas.keycloak;

import io.fabric8.kubernetes.api.model.Container;
import java.util.List;

/**
 * Facts about a Keycloak CR that the webhook and the reconciler must read the same way. Each has one definition
 * here; a second reading elsewhere is how a CR passes admission as one thing and runs as another.
 */
public final class KeycloakFacts {
  /** The name of the Keycloak container in the Deployment's pod. */
  public static final String CONTAINER = "keycloak";

  private KeycloakFacts() {}

  /**
   * Whether the CR gets an Ingress: only with a {@code spec.ingress} section whose {@code enabled} is not false (an
   * ingress section without {@code enabled} means enabled, as upstream). An absent section means no Ingress. The
   * upstream operator creates one then; here that would publish Keycloak, with no TLS at the edge, for a CR whose
   * author wrote nothing about exposure and that no webhook checked. The mutating webhook writes the
   * {@code enabled: false} out, so the stored object says it too.
   */
  public static boolean ingressEnabled(KeycloakSpec spec) {
    return spec != null && spec.ingress != null && !Boolean.FALSE.equals(spec.ingress.enabled);
  }

  /**
   * Which container of the pod template is Keycloak's: the one named {@value #CONTAINER}, else an unnamed first
   * one (upstream's manifests address the Keycloak container that way); -1 otherwise, and a Keycloak container is
   * added, so that a named sidecar stays a sidecar.
   */
  public static int keycloakContainerIndex(List<Container> containers) {
    if (containers == null || containers.isEmpty()) {
      return -1;
    }
    for (int i = 0; i < containers.size(); i++) {
      if (CONTAINER.equals(containers.get(i).getName())) {
        return i;
      }
    }
    String first = containers.getFirst().getName();
    return first == null || first.isEmpty() ? 0 : -1;
  }
}
