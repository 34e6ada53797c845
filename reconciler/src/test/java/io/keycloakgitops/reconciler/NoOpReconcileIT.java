package io.keycloakgitops.reconciler;

import static io.keycloakgitops.reconciler.ClusterFixtures.awaitPresent;
import static io.keycloakgitops.reconciler.ClusterFixtures.awaitReady;
import static io.keycloakgitops.reconciler.ClusterFixtures.createSecret;
import static io.keycloakgitops.reconciler.ClusterFixtures.eventually;
import static io.keycloakgitops.reconciler.ClusterFixtures.simulateRollout;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keycloakgitops.reconciler.model.monitoring.ServiceMonitor;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import io.keycloakgitops.testsupport.TestCluster;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A reconciliation of an unchanged CR writes nothing: not the owned objects (server-side apply matching), not the
 * status (patched only when it changed), and that also holds for a freshly started reconciler with a cold cache.
 * Measured twice: by the reconciler's own count of write requests, and by the objects' resourceVersions.
 */
class NoOpReconcileIT {
  private static final String SPEC = """
      instances: 2
      image: registry.example/keycloak:26-optimized
      http: {tlsSecret: kc-tls, httpEnabled: true}
      hostname: {hostname: 'https://sso.example.com', strict: true}
      db:
        vendor: postgres
        host: pg
        usernameSecret: {name: db, key: username}
        passwordSecret: {name: db, key: password}
        poolMaxSize: 20
      features: {enabled: [token-exchange]}
      proxy: {headers: xforwarded}
      cache: {configMapFile: {name: kc-cache, key: cache.xml}}
      truststores:
        corp: {secret: {name: corp-ca}}
      additionalOptions:
        - {name: log-level, value: INFO}
        - {name: spi-x.y, secret: {name: db, key: password}}
      env:
        - {name: JAVA_OPTS_APPEND, value: -Xmx1g}
      resources:
        requests: {cpu: 0.5, memory: 1Gi}
        limits: {memory: 2048Mi}
      ingress: {className: nginx, tlsSecret: edge-tls, annotations: {a: b}}
      networkPolicy:
        https: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress}}}]
      scheduling:
        priorityClassName: high
        tolerations: [{key: dedicated, operator: Equal, value: identity, effect: NoSchedule}]
      serviceMonitor: {interval: 15s}
      update: {strategy: RecreateOnImageChange}
      unsupported:
        podTemplate:
          metadata: {labels: {extra: label}}
          spec:
            containers:
              - name: keycloak
                volumeMounts: [{name: themes, mountPath: /opt/keycloak/themes/custom}]
            volumes:
              - name: themes
                configMap: {name: kc-themes}
      """;

  @Test
  void anUnchangedCrIsReconciledWithoutWrites() {
    var cluster = TestCluster.shared();
    cluster.installCrds();
    KubernetesClient client = cluster.client();
    ClusterFixtures.installServiceMonitorCrd(client);
    String namespace = cluster.createNamespace("noop");
    createSecret(client, namespace, "kc-tls", Map.of("tls.crt", "c", "tls.key", "k"));
    createSecret(client, namespace, "db", Map.of("username", "kc", "password", "pw"));
    createSecret(client, namespace, "corp-ca", Map.of("ca.crt", "ca"));
    client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName("kc-cache")
        .endMetadata().addToData("cache.xml", "<infinispan/>").build()).create();
    var config = ReconcilerConfig.defaults().withNamespaces(Set.of(namespace));

    try (var first = KeycloakOperator.start(client, config)) {
      client.resource(ClusterFixtures.keycloak("noop-kc", namespace, SPEC)).create();
      awaitPresent(client, Deployment.class, namespace, "noop-kc");
      simulateRollout(client, namespace, "noop-kc", 2);
      awaitReady(client, namespace, "noop-kc", true);
      awaitPresent(client, PodDisruptionBudget.class, namespace, "noop-kc");

      // A foreign annotation on an owned Service triggers a reconciliation through the Service informer. (Not on
      // the Deployment: the API server bumps a Deployment's generation on annotation changes.)
      var writes = first.apiWritesByRequest();
      long reconciliations = first.reconciliations();
      client.services().inNamespace(namespace).withName("noop-kc-service")
          .edit(s -> new ServiceBuilder(s).editMetadata().addToAnnotations("example.com/touched", "yes").endMetadata()
              .build());
      var versions = resourceVersions(client, namespace);
      eventually().until(() -> first.reconciliations() > reconciliations);
      assertThat(first.apiWritesByRequest()).isEqualTo(writes);
      assertThat(resourceVersions(client, namespace)).isEqualTo(versions);
    }

    var versions = resourceVersions(client, namespace);
    try (var restarted = KeycloakOperator.start(client, config)) {
      eventually().until(() -> restarted.reconciliations() >= 1);
      assertThat(restarted.apiWritesByRequest()).as("writes of a cold-cache reconciliation").isEmpty();
      assertThat(resourceVersions(client, namespace)).isEqualTo(versions);
    }
  }

  /** resourceVersion of the CR and of everything it owns. */
  private static Map<String, String> resourceVersions(KubernetesClient client, String namespace) {
    var versions = new LinkedHashMap<String, String>();
    for (Class<? extends HasMetadata> type : List.of(Keycloak.class, Deployment.class, Service.class,
        Ingress.class, NetworkPolicy.class, PodDisruptionBudget.class, Secret.class, ServiceMonitor.class)) {
      client.resources(type).inNamespace(namespace).list().getItems()
          .forEach(r -> versions.put(r.getKind() + "/" + r.getMetadata().getName(),
              r.getMetadata().getResourceVersion()));
    }
    assertThat(versions).containsKeys("Keycloak/noop-kc", "Deployment/noop-kc", "Service/noop-kc-service",
        "Service/noop-kc-discovery", "Ingress/noop-kc-ingress", "NetworkPolicy/noop-kc-network-policy",
        "PodDisruptionBudget/noop-kc", "Secret/noop-kc-initial-admin", "ServiceMonitor/noop-kc");
    return versions;
  }
}
