package io.keycloakgitops.schemas.podsecurity;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.keycloakgitops.schemas.keycloak.KeycloakFacts;
import io.keycloakgitops.schemas.keycloak.PodHardening;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Kubernetes Pod Security Standards, checked on the pod a Keycloak CR turns into. The webhook checks the
 * {@linkplain #effectivePod effective pod} of a CR at admission; the reconciler checks the pod it built before it
 * writes a Deployment, so a CR that reached the API server without the webhook still cannot run a weakened pod.
 * Both call {@link #violations}: one implementation, one wording.
 */
public final class PodSecurity {
  /** Where the pod template sits in a Keycloak CR; every violation path starts here. */
  public static final String TEMPLATE_PATH = "spec.unsupported.podTemplate";

  private PodSecurity() {}

  /**
   * The pod the reconciler creates from this template, as far as pod security goes: hardened by
   * {@link PodHardening}, with the Keycloak container ({@link KeycloakFacts#keycloakContainerIndex}) present.
   */
  public static PodTemplateSpec effectivePod(PodTemplateSpec template) {
    return withKeycloakContainer(PodHardening.harden(template));
  }

  /**
   * {@link #effectivePod}, made of {@code template} itself: for a template that nobody else holds (just decoded),
   * which saves copying it.
   */
  public static PodTemplateSpec effectivePodInPlace(PodTemplateSpec template) {
    return withKeycloakContainer(PodHardening.hardenInPlace(template == null ? new PodTemplateSpec() : template));
  }

  private static PodTemplateSpec withKeycloakContainer(PodTemplateSpec pod) {
    var containers = pod.getSpec().getContainers() == null ? new ArrayList<Container>()
        : new ArrayList<>(pod.getSpec().getContainers());
    int keycloak = KeycloakFacts.keycloakContainerIndex(containers);
    if (keycloak >= 0) {
      containers.get(keycloak).setName(KeycloakFacts.CONTAINER);
    } else {
      // Appended, as the reconciler does. harden() treats each container on its own, so hardening the Keycloak
      // container alone (a tiny copy) equals hardening the template with it, without copying it twice.
      var alone = new PodTemplateSpec(null, new PodSpecBuilder().addNewContainer().withName(KeycloakFacts.CONTAINER)
          .endContainer().build());
      containers.add(PodHardening.hardenInPlace(alone).getSpec().getContainers().getFirst());
    }
    pod.getSpec().setContainers(containers);
    return pod;
  }

  /** Every violation of {@code checks} on an already effective pod, in check order. */
  public static List<Violation> violations(PodTemplateSpec pod, Set<Check> checks) {
    var found = new ArrayList<Violation>();
    for (Check check : checks) {
      found.addAll(check.check(pod.getMetadata(), pod.getSpec()));
    }
    return found;
  }

  /** What the restricted level denies on an already effective pod (the reconciler's check: it has no policy). */
  public static List<Violation> restrictedViolations(PodTemplateSpec pod) {
    return violations(pod, Check.enforcedAt(Level.RESTRICTED));
  }
}
