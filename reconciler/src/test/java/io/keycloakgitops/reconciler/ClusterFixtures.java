package io.keycloakgitops.reconciler;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keycloakgitops.reconciler.cli.KeycloakManifests;
import io.keycloakgitops.schemas.common.Condition;
import io.keycloakgitops.schemas.keycloak.KeycloakStatus;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.core.ConditionFactory;

/** Helpers for the integration tests on the real API server (no kubelet, no controller-manager). */
public final class ClusterFixtures {
  private ClusterFixtures() {}

  public static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100));
  }

  public static Keycloak keycloak(String name, String namespace, String specYaml) {
    String yaml = """
        apiVersion: k8s.keycloak.org/v2beta1
        kind: Keycloak
        metadata:
          name: %s
        spec:
        """.formatted(name) + specYaml.stripIndent().lines().map(l -> "  " + l + "\n").reduce("", String::concat);
    return KeycloakManifests.parse(yaml, namespace).getFirst();
  }

  public static void createSecret(KubernetesClient client, String namespace, String name, Map<String, String> data) {
    client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name)
        .endMetadata().withStringData(data).build()).serverSideApply();
  }

  /**
   * Edits a Keycloak's spec, retrying on 409: the reconciler's status patches also move the resourceVersion that
   * {@code edit} locks on.
   */
  public static Keycloak editSpec(KubernetesClient client, String namespace, String name, java.util.function.Consumer<Keycloak> edit) {
    for (int attempt = 1; ; attempt++) {
      try {
        return client.resources(Keycloak.class).inNamespace(namespace).withName(name).edit(kc -> {
          edit.accept(kc);
          return kc;
        });
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  public static Keycloak get(KubernetesClient client, String namespace, String name) {
    return client.resources(Keycloak.class).inNamespace(namespace).withName(name).get();
  }

  public static Optional<Condition> condition(Keycloak keycloak, String type) {
    return Optional.ofNullable(keycloak).map(Keycloak::getStatus).map(s -> s.condition(type));
  }

  /** Waits until the CR's condition {@code type} satisfies {@code test}, for the CR's current generation. */
  public static Keycloak awaitCondition(KubernetesClient client, String namespace, String name, String type,
      Predicate<Condition> test) {
    return eventually().until(() -> get(client, namespace, name), kc -> condition(kc, type)
        .filter(c -> c.observedGeneration != null && c.observedGeneration.equals(kc.getMetadata().getGeneration()))
        .filter(test).isPresent());
  }

  public static Keycloak awaitReady(KubernetesClient client, String namespace, String name, boolean ready) {
    return awaitCondition(client, namespace, name, KeycloakStatus.READY,
        c -> c.status.equals(ready ? Condition.TRUE : Condition.FALSE));
  }

  public static <T extends HasMetadata> T awaitPresent(KubernetesClient client, Class<T> type, String namespace,
      String name) {
    return eventually().until(() -> client.resources(type).inNamespace(namespace).withName(name).get(),
        Objects::nonNull);
  }

  /**
   * Plays the Deployment controller and kubelet: reports {@code ready} of the desired replicas as rolled out
   * with the current template.
   */
  public static void simulateRollout(KubernetesClient client, String namespace, String name, int ready) {
    client.apps().deployments().inNamespace(namespace).withName(name).editStatus(deployment -> {
      int replicas = deployment.getSpec().getReplicas();
      deployment.setStatus(new DeploymentStatusBuilder()
          .withObservedGeneration(deployment.getMetadata().getGeneration())
          .withReplicas(replicas).withUpdatedReplicas(replicas)
          .withReadyReplicas(ready).withAvailableReplicas(ready)
          .build());
      return deployment;
    });
  }

  /** Installs a stand-in ServiceMonitor CRD (idempotent) and waits until it is served. */
  public static void installServiceMonitorCrd(KubernetesClient client) {
    try (var in = ClusterFixtures.class.getResourceAsStream("/servicemonitor-crd.yaml")) {
      var crd = client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
      client.resource(crd).forceConflicts().serverSideApply();
      client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
          .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
              && c.getStatus().getConditions().stream()
              .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
              60, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Deployment deployment(KubernetesClient client, String namespace, String name) {
    return client.apps().deployments().inNamespace(namespace).withName(name).get();
  }
}
