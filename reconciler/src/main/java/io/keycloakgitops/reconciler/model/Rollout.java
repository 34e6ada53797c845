package io.keycloakgitops.reconciler.model;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Objects;
import java.util.Optional;

/** Facts about the running Deployment: rollout progress and whether the next rollout must recreate the pods. */
public final class Rollout {
  private Rollout() {}

  /** The Deployment controller has not yet replaced every pod with the current template (or not seen it yet). */
  public static boolean inProgress(Deployment deployment) {
    var status = deployment.getStatus();
    if (status == null) {
      return true;
    }
    long generation = Optional.ofNullable(deployment.getMetadata().getGeneration()).orElse(0L);
    int desired = Optional.ofNullable(deployment.getSpec().getReplicas()).orElse(1);
    int updated = Optional.ofNullable(status.getUpdatedReplicas()).orElse(0);
    int existing = Optional.ofNullable(status.getReplicas()).orElse(0);
    return Optional.ofNullable(status.getObservedGeneration()).orElse(0L) < generation
        || updated < desired
        || existing > updated;
  }

  public static int readyReplicas(Deployment deployment) {
    var status = deployment.getStatus();
    return status == null ? 0 : Optional.ofNullable(status.getReadyReplicas()).orElse(0);
  }

  /**
   * Whether the rollout towards {@code model} recreates the pods instead of rolling them: on the trigger of the
   * update strategy (a new image, or a new explicit revision), and until a recreate that started has finished —
   * switching back to rolling halfway would run old and new versions side by side.
   */
  public static boolean recreate(KeycloakModel model, Deployment actual) {
    if (actual == null || actual.getSpec() == null) {
      return false;
    }
    boolean triggered = switch (model.settings().updateStrategy()) {
      case ROLLING -> false;
      case RECREATE_ON_IMAGE_CHANGE -> runningImage(actual).map(image -> !image.equals(model.settings().image()))
          .orElse(false);
      case EXPLICIT -> {
        String running = annotation(actual, KeycloakNames.UPDATE_REVISION_ANNOTATION);
        yield running != null && !Objects.equals(running, model.spec().update.revision);
      }
    };
    if (triggered) {
      return true;
    }
    boolean recreating = actual.getSpec().getStrategy() != null
        && "Recreate".equals(actual.getSpec().getStrategy().getType());
    return recreating && model.settings().updateStrategy() != ServerSettings.UpdateStrategy.ROLLING
        && inProgress(actual);
  }

  private static Optional<String> runningImage(Deployment deployment) {
    var template = deployment.getSpec().getTemplate();
    if (template == null || template.getSpec() == null || template.getSpec().getContainers() == null) {
      return Optional.empty();
    }
    return template.getSpec().getContainers().stream()
        .filter(c -> KeycloakPodTemplate.CONTAINER.equals(c.getName()))
        .map(c -> c.getImage())
        .filter(Objects::nonNull)
        .findFirst();
  }

  private static String annotation(Deployment deployment, String key) {
    var annotations = deployment.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }
}
