package io.keycloakgitops.reconciler.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import io.keycloakgitops.reconciler.model.KeycloakModel;
import io.keycloakgitops.reconciler.model.KeycloakNames;
import io.keycloakgitops.reconciler.model.KeycloakPodTemplate;
import io.keycloakgitops.reconciler.model.ServerSettings;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import java.util.Map;

/** The Deployment {@code <name>} running the Keycloak server (see {@link KeycloakPodTemplate} for the pod). */
public class KeycloakDeploymentDependentResource extends KeycloakDependentResource<Deployment> {

  public KeycloakDeploymentDependentResource() {
    super(Deployment.class);
  }

  @Override
  public String name(Keycloak keycloak) {
    return KeycloakNames.deployment(keycloak);
  }

  @Override
  public Deployment desired(KeycloakModel model) {
    var keycloak = model.keycloak();
    var update = model.spec().update;
    Map<String, String> annotations = model.settings().updateStrategy() == ServerSettings.UpdateStrategy.EXPLICIT
        && update.revision != null
        ? Map.of(KeycloakNames.UPDATE_REVISION_ANNOTATION, update.revision)
        : null;
    return new DeploymentBuilder()
        .withMetadata(OwnedResources.metadata(model, name(keycloak), null, annotations))
        .withNewSpec()
        .withReplicas(model.settings().instances())
        .withNewSelector().withMatchLabels(KeycloakNames.selectorLabels(keycloak)).endSelector()
        .withTemplate(KeycloakPodTemplate.build(model))
        .withStrategy(strategy(model.recreate()))
        .endSpec()
        .build();
  }

  private static DeploymentStrategy strategy(boolean recreate) {
    if (recreate) {
      return new DeploymentStrategyBuilder().withType("Recreate").build();
    }
    // Explicit surge/unavailable: owning them lets a later switch to Recreate remove them (the API server rejects
    // rollingUpdate parameters on a Recreate strategy). One new pod at a time, never below the desired count.
    return new DeploymentStrategyBuilder().withType("RollingUpdate")
        .withNewRollingUpdate().withMaxSurge(new IntOrString(1)).withMaxUnavailable(new IntOrString(0))
        .endRollingUpdate()
        .build();
  }
}
