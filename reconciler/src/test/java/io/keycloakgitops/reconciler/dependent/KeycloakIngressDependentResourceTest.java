package io.keycloakgitops.reconciler.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.keycloakgitops.reconciler.TestKeycloaks;
import org.junit.jupiter.api.Test;

class KeycloakIngressDependentResourceTest {

  private static Ingress ingress(String spec) {
    return new KeycloakIngressDependentResource().desired(TestKeycloaks.model(spec));
  }

  private static String backendPort(Ingress ingress) {
    return ingress.getSpec().getRules().getFirst().getHttp().getPaths().getFirst().getBackend().getService()
        .getPort().getName();
  }

  @Test
  void tlsAtThePodMeansAnHttpsBackend() {
    var ingress = ingress("""
        http: {tlsSecret: pod-tls}
        hostname: {hostname: 'https://sso.example.com'}
        ingress: {className: nginx, tlsSecret: edge-tls}
        """);
    assertThat(ingress.getMetadata().getName()).isEqualTo("kc-ingress");
    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
    assertThat(backendPort(ingress)).isEqualTo("https");
    assertThat(ingress.getMetadata().getAnnotations())
        .containsEntry("nginx.ingress.kubernetes.io/backend-protocol", "HTTPS");
    assertThat(ingress.getSpec().getRules().getFirst().getHost()).isEqualTo("sso.example.com");
    assertThat(ingress.getSpec().getRules().getFirst().getHttp().getPaths().getFirst().getBackend().getService()
        .getName()).isEqualTo("kc-service");
    assertThat(ingress.getSpec().getTls()).singleElement().satisfies(tls -> {
      assertThat(tls.getSecretName()).isEqualTo("edge-tls");
      assertThat(tls.getHosts()).containsExactly("sso.example.com");
    });
  }

  @Test
  void plainHttpAtThePodMeansAnHttpBackendAndNoTlsBlockWithoutSecret() {
    var ingress = ingress("hostname: {hostname: sso.example.com}");
    assertThat(backendPort(ingress)).isEqualTo("http");
    assertThat(ingress.getMetadata().getAnnotations())
        .containsEntry("nginx.ingress.kubernetes.io/backend-protocol", "HTTP");
    assertThat(ingress.getSpec().getTls()).isNullOrEmpty();
  }

  @Test
  void userAnnotationsAndLabelsWin() {
    var ingress = ingress("""
        ingress:
          annotations: {nginx.ingress.kubernetes.io/backend-protocol: GRPC, a: b}
          labels: {route: public}
        """);
    assertThat(ingress.getMetadata().getAnnotations())
        .containsEntry("nginx.ingress.kubernetes.io/backend-protocol", "GRPC").containsEntry("a", "b");
    assertThat(ingress.getMetadata().getLabels()).containsEntry("route", "public");
  }

  @Test
  void onlyWithAnIngressSectionThatIsNotSwitchedOff() {
    assertThat(KeycloakIngressDependentResource.EnabledCondition.holds(TestKeycloaks.model("{}")))
        .as("no spec.ingress: no Ingress, as the webhook reads it").isFalse();
    assertThat(KeycloakIngressDependentResource.EnabledCondition.holds(
        TestKeycloaks.model("ingress: {className: nginx}"))).isTrue();
    assertThat(KeycloakIngressDependentResource.EnabledCondition.holds(
        TestKeycloaks.model("ingress: {enabled: false}"))).isFalse();
  }
}
