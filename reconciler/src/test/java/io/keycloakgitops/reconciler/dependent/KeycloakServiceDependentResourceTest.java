package io.keycloakgitops.reconciler.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.keycloakgitops.reconciler.TestKeycloaks;
import org.junit.jupiter.api.Test;

class KeycloakServiceDependentResourceTest {

  private static Service service(String spec) {
    return new KeycloakServiceDependentResource().desired(TestKeycloaks.model(spec));
  }

  @Test
  void plainHttpServesHttpAndManagement() {
    var service = service("{}");
    assertThat(service.getMetadata().getName()).isEqualTo("kc-service");
    assertThat(service.getSpec().getPorts()).extracting(p -> p.getName() + ":" + p.getPort() + ":" + p.getProtocol())
        .containsExactly("http:8080:TCP", "management:9000:TCP");
    assertThat(service.getSpec().getSelector()).containsEntry("app.kubernetes.io/instance", "kc");
  }

  @Test
  void tlsServesHttpsAndHttpOnlyWhenEnabled() {
    assertThat(service("http: {tlsSecret: tls}").getSpec().getPorts()).extracting(p -> p.getName())
        .containsExactly("https", "management");
    assertThat(service("http: {tlsSecret: tls, httpEnabled: true, httpsPort: 9443}").getSpec().getPorts())
        .extracting(p -> p.getName() + ":" + p.getPort())
        .containsExactly("https:9443", "http:8080", "management:9000");
  }

  @Test
  void httpLabelsAndAnnotationsGoOnTheService() {
    var service = service("http: {labels: {exposure: internal}, annotations: {lb: 'true'}}");
    assertThat(service.getMetadata().getLabels()).containsEntry("exposure", "internal")
        .containsEntry("app.kubernetes.io/managed-by", "keycloak-gitops");
    assertThat(service.getMetadata().getAnnotations()).containsEntry("lb", "true");
  }

  @Test
  void discoveryServiceIsHeadlessAndPublishesUnreadyPods() {
    var service = new KeycloakDiscoveryServiceDependentResource().desired(TestKeycloaks.model("{}"));
    assertThat(service.getMetadata().getName()).isEqualTo("kc-discovery");
    assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(service.getSpec().getPublishNotReadyAddresses()).isTrue();
    assertThat(service.getSpec().getPorts()).singleElement()
        .satisfies(p -> assertThat(p.getPort()).isEqualTo(7800));
  }
}
