package io.keycloakgitops.reconciler;

import static io.keycloakgitops.reconciler.ClusterFixtures.awaitCondition;
import static io.keycloakgitops.reconciler.ClusterFixtures.awaitPresent;
import static io.keycloakgitops.reconciler.ClusterFixtures.awaitReady;
import static io.keycloakgitops.reconciler.ClusterFixtures.createSecret;
import static io.keycloakgitops.reconciler.ClusterFixtures.deployment;
import static io.keycloakgitops.reconciler.ClusterFixtures.eventually;
import static io.keycloakgitops.reconciler.ClusterFixtures.simulateRollout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.keycloakgitops.reconciler.model.KeycloakNames;
import io.keycloakgitops.schemas.common.Condition;
import io.keycloakgitops.schemas.common.ValueOrSecret;
import io.keycloakgitops.schemas.keycloak.KeycloakSpec;
import io.keycloakgitops.schemas.keycloak.KeycloakStatus;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import io.keycloakgitops.testsupport.Fixtures;
import io.keycloakgitops.testsupport.TestCluster;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The reconciler against a real kube-apiserver: resources, updates, status, errors, scale, Pod Security. */
class KeycloakReconcilerIT {
  private static TestCluster cluster;
  private static KubernetesClient client;
  private static String namespace;
  private static KeycloakOperator operator;

  @BeforeAll
  static void start() {
    cluster = TestCluster.shared();
    cluster.installCrds();
    client = cluster.client();
    namespace = cluster.createNamespace("reconciler");
    operator = KeycloakOperator.start(client, ReconcilerConfig.defaults().withNamespaces(Set.of(namespace)));
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  private static Keycloak create(String name, String spec) {
    return client.resource(ClusterFixtures.keycloak(name, namespace, spec)).create();
  }

  private static void editSpec(String name, Consumer<Keycloak> edit) {
    ClusterFixtures.editSpec(client, namespace, name, edit);
  }

  private static String env(Deployment deployment, String name) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
        .filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst().orElse(null);
  }

  private static <T extends HasMetadata> boolean absent(Class<T> type, String name) {
    return client.resources(type).inNamespace(namespace).withName(name).get() == null;
  }

  @Test
  void anUpstreamCrGetsEveryOwnedResourceWithOwnerReferences() {
    createSecret(client, namespace, "example-tls-secret", Map.of("tls.crt", "cert", "tls.key", "key"));
    createSecret(client, namespace, "keycloak-db-secret", Map.of("username", "kc", "password", "pw"));
    var applied = cluster.kubectlWithInput(Fixtures.read("upstream/keycloak-basic.yaml"), "apply", "-n", namespace,
        "-f", "-");
    assertThat(applied.exitCode()).as(applied.stderr()).isZero();

    Keycloak keycloak = awaitCondition(client, namespace, "example-kc", KeycloakStatus.HAS_ERRORS,
        c -> c.status.equals(Condition.FALSE));
    List<HasMetadata> owned = List.of(
        awaitPresent(client, Deployment.class, namespace, "example-kc"),
        awaitPresent(client, Service.class, namespace, "example-kc-service"),
        awaitPresent(client, Service.class, namespace, "example-kc-discovery"),
        awaitPresent(client, NetworkPolicy.class, namespace, "example-kc-network-policy"),
        awaitPresent(client, Secret.class, namespace, "example-kc-initial-admin"));
    assertThat(owned).allSatisfy(resource -> {
      assertThat(resource.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
        assertThat(owner.getKind()).isEqualTo("Keycloak");
        assertThat(owner.getUid()).isEqualTo(keycloak.getMetadata().getUid());
        assertThat(owner.getController()).isTrue();
      });
      assertThat(resource.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "keycloak-gitops")
          .containsEntry("app.kubernetes.io/instance", "example-kc").containsEntry("app", "keycloak");
    });
    assertThat(absent(PodDisruptionBudget.class, "example-kc")).as("one instance: no budget").isTrue();
    assertThat(absent(Ingress.class, "example-kc-ingress")).as("no spec.ingress: no Ingress").isTrue();

