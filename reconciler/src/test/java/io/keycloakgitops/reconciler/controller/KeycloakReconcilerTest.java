package io.keycloakgitops.reconciler.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeycloakReconcilerTest {

  @Test
  void failuresAreDescribedByTheApiServersMessageAndTheResourceKind() {
    var invalid = new KubernetesClientException(new StatusBuilder().withCode(422)
        .withMessage("Deployment.apps \"kc\" is invalid: spec.template.spec.containers[0].image: Required value")
        .build());
    var error = new AggregatedOperatorException("workflow failed", Map.of(
        "io.keycloakgitops.reconciler.dependent.KeycloakDeploymentDependentResource", invalid,
        "io.keycloakgitops.reconciler.dependent.KeycloakIngressDependentResource",
        new IllegalStateException("connection refused")));
    assertThat(KeycloakReconciler.describe(error)).containsExactly(
        "applying the Deployment failed: Deployment.apps \"kc\" is invalid: "
            + "spec.template.spec.containers[0].image: Required value",
        "applying the Ingress failed: connection refused");
  }

  @Test
  void otherFailuresKeepTheirMessage() {
    assertThat(KeycloakReconciler.describe(new IllegalStateException("no route to host")))
        .containsExactly("no route to host");
  }
}
