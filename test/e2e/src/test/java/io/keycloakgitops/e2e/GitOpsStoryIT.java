package io.keycloakgitops.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.keycloakgitops.schemas.common.Condition;
import io.keycloakgitops.schemas.keycloak.KeycloakStatus;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import io.keycloakgitops.testsupport.ProcessResult;
import io.keycloakgitops.testsupport.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The story a user lives, on the real kube-apiserver, the real Keycloak and a real Git repository: install,
 * admission, reconciliation, and realms applied from Git and from CRs. The steps share state and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GitOpsStoryIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static long startNanos;
  private static TestCluster cluster;
  private static ControlPlane controlPlane;
  private static String namespace;

  @BeforeAll
  static void install() {
    startNanos = System.nanoTime();
    cluster = TestCluster.shared();
    controlPlane = ControlPlane.install(cluster, UUID.randomUUID().toString().substring(0, 8));
    namespace = controlPlane.newTenantNamespace("identity");
  }

  @AfterAll
  static void uninstall() {
    if (controlPlane != null) {
      controlPlane.close();
    }
    System.out.printf("GitOps story took %d s%n", (System.nanoTime() - startNanos) / 1_000_000_000L);
  }

  @Test
  @Order(1)
  void aPrivilegedPodTemplateIsRejectedWithThePodSecurityCheck() {
    ProcessResult result = apply("""
        apiVersion: k8s.keycloak.org/v2beta1
        kind: Keycloak
        metadata:
          name: privileged
        spec:
          http:
            tlsSecret: sso-tls
          unsupported:
            podTemplate:
              spec:
                containers:
                  - name: keycloak
                    securityContext:
                      privileged: true
        """);
    assertThat(result.ok()).isFalse();
    assertThat(result.stderr()).contains("denied the request").contains("privileged")
        .contains("spec.unsupported.podTemplate.spec.containers[0].securityContext.privileged");
  }

  @Test
  @Order(2)
  void aKeycloakWithoutTlsIsRejected() {
    ProcessResult result = apply("""
        apiVersion: k8s.keycloak.org/v2beta1
        kind: Keycloak
        metadata:
          name: plain-http
        spec:
          http:
            httpEnabled: true
          ingress:
            enabled: false
        """);
    assertThat(result.ok()).isFalse();
    assertThat(result.stderr()).contains("denied the request").contains("spec.http");
  }

  @Test
  @Order(3)
  void aValidMinimalKeycloakIsAdmittedAndComesBackDefaulted() {
    ProcessResult result = apply("""
        apiVersion: k8s.keycloak.org/v2beta1
        kind: Keycloak
        metadata:
          name: sso
        spec:
          instances: 2
          http:
            httpEnabled: true
          ingress:
            enabled: true
            tlsSecret: sso-ingress-tls
          hostname:
            hostname: sso.example.com
        """);
    assertThat(result.ok()).as(result.toString()).isTrue();

    Keycloak stored = keycloaks().withName("sso").get();
    assertThat(stored.getSpec().networkPolicy.enabled).isTrue();
    assertThat(stored.getSpec().proxy.headers).isEqualTo("xforwarded");
    var pod = stored.getSpec().unsupported.podTemplate.getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
  }

  @Test
  @Order(4)
  void theReconcilerCreatesTheWorkloadAndTheCrTurnsReadyWhenTheDeploymentIs() {
    KubernetesClient client = cluster.client();
    await().atMost(WAIT).untilAsserted(() -> {
      List<HasMetadata> owned = List.of(
          client.apps().deployments().inNamespace(namespace).withName("sso").get(),
          client.services().inNamespace(namespace).withName("sso-service").get(),
          client.services().inNamespace(namespace).withName("sso-discovery").get(),
          client.network().v1().ingresses().inNamespace(namespace).withName("sso-ingress").get(),
          client.network().v1().networkPolicies().inNamespace(namespace).withName("sso-network-policy").get(),
          client.policy().v1().podDisruptionBudgets().inNamespace(namespace).withName("sso").get(),
          client.secrets().inNamespace(namespace).withName("sso-initial-admin").get());
      assertThat(owned).allSatisfy(resource -> assertThat(resource.getMetadata().getOwnerReferences())
          .anySatisfy(ref -> assertThat(ref.getName()).isEqualTo("sso")));
    });
    assertThat(condition(KeycloakStatus.READY)).isNotEqualTo(Condition.TRUE);

    markDeploymentReady("sso", 2);

    await().atMost(WAIT).untilAsserted(() -> {
      Keycloak kc = keycloaks().withName("sso").get();
      assertThat(kc.getStatus().condition(KeycloakStatus.READY).status).isEqualTo(Condition.TRUE);
      assertThat(kc.getStatus().condition(KeycloakStatus.READY).observedGeneration).isEqualTo(kc.getMetadata().getGeneration());
      assertThat(kc.getStatus().instances).isEqualTo(2);
      assertThat(kc.getStatus().adminSecret).isEqualTo("sso-initial-admin");
    });
  }

  private static ProcessResult apply(String yaml) {
    return cluster.kubectlWithInput(yaml, "apply", "-n", namespace, "-f", "-");
  }

  private static NonNamespaceOperation<Keycloak, KubernetesResourceList<Keycloak>, Resource<Keycloak>> keycloaks() {
    return cluster.client().resources(Keycloak.class).inNamespace(namespace);
  }

  private static String condition(String type) {
    Keycloak kc = keycloaks().withName("sso").get();
    Condition condition = kc.getStatus() == null ? null : kc.getStatus().condition(type);
    return condition == null ? null : condition.status;
  }

  /** There is no kubelet: play the Deployment controller and report the pods as ready. */
  private static void markDeploymentReady(String name, int replicas) {
    Deployment deployment = cluster.client().apps().deployments().inNamespace(namespace).withName(name).get();
    deployment.setStatus(new DeploymentStatusBuilder().withObservedGeneration(deployment.getMetadata().getGeneration())
        .withReplicas(replicas).withReadyReplicas(replicas).withAvailableReplicas(replicas).withUpdatedReplicas(replicas).build());
    cluster.client().apps().deployments().inNamespace(namespace).resource(deployment).updateStatus();
  }
}
