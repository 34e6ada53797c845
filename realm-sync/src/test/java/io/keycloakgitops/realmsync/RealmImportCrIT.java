package io.keycloakgitops.realmsync;

import static io.keycloakgitops.realmsync.It.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.source.GitSettings;
import io.keycloakgitops.schemas.common.Condition;
import io.keycloakgitops.schemas.keycloak.KeycloakStatus;
import io.keycloakgitops.schemas.realmimport.KeycloakRealmImportSpec;
import io.keycloakgitops.schemas.realmimport.KeycloakRealmImportStatus;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import io.keycloakgitops.schemas.v2beta1.KeycloakRealmImport;
import io.keycloakgitops.testsupport.GitRepo;
import io.keycloakgitops.testsupport.KeycloakServer;
import io.keycloakgitops.testsupport.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import io.keycloakgitops.realmsync.engine.PrunePolicy;
import io.keycloakgitops.realmsync.keycloak.KeycloakAdmin;
import io.keycloakgitops.schemas.authority.RealmGrants;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KeycloakRealmImport CRs on a real API server applied to the real Keycloak, with the target found through the
 * Keycloak CR's status as the reconciler publishes it; leader election on a Lease.
 */
class RealmImportCrIT {
  private static KubernetesClient client;
  private static String namespace;

  @BeforeAll
  static void cluster() {
    var cluster = TestCluster.shared();
    cluster.installCrds();
    client = cluster.client();
    namespace = cluster.createNamespace("realm-sync");
    var keycloak = KeycloakServer.shared();
    keycloakIn(namespace, keycloak.baseUrl(), keycloak.adminUser(), keycloak.adminPassword());
  }

  /** A Keycloak CR with the status the reconciler publishes (here pointing at {@code url}), its admin Secret and a Secret of values. */
  private static void keycloakIn(String ns, String url, String user, String password) {
    client.secrets().inNamespace(ns).resource(new SecretBuilder()
        .withMetadata(new ObjectMetaBuilder().withName("kc-initial-admin").build())
        .withStringData(Map.of("username", user, "password", password)).build()).create();
    client.secrets().inNamespace(ns).resource(new SecretBuilder()
        .withMetadata(new ObjectMetaBuilder().withName("realm-secrets").build())
        .withStringData(Map.of("web", "web-secret-from-k8s", "api", "api-secret-from-k8s")).build()).create();
    var kc = new Keycloak();
    kc.setMetadata(new ObjectMetaBuilder().withName("kc").withNamespace(ns).build());
    kc.getSpec().instances = 1;
    var created = client.resources(Keycloak.class).inNamespace(ns).resource(kc).create();
    var status = new KeycloakStatus();
    status.internalUrl = url;
    status.adminSecret = "kc-initial-admin";
    status.conditions.add(new Condition(KeycloakStatus.READY, Condition.TRUE, "Ready", null, 1L));
    created.setStatus(status);
    client.resources(Keycloak.class).inNamespace(ns).resource(created).updateStatus();
  }

  private static KeycloakRealmImport realmImport(String name, String keycloak, ObjectNode realm) {
    return realmImport(namespace, name, keycloak, realm);
  }

  private static KeycloakRealmImport realmImport(String ns, String name, String keycloak, ObjectNode realm) {
    var cr = new KeycloakRealmImport();
    cr.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    cr.getSpec().keycloakCRName = keycloak;
    cr.getSpec().realm = realm;
    var placeholder = new KeycloakRealmImportSpec.Placeholder();
    placeholder.secret = new SecretKeySelector("web", "realm-secrets", false);
    cr.getSpec().placeholders = Map.of("WEB_SECRET", placeholder);
    return cr;
  }

  private static KeycloakRealmImportStatus status(String name) {
    return status(namespace, name);
  }

  private static KeycloakRealmImportStatus status(String ns, String name) {
    var cr = client.resources(KeycloakRealmImport.class).inNamespace(ns).withName(name).get();
    return cr == null ? null : cr.getStatus();
  }

  private static String condition(String name, String type) {
    return condition(namespace, name, type);
  }

  private static String condition(String ns, String name, String type) {
    var status = status(ns, name);
    var condition = status == null ? null : status.condition(type);
    return condition == null ? null : condition.status;
  }

  private static String errors(String name) {
    var status = status(name);
    var condition = status == null ? null : status.condition(KeycloakRealmImportStatus.HAS_ERRORS);
    return condition == null || !Condition.TRUE.equals(condition.status) ? null : condition.message;
  }

  private static void create(KeycloakRealmImport cr) {
    client.resources(KeycloakRealmImport.class).inNamespace(cr.getMetadata().getNamespace()).resource(cr).create();
  }

