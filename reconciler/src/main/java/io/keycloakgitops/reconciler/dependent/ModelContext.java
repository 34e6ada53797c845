package io.keycloakgitops.reconciler.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.keycloakgitops.reconciler.model.KeycloakModel;
import io.keycloakgitops.schemas.v2beta1.Keycloak;

/** Hands the model the controller built for this reconciliation to the dependents' {@code desired()}. */
public final class ModelContext {
  private static final String KEY = KeycloakModel.class.getName();

  private ModelContext() {}

  public static void put(Context<Keycloak> context, KeycloakModel model) {
    context.managedWorkflowAndDependentResourceContext().put(KEY, model);
  }

  static KeycloakModel get(Context<Keycloak> context) {
    return context.managedWorkflowAndDependentResourceContext().get(KEY, KeycloakModel.class)
        .orElseThrow(() -> new IllegalStateException("the controller puts the model in the context before the "
            + "workflow runs"));
  }
}
