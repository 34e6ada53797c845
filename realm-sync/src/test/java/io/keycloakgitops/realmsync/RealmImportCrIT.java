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
import java.util.Map;
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
    client.secrets().inNamespace(namespace).resource(new SecretBuilder()
        .withMetadata(new ObjectMetaBuilder().withName("kc-initial-admin").build())
        .withStringData(Map.of("username", keycloak.adminUser(), "password", keycloak.adminPassword())).build()).create();
    client.secrets().inNamespace(namespace).resource(new SecretBuilder()
        .withMetadata(new ObjectMetaBuilder().withName("realm-secrets").build())
        .withStringData(Map.of("web", "web-secret-from-k8s", "api", "api-secret-from-k8s")).build()).create();
    var kc = new Keycloak();
    kc.setMetadata(new ObjectMetaBuilder().withName("kc").withNamespace(namespace).build());
    kc.getSpec().instances = 1;
    var created = client.resources(Keycloak.class).inNamespace(namespace).resource(kc).create();
    var status = new KeycloakStatus();
    // What the reconciler publishes; here the service URL is the test's own Keycloak.
    status.internalUrl = keycloak.baseUrl();
    status.adminSecret = "kc-initial-admin";
    status.conditions.add(new Condition(KeycloakStatus.READY, Condition.TRUE, "Ready", null, 1L));
    created.setStatus(status);
    client.resources(Keycloak.class).inNamespace(namespace).resource(created).updateStatus();
  }

  private static KeycloakRealmImport realmImport(String name, String keycloak, ObjectNode realm) {
    var cr = new KeycloakRealmImport();
    cr.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    cr.getSpec().keycloakCRName = keycloak;
    cr.getSpec().realm = realm;
    var placeholder = new KeycloakRealmImportSpec.Placeholder();
    placeholder.secret = new SecretKeySelector("web", "realm-secrets", false);
    cr.getSpec().placeholders = Map.of("WEB_SECRET", placeholder);
    return cr;
  }

  private static KeycloakRealmImportStatus status(String name) {
    var cr = client.resources(KeycloakRealmImport.class).inNamespace(namespace).withName(name).get();
    return cr == null ? null : cr.getStatus();
  }

  private static String condition(String name, String type) {
    var status = status(name);
    var condition = status == null ? null : status.condition(type);
    return condition == null ? null : condition.status;
  }

  private RealmSyncService startCrWatcher() {
    return RealmSyncService.start(RealmSyncConfig.builder().watchCrs(true).namespaces(java.util.List.of(namespace))
        .port(0).driftInterval(Duration.ofMinutes(5)).build(), client);
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
