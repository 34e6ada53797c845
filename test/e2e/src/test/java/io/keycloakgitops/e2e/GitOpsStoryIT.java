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
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.keycloakgitops.realmsync.RealmSyncConfig;
import io.keycloakgitops.realmsync.RealmSyncService;
import io.keycloakgitops.realmsync.RealmSyncer;
import io.keycloakgitops.realmsync.keycloak.KeycloakTarget;
import io.keycloakgitops.realmsync.source.GitSettings;
import io.keycloakgitops.schemas.realmimport.KeycloakRealmImportStatus;
import io.keycloakgitops.schemas.v2beta1.KeycloakRealmImport;
import io.keycloakgitops.testsupport.GitRepo;
import io.keycloakgitops.testsupport.KeycloakServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
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
  private static KeycloakServer keycloak;
  private static org.keycloak.admin.client.Keycloak admin;
  private static GitRepo repo;
  private static RealmSyncService gitSync;
  private static RealmSyncService crSync;
  private static String fixedCommit;

  @TempDir
  static Path tempDir;

  @BeforeAll
  static void install() {
    startNanos = System.nanoTime();
    cluster = TestCluster.shared();
    controlPlane = ControlPlane.install(cluster, UUID.randomUUID().toString().substring(0, 8));
    namespace = controlPlane.tenantNamespace;
    keycloak = KeycloakServer.shared();
    admin = org.keycloak.admin.client.Keycloak.getInstance(keycloak.baseUrl(), "master", keycloak.adminUser(), keycloak.adminPassword(), "admin-cli");
  }

  @AfterAll
  static void uninstall() throws Exception {
    for (AutoCloseable resource : new AutoCloseable[] {crSync, gitSync, repo, admin, controlPlane}) {
      if (resource != null) {
        resource.close();
      }
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
    assertThat(result.stderr()).contains("The Keycloak \"privileged\" is invalid")
        .contains("spec.unsupported.podTemplate.spec.containers[0].securityContext.privileged: Forbidden")
        .contains("PodSecurity \"baseline\" check \"privileged\"");
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
    assertThat(result.stderr()).contains("The Keycloak \"plain-http\" is invalid")
        .contains("spec.http.tlsSecret: Required value").contains("reachable only over TLS");
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
    await().atMost(WAIT).ignoreExceptionsInstanceOf(NullPointerException.class).untilAsserted(() -> {
      List<HasMetadata> owned = List.of(
          client.apps().deployments().inNamespace(namespace).withName("sso").get(),
          client.services().inNamespace(namespace).withName("sso-service").get(),
          client.services().inNamespace(namespace).withName("sso-discovery").get(),
          client.network().v1().ingresses().inNamespace(namespace).withName("sso-ingress").get(),
          client.network().v1().networkPolicies().inNamespace(namespace).withName("sso-network-policy").get(),
          client.resources(io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class).inNamespace(namespace).withName("sso").get(),
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

  @Test
  @Order(5)
  void aCommitAddingARealmFileMakesTheRealmAppearInKeycloak() {
    repo = GitRepo.create(tempDir.resolve("git"), "main");
    repo.write("realms/acme.json", ACME_V1).commitAndPush("add realm acme");
    gitSync = RealmSyncService.start(RealmSyncConfig.builder()
        .git(GitSettings.of(repo.url(), "main", "realms").withCacheDir(tempDir.resolve("clone")))
        .keycloak(KeycloakTarget.password(keycloak.baseUrl(), keycloak.adminUser(), keycloak.adminPassword()))
        .interval(Duration.ofHours(1)).driftInterval(Duration.ofHours(1)).env(Map.of()).build());

    RealmSyncer.Outcome outcome = gitSync.syncNow().get("acme");

    assertThat(outcome.ok()).as(String.valueOf(outcome.error())).isTrue();
    RealmResource acme = admin.realm("acme");
    assertThat(acme.toRepresentation().getDisplayName()).isEqualTo("ACME");
    assertThat(acme.roles().list()).extracting(RoleRepresentation::getName).contains("viewer", "legacy");
    assertThat(acme.clients().findByClientId("acme-web")).hasSize(1);
  }

  @Test
  @Order(6)
  void aCommitAddingAClientAndRemovingARoleMakesExactlyThoseWrites() {
    repo.write("realms/acme.json", ACME_V2).commitAndPush("add client acme-api, remove role legacy");

    RealmSyncer.Outcome outcome = gitSync.syncNow().get("acme");

    assertThat(outcome.ok()).as(String.valueOf(outcome.error())).isTrue();
    assertThat(outcome.created()).isEqualTo(1);
    assertThat(outcome.deleted()).isEqualTo(1);
    assertThat(outcome.updated()).isZero();
    RealmResource acme = admin.realm("acme");
    assertThat(acme.clients().findByClientId("acme-api")).hasSize(1);
    assertThat(acme.roles().list()).extracting(RoleRepresentation::getName).contains("viewer").doesNotContain("legacy");
  }

  @Test
  @Order(7)
  void aCommitWithBrokenJsonLeavesTheRealmAsItWasAndReportsFileAndLine() {
    String broken = repo.write("realms/acme.json", ACME_V2.replace("\"acme-api\"", "\"acme-api\",,")).commitAndPush("break acme");

    gitSync.syncNow();

    JsonNode status = gitSync.status().at("/realms/acme");
    assertThat(status.path("result").asText()).isEqualTo("Failed");
    assertThat(status.path("error").asText()).containsPattern("realms/acme\\.json:\\d+");
    assertThat(status.path("lastAttemptedCommit").asText()).isEqualTo(broken);
    assertThat(status.path("lastAppliedCommit").asText()).isNotEqualTo(broken);
    assertThat(admin.realm("acme").clients().findByClientId("acme-api")).hasSize(1);
    assertThat(admin.realm("acme").toRepresentation().getDisplayName()).isEqualTo("ACME");

    fixedCommit = repo.write("realms/acme.json", ACME_V2.replace("\"ACME\"", "\"ACME Corporation\"")).commitAndPush("fix acme");
    RealmSyncer.Outcome outcome = gitSync.syncNow().get("acme");
    assertThat(outcome.ok()).as(String.valueOf(outcome.error())).isTrue();
    assertThat(outcome.updated()).isEqualTo(1);
    assertThat(admin.realm("acme").toRepresentation().getDisplayName()).isEqualTo("ACME Corporation");
    assertThat(gitSync.status().at("/realms/acme/lastAppliedCommit").asText()).isEqualTo(fixedCommit);
  }

  @Test
  @Order(8)
  void aConsoleStyleChangeIsRevertedOnTheNextDriftCheck() {
    RealmRepresentation edited = admin.realm("acme").toRepresentation();
    edited.setDisplayName("edited in the console");
    admin.realm("acme").update(edited);

    RealmSyncer.Outcome outcome = gitSync.syncNow().get("acme");

    assertThat(outcome.ok()).as(String.valueOf(outcome.error())).isTrue();
    assertThat(outcome.updated()).isEqualTo(1);
    assertThat(admin.realm("acme").toRepresentation().getDisplayName()).isEqualTo("ACME Corporation");
  }

  @Test
  @Order(9)
  void editingAKeycloakRealmImportUpdatesItsRealm() {
    String serverNamespace = controlPlane.serverNamespace;
    publishLocalKeycloakAs(serverNamespace, "local");
    crSync = RealmSyncService.start(RealmSyncConfig.builder().watchCrs(true).namespaces(List.of(serverNamespace))
        .driftInterval(Duration.ofHours(1)).env(Map.of()).build(), cluster.newClient());

    ProcessResult created = cluster.kubectlWithInput(realmImport("partner-portal"), "apply", "-n", serverNamespace, "-f", "-");
    assertThat(created.ok()).as(created.toString()).isTrue();
    // The realm does not exist until realm-sync has applied the CR: a 404 means "not yet".
    await().atMost(WAIT).ignoreExceptionsInstanceOf(jakarta.ws.rs.NotFoundException.class).untilAsserted(() ->
        assertThat(admin.realm("partners").clients().findByClientId("partner-portal")).hasSize(1));

    ProcessResult edited = cluster.kubectlWithInput(realmImport("partner-portal", "partner-admin"), "apply", "-n", serverNamespace, "-f", "-");
    assertThat(edited.ok()).as(edited.toString()).isTrue();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(admin.realm("partners").clients().findByClientId("partner-admin")).hasSize(1);
      KeycloakRealmImport cr = cluster.client().resources(KeycloakRealmImport.class).inNamespace(serverNamespace).withName("partners").get();
      assertThat(cr.getStatus().observedGeneration).isEqualTo(cr.getMetadata().getGeneration());
      assertThat(cr.getStatus().condition(KeycloakRealmImportStatus.DONE).status).isEqualTo(Condition.TRUE);
    });
  }

  private static String realmImport(String... clientIds) {
    StringBuilder clients = new StringBuilder();
    for (String clientId : clientIds) {
      clients.append("      - clientId: ").append(clientId).append("\n        publicClient: true\n");
    }
    return """
        apiVersion: k8s.keycloak.org/v2beta1
        kind: KeycloakRealmImport
        metadata:
          name: partners
        spec:
          keycloakCRName: local
          realm:
            realm: partners
            enabled: true
            clients:
        """ + clients;
  }

  /**
   * There is no kubelet to run a Keycloak pod, so the Keycloak CR "local" stands for the dist this test runs: its
   * status carries what the reconciler publishes for a running server (internal URL, admin Secret). Its
   * namespace is not watched by the reconciler, which would otherwise publish the in-cluster Service URL.
   */
  private static void publishLocalKeycloakAs(String serverNamespace, String name) {
    cluster.client().secrets().inNamespace(serverNamespace).resource(new SecretBuilder().withNewMetadata().withName(name + "-initial-admin").endMetadata()
        .addToStringData("username", keycloak.adminUser()).addToStringData("password", keycloak.adminPassword()).build()).create();
    ProcessResult applied = cluster.kubectlWithInput("""
        apiVersion: k8s.keycloak.org/v2beta1
        kind: Keycloak
        metadata:
          name: %s
        spec:
          http:
            tlsSecret: local-tls
        """.formatted(name), "apply", "-n", serverNamespace, "-f", "-");
    assertThat(applied.ok()).as(applied.toString()).isTrue();
    Keycloak local = cluster.client().resources(Keycloak.class).inNamespace(serverNamespace).withName(name).get();
    KeycloakStatus status = new KeycloakStatus();
    status.internalUrl = keycloak.baseUrl();
    status.adminSecret = name + "-initial-admin";
    status.observedGeneration = local.getMetadata().getGeneration();
    status.conditions.add(new Condition(KeycloakStatus.READY, Condition.TRUE, "Ready", "played by the test's Keycloak dist", status.observedGeneration));
    local.setStatus(status);
    cluster.client().resources(Keycloak.class).inNamespace(serverNamespace).resource(local).updateStatus();
  }

  private static final String ACME_V1 = """
      {
        "realm": "acme",
        "displayName": "ACME",
        "enabled": true,
        "roles": { "realm": [ { "name": "viewer" }, { "name": "legacy" } ] },
        "clients": [ { "clientId": "acme-web", "publicClient": true, "redirectUris": ["https://acme.example.com/*"] } ]
      }
      """;

  private static final String ACME_V2 = """
      {
        "realm": "acme",
        "displayName": "ACME",
        "enabled": true,
        "roles": { "realm": [ { "name": "viewer" } ] },
        "clients": [
          { "clientId": "acme-web", "publicClient": true, "redirectUris": ["https://acme.example.com/*"] },
          { "clientId": "acme-api", "publicClient": false, "serviceAccountsEnabled": true }
        ]
      }
      """;

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
