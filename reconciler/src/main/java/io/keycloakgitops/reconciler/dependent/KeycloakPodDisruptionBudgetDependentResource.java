package io.keycloakgitops.reconciler.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.keycloakgitops.reconciler.model.KeycloakModel;
import io.keycloakgitops.reconciler.model.KeycloakNames;
import io.keycloakgitops.schemas.v2beta1.Keycloak;

/**
 * The PodDisruptionBudget {@code <name>}: with two or more instances, a node drain evicts one Keycloak pod at a
 * time. (With one instance a budget would block drains forever, so there is none.)
 */
public class KeycloakPodDisruptionBudgetDependentResource extends KeycloakDependentResource<PodDisruptionBudget> {
  public static final int MIN_INSTANCES = 2;

  public KeycloakPodDisruptionBudgetDependentResource() {
    super(PodDisruptionBudget.class);
  }

  @Override
  public String name(Keycloak keycloak) {
    return KeycloakNames.podDisruptionBudget(keycloak);
  }

  @Override
  public PodDisruptionBudget desired(KeycloakModel model) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(OwnedResources.metadata(model, name(model.keycloak()), null, null))
        .withNewSpec()
        .withMaxUnavailable(new IntOrString(1))
        .withNewSelector().withMatchLabels(KeycloakNames.selectorLabels(model.keycloak())).endSelector()
        .endSpec()
        .build();
  }

  /** Present while the CR asks for at least {@link #MIN_INSTANCES} instances. */
  public static class HighAvailabilityCondition implements Condition<PodDisruptionBudget, Keycloak> {
    @Override
    public boolean isMet(DependentResource<PodDisruptionBudget, Keycloak> dependent, Keycloak primary,
        Context<Keycloak> context) {
      return holds(ModelContext.get(context));
    }

    public static boolean holds(KeycloakModel model) {
      return model.settings().instances() >= MIN_INSTANCES;
    }
  }
}
