package io.keycloakgitops.reconciler.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.keycloakgitops.reconciler.model.KeycloakModel;
import io.keycloakgitops.reconciler.model.KeycloakNames;
import io.keycloakgitops.reconciler.model.KeycloakPodTemplate;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import java.util.ArrayList;
import java.util.List;

/**
 * The Service {@code <name>-service}: https when the pod terminates TLS, http when plain HTTP is served, and the
 * management port (health, metrics) always. {@code spec.http.labels/annotations} go on it.
 */
public class KeycloakServiceDependentResource extends KeycloakDependentResource<Service> {
  public static final String HTTP_PORT_NAME = "http";
  public static final String HTTPS_PORT_NAME = "https";

  public KeycloakServiceDependentResource() {
    super(Service.class);
  }

  @Override
  public String name(Keycloak keycloak) {
    return KeycloakNames.service(keycloak);
  }

  @Override
  public Service desired(KeycloakModel model) {
    var http = model.spec().http;
    return new ServiceBuilder()
        .withMetadata(OwnedResources.metadata(model, name(model.keycloak()), http == null ? null : http.labels,
            http == null ? null : http.annotations))
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(KeycloakNames.selectorLabels(model.keycloak()))
        .withPorts(ports(model))
        .endSpec()
        .build();
  }

  private static List<ServicePort> ports(KeycloakModel model) {
    var settings = model.settings();
    var ports = new ArrayList<ServicePort>();
    if (settings.tls()) {
      ports.add(port(HTTPS_PORT_NAME, settings.httpsPort()));
    }
    if (settings.httpEnabled()) {
      ports.add(port(HTTP_PORT_NAME, settings.httpPort()));
    }
    ports.add(port(KeycloakPodTemplate.MANAGEMENT_PORT_NAME, settings.managementPort()));
    return ports;
  }

  static ServicePort port(String name, int number) {
    return new ServicePortBuilder().withName(name).withPort(number).withProtocol("TCP")
        .withTargetPort(new IntOrString(name)).build();
  }
}