  private static ObjectNode realmJson(String realm, String text) {
    return (ObjectNode) Json.read(It.file(realm, text));
  }

  private RealmSyncService startCrWatcher() {
    return startCrWatcher(b -> { });
  }

  private RealmSyncService startCrWatcher(Consumer<RealmSyncConfig.Builder> customize) {
    var builder = RealmSyncConfig.builder().watchCrs(true).namespaces(List.of(namespace)).port(0)
        .driftInterval(Duration.ofMinutes(5));
    customize.accept(builder);
    return RealmSyncService.start(builder.build(), client);
  }

  @Test
  void aRealmImportNamingMasterIsRefusedAndMasterIsUntouched() {
    String intruder = It.realmName("intruder");
    String displayBefore = Json.text(It.realm("master").find("").orElseThrow(), "displayName");
    try (var service = startCrWatcher()) {
      create(realmImport("to-master", "kc", realmJson("master", "{'realm':'REALM','displayName':'owned',"
          + "'users':[{'username':'" + intruder + "','enabled':true,'realmRoles':['admin'],"
          + "'credentials':[{'type':'password','value':'x'}]}]}")));
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(errors("to-master")).contains("realm master is refused"));
      assertThat(condition("to-master", KeycloakRealmImportStatus.DONE)).isNotEqualTo(Condition.TRUE);
      assertThat(service.status().at("/realms/" + namespace + "~1to-master/result").asText()).isEqualTo("Failed");
    }
    assertThat(Json.text(It.realm("master").find("").orElseThrow(), "displayName")).isEqualTo(displayBefore);
    assertThat(It.user("master", intruder)).isNull();
  }

  @Test
  void fileAndEnvPlaceholdersInACrAreRefusedNamingTheFieldAndNothingIsWritten() {
    String realm = It.realmName("exfil");
    try (var service = startCrWatcher()) {
      create(realmImport("exfil", "kc", realmJson(realm, "{'realm':'REALM',"
          + "'displayName':'${file:/var/run/secrets/kubernetes.io/serviceaccount/token}',"
          + "'smtpServer':{'from':'${env:KEYCLOAK_PASSWORD}'}}")));
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(errors("exfil"))
          .contains("spec.realm.displayName: ${file:} placeholders are refused")
          .contains("spec.realm.smtpServer.from: ${env:} placeholders are refused"));
    }
    assertThat(It.realm(realm).find("")).isEmpty();
  }

  @Test
  void aRealmOutsideTheNamespacesGrantIsRefusedAndOneInsideIsApplied() throws Exception {
    String granted = It.realmName("team");
    String other = It.realmName("other");
    var grants = RealmGrants.parse("grants:\n  - namespace: " + namespace + "\n    realms: [\"team-*\"]\n");
    try (var service = startCrWatcher(b -> b.realmGrants(grants))) {
      create(realmImport("outside", "kc", realmJson(other, "{'realm':'REALM','enabled':true}")));
      create(realmImport("inside", "kc", realmJson(granted, "{'realm':'REALM','enabled':true}")));
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(errors("outside")).contains("realm " + other + " is not granted to namespace " + namespace);
        assertThat(condition("inside", KeycloakRealmImportStatus.DONE)).isEqualTo(Condition.TRUE);
      });
    }
    assertThat(It.realm(other).find("")).isEmpty();
    assertThat(It.realm(granted).find("")).isPresent();
  }

  @Test
  void aSecondClaimOnARealmIsRefusedAndTheFirstOwnerKeepsIt() {
    String realm = It.realmName("claimed");
    try (var service = startCrWatcher()) {
      create(realmImport("claim-first", "kc", realmJson(realm, "{'realm':'REALM','displayName':'First',"
          + "'clients':[{'clientId':'first-app'}]}")));
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(condition("claim-first", KeycloakRealmImportStatus.DONE)).isEqualTo(Condition.TRUE));
      create(realmImport("claim-second", "kc", realmJson(realm, "{'realm':'REALM','displayName':'Second',"
          + "'clients':[{'clientId':'intruder'}]}")));
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(errors("claim-second")).contains("KeycloakRealmImport " + namespace + "/claim-first"));
    }
    // A restart decides the same way: the owner is recorded in the realm.
    try (var service = startCrWatcher()) {
      client.resources(KeycloakRealmImport.class).inNamespace(namespace).withName("claim-second").edit(cr -> {
        cr.getSpec().realm.put("displayName", "Second again");
        return cr;
      });
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(status("claim-second").observedGeneration).isEqualTo(2L);
        assertThat(errors("claim-second")).contains("KeycloakRealmImport " + namespace + "/claim-first");
      });
    }
    assertThat(Json.text(It.realm(realm).find("").orElseThrow(), "displayName")).isEqualTo("First");
    assertThat(client(realm, "first-app")).isNotNull();
    assertThat(client(realm, "intruder")).isNull();
  }

  @Test
  void realmsAndObjectsThatCrsCreatedSurviveTheGitSourcesPrune(@TempDir Path dir) {
    String shared = It.realmName("cr-shared");
    String crOnly = It.realmName("cr-only");
    String gitOnly = It.realmName("git-only");
    try (var repo = GitRepo.create(dir.resolve("repo"), "main"); var crs = startCrWatcher()) {
      create(realmImport("shared-import", "kc", realmJson(shared, "{'realm':'REALM','clients':[{'clientId':'cr-app'}]}")));
      create(realmImport("only-import", "kc", realmJson(crOnly, "{'realm':'REALM','clients':[{'clientId':'cr-app'}]}")));
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(condition("shared-import", KeycloakRealmImportStatus.DONE)).isEqualTo(Condition.TRUE);
        assertThat(condition("only-import", KeycloakRealmImportStatus.DONE)).isEqualTo(Condition.TRUE);
      });
      // The Git source declares another set: its own realm, and the shared realm with its own client only.
      repo.write("realms/" + gitOnly + ".json", It.file(gitOnly, "{'realm':'REALM'}"))
          .write("realms/" + shared + ".json", It.file(shared, "{'realm':'REALM','clients':[{'clientId':'git-app'}]}"))
          .commitAndPush("v1");
      var config = RealmSyncConfig.builder().git(GitSettings.of(repo.url(), "main", "realms").withCacheDir(dir.resolve("cache")))
          .keycloak(It.target()).port(0).interval(Duration.ofHours(1))
          .sync(new RealmSyncer.Options(PrunePolicy.parse("realm=full"), 10, null)).build();
      try (var git = RealmSyncService.start(config)) {
        assertThat(git.syncNow().values()).allMatch(RealmSyncer.Outcome::ok);
        assertThat(client(shared, "git-app")).isNotNull();
        repo.write("realms/" + shared + ".json", It.file(shared, "{'realm':'REALM','clients':[]}")).commitAndPush("v2");
        assertThat(git.syncNow().values()).allMatch(RealmSyncer.Outcome::ok);
        assertThat(client(shared, "git-app")).as("the Git source prunes its own").isNull();
      }
      assertThat(It.realm(crOnly).find("")).as("a CR's realm is not the Git source's to delete").isPresent();
      assertThat(client(crOnly, "cr-app")).isNotNull();
      assertThat(client(shared, "cr-app")).as("a CR's client is not the Git source's to delete").isNotNull();
      assertThat(It.realm(gitOnly).find("")).isPresent();
    }
  }

  @Test
  void aHungKeycloakOfOneTenantDoesNotDelayAnotherTenantsImports() throws Exception {
    String hungNamespace = TestCluster.shared().createNamespace("hung");
    var accepted = new java.util.concurrent.CopyOnWriteArrayList<java.net.Socket>();
    try (var hung = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      // Accepts connections and never answers a byte.
      var acceptor = new Thread(() -> {
        try {
          while (true) {
            accepted.add(hung.accept());
          }
        } catch (java.io.IOException closed) {
          // the test is over
        }
      }, "hung-keycloak");
      acceptor.setDaemon(true);
      acceptor.start();
      keycloakIn(hungNamespace, "http://127.0.0.1:" + hung.getLocalPort(), "admin", "never-checked");
      String stuck = It.realmName("stuck");
      String healthy = It.realmName("healthy");
      create(realmImport(hungNamespace, "stuck-import", "kc", realmJson(stuck, "{'realm':'REALM'}")));
      var patient = new KeycloakAdmin.Timeouts(Duration.ofSeconds(5), Duration.ofMinutes(5));
      try (var service = startCrWatcher(b -> b.namespaces(List.of(hungNamespace, namespace)).keycloakTimeouts(patient))) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !accepted.isEmpty());
        create(realmImport("healthy-import", "kc", realmJson(healthy, "{'realm':'REALM'}")));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
            assertThat(condition("healthy-import", KeycloakRealmImportStatus.DONE)).isEqualTo(Condition.TRUE));
        assertThat(condition(hungNamespace, "stuck-import", KeycloakRealmImportStatus.DONE)).isNotEqualTo(Condition.TRUE);
      }
      assertThat(It.realm(healthy).find("")).isPresent();
      // Bounded timeouts: the hung server fails its own import instead of holding a worker for ever.
      var quick = new KeycloakAdmin.Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2));
      try (var service = startCrWatcher(b -> b.namespaces(List.of(hungNamespace)).keycloakTimeouts(quick))) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
            assertThat(condition(hungNamespace, "stuck-import", KeycloakRealmImportStatus.HAS_ERRORS)).isEqualTo(Condition.TRUE));
      }
    } finally {
      for (var socket : accepted) {
        socket.close();
      }
    }
  }

  @Test
  void aRealmImportCreatesTheRealmAndItsEditsUpdateIt() {
    String realm = It.realmName("cr");
    var spec = (ObjectNode) Json.read(It.file(realm,
        "{'realm':'REALM','enabled':true,'clients':[{'clientId':'web','secret':'${WEB_SECRET}'}]}"));
    try (var service = startCrWatcher()) {
      client.resources(KeycloakRealmImport.class).inNamespace(namespace).resource(realmImport("import-a", "kc", spec)).create();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(condition("import-a", KeycloakRealmImportStatus.DONE)).isEqualTo(Condition.TRUE);
        assertThat(status("import-a").observedGeneration).isEqualTo(1L);
      });
      assertThat(condition("import-a", KeycloakRealmImportStatus.HAS_ERRORS)).isEqualTo(Condition.FALSE);
      assertThat(condition("import-a", KeycloakRealmImportStatus.STARTED)).isEqualTo(Condition.FALSE);
      var web = client(realm, "web");
      assertThat(It.realm(realm).get("/clients/" + web.get("id").asText() + "/client-secret").get("value").asText())
          .isEqualTo("web-secret-from-k8s");

      client.resources(KeycloakRealmImport.class).inNamespace(namespace).withName("import-a").edit(cr -> {
        ((com.fasterxml.jackson.databind.node.ArrayNode) cr.getSpec().realm.get("clients")).addObject().put("clientId", "api");
        return cr;
      });
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(status("import-a").observedGeneration).isEqualTo(2L);
        assertThat(condition("import-a", KeycloakRealmImportStatus.DONE)).isEqualTo(Condition.TRUE);
      });
      assertThat(client(realm, "api")).isNotNull();
      assertThat(service.status().at("/realms/" + namespace + "~1import-a/result").asText()).isEqualTo("Synced");
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(client.v1().events().inNamespace(namespace)
          .list().getItems()).anyMatch(e -> "Synced".equals(e.getReason())
              && "import-a".equals(e.getInvolvedObject().getName())));
    }
  }

  @Test
  void problemsShowAsHasErrorsWithTheReason() {
    try (var service = startCrWatcher()) {
      var invalid = (ObjectNode) Json.read(It.file(It.realmName("bad"), "{'realm':'REALM','clients':[{'clientId':42}]}"));
      client.resources(KeycloakRealmImport.class).inNamespace(namespace).resource(realmImport("invalid", "kc", invalid)).create();
      var valid = (ObjectNode) Json.read(It.file(It.realmName("orphan"), "{'realm':'REALM'}"));
      client.resources(KeycloakRealmImport.class).inNamespace(namespace).resource(realmImport("orphan", "missing-kc", valid)).create();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(condition("invalid", KeycloakRealmImportStatus.HAS_ERRORS)).isEqualTo(Condition.TRUE);
        assertThat(status("invalid").condition(KeycloakRealmImportStatus.HAS_ERRORS).message).contains("clientId");
        assertThat(condition("orphan", KeycloakRealmImportStatus.HAS_ERRORS)).isEqualTo(Condition.TRUE);
        assertThat(status("orphan").condition(KeycloakRealmImportStatus.HAS_ERRORS).message)
            .contains("Keycloak " + namespace + "/missing-kc not found");
      });
      assertThat(condition("invalid", KeycloakRealmImportStatus.DONE)).isEqualTo(Condition.FALSE);
    }
  }

  @Test
  void onlyTheLeaseHolderSyncs(@TempDir Path dir) {
    String realm = It.realmName("leader");
    try (var repo = GitRepo.create(dir.resolve("repo"), "main")) {
      repo.write("realms/" + realm + ".json", It.file(realm, "{'realm':'REALM'}")).commitAndPush("v1");
      String lease = "realm-sync-" + realm;
      var config = RealmSyncConfig.builder().git(GitSettings.of(repo.url(), "main", "realms"))
          .keycloak(It.target()).port(0).interval(Duration.ofHours(1));
      try (var first = RealmSyncService.start(config.leaderElection(namespace, lease).identity("first").build(), client)) {
        await().atMost(Duration.ofSeconds(30)).until(first::isLeader);
        try (var second = RealmSyncService.start(config.leaderElection(namespace, lease).identity("second").build(),
            client)) {
          assertThat(first.syncNow().get(realm).ok()).isTrue();
          assertThat(second.isLeader()).isFalse();
          assertThatThrownBy(second::syncNow).hasMessageContaining("not the leader");
          assertThat(client.leases().inNamespace(namespace).withName(lease).get().getSpec().getHolderIdentity())
              .isEqualTo("first");
        }
      }
    }
  }
}
