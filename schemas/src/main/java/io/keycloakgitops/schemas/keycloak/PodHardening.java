package io.keycloakgitops.schemas.keycloak;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The hardened security defaults of every Keycloak pod (Pod Security Standards, restricted profile). Both the
 * reconciler (which builds the pod) and the webhook (which checks the pod the reconciler will build) call this,
 * so the two can never disagree. Defaults fill only what is absent: an explicit weakening stays visible, so the
 * webhook can deny it and the reconciler refuse it with the PSS check's name
 * ({@link io.keycloakgitops.schemas.podsecurity.PodSecurity}).
 */
public final class PodHardening {
  private PodHardening() {}

  /** A hardened copy of {@code template} (never modified); a null template counts as empty. */
  public static PodTemplateSpec harden(PodTemplateSpec template) {
    // A builder copy is deep for every typed field harden() touches, and ten times cheaper than a clone through
    // JSON, which dominated the webhook's /validate profile.
    return hardenInPlace(template == null ? new PodTemplateSpec() : new PodTemplateSpecBuilder(template).build());
  }

  /**
   * Hardens {@code template} itself and returns it: for a template that nobody else holds (just decoded), where
   * the copy of {@link #harden} would be the larger part of the cost.
   */
  public static PodTemplateSpec hardenInPlace(PodTemplateSpec template) {
    if (template.getSpec() == null) {
      template.setSpec(new PodSpec());
    }
    hardenPod(template.getSpec());
    return template;
  }

  private static void hardenPod(PodSpec pod) {
    PodSecurityContext context = pod.getSecurityContext() == null ? new PodSecurityContext() : pod.getSecurityContext();
    if (context.getRunAsNonRoot() == null) {
      context.setRunAsNonRoot(true);
    }
    if (context.getSeccompProfile() == null) {
      context.setSeccompProfile(new SeccompProfile(null, "RuntimeDefault"));
    }
    pod.setSecurityContext(context);
    forEachContainerContext(pod, PodHardening::hardenContainer);
  }

  private static void hardenContainer(SecurityContext context) {
    // The API server refuses allowPrivilegeEscalation=false beside privileged=true; the privileged container is
    // denied (webhook) and refused (reconciler) by name instead of becoming a Deployment that cannot be stored.
    if (context.getAllowPrivilegeEscalation() == null && !Boolean.TRUE.equals(context.getPrivileged())) {
      context.setAllowPrivilegeEscalation(false);
    }
    if (context.getCapabilities() == null) {
      context.setCapabilities(new Capabilities());
    }
    if (context.getCapabilities().getDrop() == null || context.getCapabilities().getDrop().isEmpty()) {
      context.getCapabilities().setDrop(new ArrayList<>(List.of("ALL")));
    }
    if (context.getPrivileged() == null) {
      context.setPrivileged(false);
    }
  }

  /** Visits (creating where absent) the security context of every container, init and ephemeral container. */
  public static void forEachContainerContext(PodSpec pod, Consumer<SecurityContext> action) {
    for (Container container : concat(pod.getInitContainers(), pod.getContainers())) {
      if (container.getSecurityContext() == null) {
        container.setSecurityContext(new SecurityContext());
      }
      action.accept(container.getSecurityContext());
    }
    for (EphemeralContainer container : pod.getEphemeralContainers() == null ? List.<EphemeralContainer>of() : pod.getEphemeralContainers()) {
      if (container.getSecurityContext() == null) {
        container.setSecurityContext(new SecurityContext());
      }
      action.accept(container.getSecurityContext());
    }
  }

  private static List<Container> concat(List<Container> a, List<Container> b) {
    List<Container> all = new ArrayList<>();
    if (a != null) {
      all.addAll(a);
    }
    if (b != null) {
      all.addAll(b);
    }
    return all;
  }
}
