package io.keycloakgitops.reconciler.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ApiRequestMeterTest {

  @Test
  void resourceOfAnApiPath() {
    assertThat(ApiRequestMeter.resource(URI.create("https://k/apis/apps/v1/namespaces/ns/deployments/kc")))
        .isEqualTo("deployments");
    assertThat(ApiRequestMeter.resource(URI.create("https://k/api/v1/namespaces/ns/secrets?watch=true")))
        .isEqualTo("secrets");
    assertThat(ApiRequestMeter.resource(
        URI.create("https://k/apis/k8s.keycloak.org/v2beta1/namespaces/ns/keycloaks/kc/status")))
        .isEqualTo("keycloaks/status");
    assertThat(ApiRequestMeter.resource(URI.create("https://k/api/v1/namespaces/ns"))).isEqualTo("namespaces");
    assertThat(ApiRequestMeter.resource(URI.create("https://k/apis/coordination.k8s.io/v1/namespaces/ns/leases/l")))
        .isEqualTo("leases");
    assertThat(ApiRequestMeter.resource(URI.create("https://k/version"))).isEqualTo("other");
  }
}