    var status = keycloak.getStatus();
    assertThat(status.internalUrl).isEqualTo("https://example-kc-service." + namespace + ".svc:8443");
    assertThat(status.adminSecret).isEqualTo("example-kc-initial-admin");
    assertThat(status.selector).isEqualTo("app=keycloak,app.kubernetes.io/component=server,"
        + "app.kubernetes.io/instance=example-kc,app.kubernetes.io/managed-by=keycloak-gitops");
    assertThat(status.condition(KeycloakStatus.READY).status).as("no pods yet").isEqualTo(Condition.FALSE);

    var admin = client.secrets().inNamespace(namespace).withName("example-kc-initial-admin").get();
    assertThat(decode(admin, "username")).isEqualTo("temp-admin");
    assertThat(decode(admin, "password")).hasSize(32);
    assertThat(env(deployment(client, namespace, "example-kc"), "KC_HOSTNAME")).isEqualTo("test.keycloak.org");
  }

  private static String decode(Secret secret, String key) {
    return new String(Base64.getDecoder().decode(secret.getData().get(key)));
  }

  @Test
  void readyFollowsTheDeploymentStatus() {
    create("ready-kc", "instances: 2\nhostname: {hostname: ready.example.com}");
    awaitPresent(client, Deployment.class, namespace, "ready-kc");
    simulateRollout(client, namespace, "ready-kc", 2);
    var ready = awaitReady(client, namespace, "ready-kc", true);
    assertThat(ready.getStatus().instances).isEqualTo(2);
    assertThat(ready.getStatus().condition(KeycloakStatus.ROLLING_UPDATE).status).isEqualTo(Condition.FALSE);
    String noErrorsSince = ready.getStatus().condition(KeycloakStatus.HAS_ERRORS).lastTransitionTime;

    simulateRollout(client, namespace, "ready-kc", 1);
    var degraded = awaitReady(client, namespace, "ready-kc", false);
    assertThat(degraded.getStatus().condition(KeycloakStatus.READY).message)
        .isEqualTo("1 of 2 instances ready and up to date");
    assertThat(degraded.getStatus().instances).isEqualTo(1);

    simulateRollout(client, namespace, "ready-kc", 2);
    var again = awaitReady(client, namespace, "ready-kc", true);
    assertThat(again.getStatus().condition(KeycloakStatus.HAS_ERRORS).lastTransitionTime)
        .as("a condition that did not change keeps its transition time").isEqualTo(noErrorsSince);
  }

  @Test
  void specChangesReachTheResourcesAndSwitchedOffResourcesAreDeleted() {
    create("change-kc", "hostname: {hostname: a.example.com}\ningress: {className: nginx}");
    awaitPresent(client, Ingress.class, namespace, "change-kc-ingress");
    awaitPresent(client, NetworkPolicy.class, namespace, "change-kc-network-policy");

    editSpec("change-kc", kc -> {
      kc.getSpec().instances = 3;
      kc.getSpec().hostname.hostname = "b.example.com";
      kc.getSpec().ingress = new KeycloakSpec.IngressSpec();
      kc.getSpec().ingress.enabled = false;
      kc.getSpec().networkPolicy = new KeycloakSpec.NetworkPolicySpec();
      kc.getSpec().networkPolicy.enabled = false;
    });
    eventually().until(() -> deployment(client, namespace, "change-kc"),
        d -> d.getSpec().getReplicas() == 3 && "b.example.com".equals(env(d, "KC_HOSTNAME")));
    awaitPresent(client, PodDisruptionBudget.class, namespace, "change-kc");
    eventually().until(() -> absent(Ingress.class, "change-kc-ingress"));
    eventually().until(() -> absent(NetworkPolicy.class, "change-kc-network-policy"));

    editSpec("change-kc", kc -> kc.getSpec().instances = 1);
    eventually().until(() -> absent(PodDisruptionBudget.class, "change-kc"));

    awaitPresent(client, Secret.class, namespace, "change-kc-initial-admin");
    createSecret(client, namespace, "own-admin", Map.of("username", "admin", "password", "pw"));
    editSpec("change-kc", kc -> {
      kc.getSpec().bootstrapAdmin = new KeycloakSpec.BootstrapAdminSpec();
      kc.getSpec().bootstrapAdmin.user = new KeycloakSpec.SecretRef();
      kc.getSpec().bootstrapAdmin.user.secret = "own-admin";
    });
    eventually().until(() -> absent(Secret.class, "change-kc-initial-admin"));
    var status = awaitCondition(client, namespace, "change-kc", KeycloakStatus.HAS_ERRORS,
        c -> c.status.equals(Condition.FALSE)).getStatus();
    assertThat(status.adminSecret).isEqualTo("own-admin");
    assertThat(client.secrets().inNamespace(namespace).withName("own-admin").get()).as("never touched").isNotNull();
  }

  @Test
  void anImageChangeRecreatesThePodsWhenAskedAndRollsOtherwise() {
    create("update-kc", """
        instances: 2
        image: registry.example/kc:1
        update: {strategy: RecreateOnImageChange}
        """);
    awaitPresent(client, Deployment.class, namespace, "update-kc");
    simulateRollout(client, namespace, "update-kc", 2);
    awaitReady(client, namespace, "update-kc", true);
    assertThat(deployment(client, namespace, "update-kc").getSpec().getStrategy().getType())
        .isEqualTo("RollingUpdate");

    editSpec("update-kc", kc -> kc.getSpec().image = "registry.example/kc:2");
    var recreating = eventually().until(() -> deployment(client, namespace, "update-kc"),
        d -> "Recreate".equals(d.getSpec().getStrategy().getType()));
    assertThat(recreating.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
        .isEqualTo("registry.example/kc:2");
    assertThat(recreating.getSpec().getStrategy().getRollingUpdate()).isNull();

    // Halfway: one new pod, one old pod still running.
    client.apps().deployments().inNamespace(namespace).withName("update-kc").editStatus(d -> {
      d.getStatus().setObservedGeneration(d.getMetadata().getGeneration());
      d.getStatus().setReplicas(2);
      d.getStatus().setUpdatedReplicas(1);
      return d;
    });
    awaitCondition(client, namespace, "update-kc", KeycloakStatus.ROLLING_UPDATE,
        c -> c.status.equals(Condition.TRUE));
    assertThat(deployment(client, namespace, "update-kc").getSpec().getStrategy().getType()).isEqualTo("Recreate");

    simulateRollout(client, namespace, "update-kc", 2);
    eventually().until(() -> deployment(client, namespace, "update-kc"),
        d -> "RollingUpdate".equals(d.getSpec().getStrategy().getType()));
    awaitCondition(client, namespace, "update-kc", KeycloakStatus.ROLLING_UPDATE,
        c -> c.status.equals(Condition.FALSE));

    editSpec("update-kc", kc -> kc.getSpec().env = List.of(new ValueOrSecret("EXTRA", "1")));
    eventually().until(() -> deployment(client, namespace, "update-kc"), d -> "1".equals(env(d, "EXTRA")));
    assertThat(deployment(client, namespace, "update-kc").getSpec().getStrategy().getType())
        .as("not an image change").isEqualTo("RollingUpdate");
  }

  @Test
  void kubectlScaleWorksThroughTheScaleSubresource() {
    create("scale-kc", "instances: 1");
    awaitPresent(client, Deployment.class, namespace, "scale-kc");
    var scaled = cluster.kubectl("scale", "keycloak/scale-kc", "--replicas=3", "-n", namespace);
    assertThat(scaled.exitCode()).as(scaled.stderr()).isZero();
    eventually().until(() -> deployment(client, namespace, "scale-kc").getSpec().getReplicas() == 3);
    simulateRollout(client, namespace, "scale-kc", 3);
    awaitReady(client, namespace, "scale-kc", true);

    var scale = cluster.kubectl("get", "--raw",
        "/apis/k8s.keycloak.org/v2beta1/namespaces/" + namespace + "/keycloaks/scale-kc/scale");
    assertThat(scale.exitCode()).as(scale.stderr()).isZero();
    Map<String, Object> body = Serialization.unmarshal(scale.stdout(), Map.class);
    assertThat(body).extractingByKey("spec").isEqualTo(Map.of("replicas", 3));
    assertThat(body).extractingByKey("status").isEqualTo(Map.of("replicas", 3,
        "selector", "app=keycloak,app.kubernetes.io/component=server,app.kubernetes.io/instance=scale-kc,"
            + "app.kubernetes.io/managed-by=keycloak-gitops"));
  }

  @Test
  void aMissingSecretIsReportedPreciselyAndNothingIsAppliedUntilItExists() {
    create("broken-kc", """
        db:
          vendor: postgres
          usernameSecret: {name: later-db, key: username}
          passwordSecret: {name: later-db, key: password}
        """);
    var broken = awaitCondition(client, namespace, "broken-kc", KeycloakStatus.HAS_ERRORS,
        c -> c.status.equals(Condition.TRUE));
    assertThat(broken.getStatus().condition(KeycloakStatus.HAS_ERRORS).message).startsWith(
        ("spec.db.usernameSecret: Secret \"later-db\" not found in namespace \"%1$s\"; "
            + "spec.db.passwordSecret: Secret \"later-db\" not found in namespace \"%1$s\"; warning: ")
            .formatted(namespace));
    assertThat(broken.getStatus().condition(KeycloakStatus.READY).status).isEqualTo(Condition.FALSE);
    assertThat(absent(Deployment.class, "broken-kc")).isTrue();

    createSecret(client, namespace, "later-db", Map.of("username", "kc", "password", "pw"));
    awaitCondition(client, namespace, "broken-kc", KeycloakStatus.HAS_ERRORS, c -> c.status.equals(Condition.FALSE));
    awaitPresent(client, Deployment.class, namespace, "broken-kc");
  }

  @Test
  void anInvalidObjectIsReportedWithTheApiServersMessage() {
    create("invalid-kc", """
        unsupported:
          podTemplate:
            spec:
              containers: [{name: keycloak, ports: [{name: this-port-name-is-far-too-long, containerPort: 1234}]}]
        """);
    var invalid = awaitCondition(client, namespace, "invalid-kc", KeycloakStatus.HAS_ERRORS,
        c -> c.status.equals(Condition.TRUE));
    assertThat(invalid.getStatus().condition(KeycloakStatus.HAS_ERRORS).message)
        .startsWith("applying the Deployment failed: ")
        .contains("this-port-name-is-far-too-long");
  }

  @Test
  void aChangedSecretRollsThePods() {
    createSecret(client, namespace, "roll-db", Map.of("username", "kc", "password", "first"));
    create("roll-kc", """
        db:
          vendor: postgres
          usernameSecret: {name: roll-db, key: username}
          passwordSecret: {name: roll-db, key: password}
        """);
    String before = eventually().until(() -> digest(deployment(client, namespace, "roll-kc")),
        Objects::nonNull);
    createSecret(client, namespace, "roll-db", Map.of("username", "kc", "password", "second"));
    eventually().until(() -> digest(deployment(client, namespace, "roll-kc")), d -> d != null && !d.equals(before));
  }

  private static String digest(Deployment deployment) {
    if (deployment == null || deployment.getSpec().getTemplate().getMetadata().getAnnotations() == null) {
      return null;
    }
    return deployment.getSpec().getTemplate().getMetadata().getAnnotations()
        .get(KeycloakNames.CONFIG_DIGEST_ANNOTATION);
  }

  @Test
  void theBuiltPodIsAdmittedUnderTheRestrictedPodSecurityStandard() {
    create("psa-kc", """
        image: registry.example/keycloak:optimized
        unsupported:
          podTemplate:
            spec:
              containers: [{name: keycloak}, {name: sidecar, image: busybox}]
        """);
    var template = awaitPresent(client, Deployment.class, namespace, "psa-kc").getSpec().getTemplate();
    String restricted = cluster.createNamespace("restricted",
        Map.of("pod-security.kubernetes.io/enforce", "restricted"));

    var pod = new PodBuilder().withNewMetadata().withName("keycloak").endMetadata()
        .withSpec(template.getSpec()).build();
    assertThat(client.pods().inNamespace(restricted).resource(pod).create().getMetadata().getUid()).isNotNull();

    // The control: without the hardening the same pod is refused, so the admission above meant something.
    var unhardened = new PodBuilder(pod).editMetadata().withName("unhardened").endMetadata().build();
    unhardened.getSpec().setSecurityContext(null);
    unhardened.getSpec().getContainers().forEach(c -> c.setSecurityContext(null));
    assertThatThrownBy(() -> client.pods().inNamespace(restricted).resource(unhardened).create())
        .isInstanceOf(KubernetesClientException.class).hasMessageContaining("violates PodSecurity");
  }

  private static final String HOSTILE_POD = """
      unsupported:
        podTemplate:
          spec:
            hostPID: true
            containers:
            - name: keycloak
              securityContext: {privileged: true, allowPrivilegeEscalation: true}
            volumes:
            - name: host
              hostPath: {path: /}
      """;

  /** The paths and checks of HOSTILE_POD, as HasErrors must name them. */
  private static final List<String> HOSTILE_FINDINGS = List.of(
      "spec.unsupported.podTemplate.spec.hostPID: violates PodSecurity \"baseline\" check \"hostNamespaces\"",
      "spec.unsupported.podTemplate.spec.containers[0].securityContext.privileged: violates PodSecurity \"baseline\" "
          + "check \"privileged\"",
      "spec.unsupported.podTemplate.spec.volumes[0].hostPath: violates PodSecurity \"restricted\" check "
          + "\"restrictedVolumes\"");

  @Test
  void aPrivilegedHostPidHostPathPodCreatedWithoutTheWebhookGetsNoDeployment() {
    // Straight to the API server: no webhook runs here, as in kube-system, with failurePolicy Ignore or when it is down.
    create("attack-kc", HOSTILE_POD);
    var refused = awaitCondition(client, namespace, "attack-kc", KeycloakStatus.HAS_ERRORS,
        c -> c.status.equals(Condition.TRUE));
    assertThat(refused.getStatus().condition(KeycloakStatus.HAS_ERRORS).message)
        .contains("not applied: the pod would violate the restricted Pod Security Standard")
        .contains(HOSTILE_FINDINGS);
    assertThat(refused.getStatus().observedGeneration).isEqualTo(refused.getMetadata().getGeneration());
    assertThat(absent(Deployment.class, "attack-kc")).isTrue();

    editSpec("attack-kc", kc -> kc.getSpec().unsupported = null);
    awaitCondition(client, namespace, "attack-kc", KeycloakStatus.HAS_ERRORS, c -> c.status.equals(Condition.FALSE));
    var deployment = awaitPresent(client, Deployment.class, namespace, "attack-kc");
    assertThat(deployment.getSpec().getTemplate().getSpec().getHostPID()).isNull();
  }

  @Test
  void weakeningARunningCrLeavesItsDeploymentAsItWas() {
    create("weakened-kc", "instances: 1");
    awaitPresent(client, Deployment.class, namespace, "weakened-kc");
    awaitCondition(client, namespace, "weakened-kc", KeycloakStatus.HAS_ERRORS, c -> c.status.equals(Condition.FALSE));
    var before = deployment(client, namespace, "weakened-kc");

    var hostile = Serialization.unmarshal(HOSTILE_POD, KeycloakSpec.class).unsupported;
    editSpec("weakened-kc", kc -> kc.getSpec().unsupported = hostile);
    var refused = awaitCondition(client, namespace, "weakened-kc", KeycloakStatus.HAS_ERRORS,
        c -> c.status.equals(Condition.TRUE));
    assertThat(refused.getStatus().condition(KeycloakStatus.HAS_ERRORS).message).contains(HOSTILE_FINDINGS);
    assertThat(refused.getStatus().observedGeneration).isEqualTo(refused.getMetadata().getGeneration());
    var after = deployment(client, namespace, "weakened-kc");
    assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
    assertThat(after.getSpec().getTemplate().getSpec().getHostPID()).isNull();
  }
}
