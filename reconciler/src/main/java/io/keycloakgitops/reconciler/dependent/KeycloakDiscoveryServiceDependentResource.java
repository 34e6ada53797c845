package io.keycloakgitops.reconciler.dependent;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.keycloakgitops.reconciler.model.KeycloakModel;
import io.keycloakgitops.reconciler.model.KeycloakNames;
import io.keycloakgitops.reconciler.model.ServerSettings;
import io.keycloakgitops.schemas.v2beta1.Keycloak;

/**
 * The headless Service {@code <name>-discovery}: its DNS name lists every pod, ready or not, which is how the
 * JGroups DNS_PING of a starting pod finds its peers (the pod's {@code -Djgroups.dns.query}).
 */
public class KeycloakDiscoveryServiceDependentResource extends KeycloakDependentResource<Service> {

  public KeycloakDiscoveryServiceDependentResource() {
    super(Service.class);
  }

  @Override
  public String name(Keycloak keycloak) {
    return KeycloakNames.discoveryService(keycloak);
  }

  @Override
  public Service desired(KeycloakModel model) {
    return new ServiceBuilder()
        .withMetadata(OwnedResources.metadata(model, name(model.keycloak()), null, null))
        .withNewSpec()
        .withClusterIP("None")
        .withPublishNotReadyAddresses(true)
        .withSelector(KeycloakNames.selectorLabels(model.keycloak()))
        .withPorts(KeycloakServiceDependentResource.port("jgroups", ServerSettings.JGROUPS_PORT))
        .endSpec()
        .build();
  }
}
