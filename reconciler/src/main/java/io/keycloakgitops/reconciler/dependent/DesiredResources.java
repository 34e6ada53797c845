package io.keycloakgitops.reconciler.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.keycloakgitops.reconciler.model.KeycloakModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every object the controller would apply for a model, built by the same dependents' {@code desired()} and gated
 * by the same conditions: what {@code render} prints. (The ServiceMonitor is included when enabled; in a cluster
 * it is created only where its CRD exists.)
 */
public final class DesiredResources {
  private DesiredResources() {}

  public static List<HasMetadata> of(KeycloakModel model, Supplier<String> adminPasswords) {
    var resources = new ArrayList<HasMetadata>();
    if (KeycloakAdminSecretDependentResource.GeneratedCondition.holds(model)) {
      resources.add(new KeycloakAdminSecretDependentResource().desired(model, adminPasswords));
    }
    resources.add(new KeycloakDeploymentDependentResource().desired(model));
    resources.add(new KeycloakServiceDependentResource().desired(model));
    resources.add(new KeycloakDiscoveryServiceDependentResource().desired(model));
    if (KeycloakIngressDependentResource.EnabledCondition.holds(model)) {
      resources.add(new KeycloakIngressDependentResource().desired(model));
    }
    if (KeycloakNetworkPolicyDependentResource.EnabledCondition.holds(model)) {
      resources.add(new KeycloakNetworkPolicyDependentResource().desired(model));
    }
    if (KeycloakPodDisruptionBudgetDependentResource.HighAvailabilityCondition.holds(model)) {
      resources.add(new KeycloakPodDisruptionBudgetDependentResource().desired(model));
    }
    if (KeycloakServiceMonitorDependentResource.EnabledCondition.holds(model)) {
      resources.add(new KeycloakServiceMonitorDependentResource().desired(model));
    }
    return resources;
  }
}
