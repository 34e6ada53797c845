package io.keycloakgitops.realmsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.engine.OwnershipKey;
import io.keycloakgitops.realmsync.engine.SyncState;
import io.keycloakgitops.realmsync.k8s.OwnershipKeySecret;
import io.keycloakgitops.realmsync.source.GitSettings;
import io.keycloakgitops.schemas.authority.PlaceholderScan;
import io.keycloakgitops.schemas.common.Condition;
import io.keycloakgitops.schemas.keycloak.KeycloakStatus;
import io.keycloakgitops.schemas.realmimport.KeycloakRealmImportStatus;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import io.keycloakgitops.schemas.v2beta1.KeycloakRealmImport;
import io.keycloakgitops.testsupport.GitRepo;
import io.keycloakgitops.testsupport.KeycloakServer;
import io.keycloakgitops.testsupport.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The placeholder attacks of a tenant, on a real API server and Keycloak: a KeycloakRealmImport that tries to copy
 * realm-sync's token, environment or an unlabelled Secret into a realm it can read, and a Git file that tries an
 * unlabelled Secret of realm-sync's namespace. Each fails its realm, names the field, and creates nothing. Also the
 * ownership key kept in a Secret of realm-sync's namespace.
 */
class PlaceholderAuthorityIT {
  private static final String LABELLED = "shared-values";
  private static final String UNLABELLED = "keycloak-credentials";
  private static KubernetesClient client;
  private static String namespace;

  @BeforeAll
  static void cluster() {
    var cluster = TestCluster.shared();
    cluster.installCrds();
    client = cluster.client();
    namespace = cluster.createNamespace("placeholders", Map.of());
    var keycloak = KeycloakServer.shared();
    client.secrets().inNamespace(namespace).resource(new SecretBuilder()
        .withMetadata(new ObjectMetaBuilder().withName("kc-initial-admin").build())
        .withStringData(Map.of("username", keycloak.adminUser(), "password", keycloak.adminPassword())).build()).create();
    client.secrets().inNamespace(namespace).resource(new SecretBuilder()
        .withMetadata(new ObjectMetaBuilder().withName(UNLABELLED).build())
        .withStringData(Map.of("password", "not-for-realms")).build()).create();
    client.secrets().inNamespace(namespace).resource(new SecretBuilder()
        .withMetadata(new ObjectMetaBuilder().withName(LABELLED)
            .withLabels(Map.of(PlaceholderScan.PLACEHOLDER_SOURCE_LABEL, PlaceholderScan.PLACEHOLDER_SOURCE_VALUE)).build())
        .withStringData(Map.of("name", "Shared Name")).build()).create();
    var kc = new Keycloak();
    kc.setMetadata(new ObjectMetaBuilder().withName("kc").withNamespace(namespace).build());
    kc.getSpec().instances = 1;
    var created = client.resources(Keycloak.class).inNamespace(namespace).resource(kc).create();
    var status = new KeycloakStatus();
    status.internalUrl = keycloak.baseUrl();
    status.adminSecret = "kc-initial-admin";
    status.conditions.add(new Condition(KeycloakStatus.READY, Condition.TRUE, "Ready", null, 1L));
    created.setStatus(status);
    client.resources(Keycloak.class).inNamespace(namespace).resource(created).updateStatus();
  }

  private static void create(String name, String realm, String displayName) {
    var cr = new KeycloakRealmImport();
    cr.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    cr.getSpec().keycloakCRName = "kc";
    cr.getSpec().realm = (ObjectNode) Json.object().put("realm", realm).put("displayName", displayName);
    client.resources(KeycloakRealmImport.class).inNamespace(namespace).resource(cr).create();
  }

  private static KeycloakRealmImportStatus status(String name) {
    var cr = client.resources(KeycloakRealmImport.class).inNamespace(namespace).withName(name).get();
    return cr == null ? null : cr.getStatus();
  }

  private static String errors(String name) {
    var status = status(name);
    var condition = status == null ? null : status.condition(KeycloakRealmImportStatus.HAS_ERRORS);
    return condition != null && Condition.TRUE.equals(condition.status) ? condition.message : null;
  }

  @Test
  void aRealmImportReadsOnlyLabelledSecretsOfItsNamespaceNeverRealmSyncsFilesOrEnvironment() {
    String token = It.realmName("cr-token");
    String env = It.realmName("cr-env");
    String unlabelled = It.realmName("cr-unlabelled");
    String labelled = It.realmName("cr-labelled");
    try (var service = RealmSyncService.start(RealmSyncConfig.builder().watchCrs(true).namespaces(List.of(namespace))
        .port(0).driftInterval(Duration.ofMinutes(5)).build(), client)) {
      create("token", token, "${file:/var/run/secrets/kubernetes.io/serviceaccount/token}");
      create("env", env, "${env:KEYCLOAK_PASSWORD}");
      create("unlabelled", unlabelled, "${secret:" + UNLABELLED + "/password}");
      create("labelled", labelled, "${secret:" + LABELLED + "/name}");
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(errors("token")).contains("spec.realm.displayName: ${file:} placeholders are refused in "
            + "KeycloakRealmImport CRs");
        assertThat(errors("env")).contains("spec.realm.displayName: ${env:} placeholders are refused");
        assertThat(errors("unlabelled")).contains("Secret " + UNLABELLED + " does not carry the label "
            + PlaceholderScan.PLACEHOLDER_SOURCE_LABEL + "=true");
        var done = status("labelled") == null ? null : status("labelled").condition(KeycloakRealmImportStatus.DONE);
        assertThat(done).isNotNull().extracting(c -> c.status).isEqualTo(Condition.TRUE);
      });
      for (String refused : List.of(token, env, unlabelled)) {
        assertThat(It.realm(refused).find("")).as(refused).isEmpty();
      }
      assertThat(It.realm(labelled).get("").get("displayName").asText()).isEqualTo("Shared Name");
      assertThat(Json.write(service.status())).doesNotContain("not-for-realms", KeycloakServer.shared().adminPassword());
    }
  }

  @Test
  void aGitFileReadsOnlyLabelledSecretsOfRealmSyncsNamespace(@TempDir Path dir) {
    String unlabelled = It.realmName("git-unlabelled");
    String labelled = It.realmName("git-labelled");
    try (var repo = GitRepo.create(dir.resolve("repo"), "main")) {
      repo.write("realms/" + unlabelled + ".json", It.file(unlabelled,
              "{'realm':'REALM','displayName':'${secret:" + UNLABELLED + "/password}'}"))
          .write("realms/" + labelled + ".json", It.file(labelled, "{'realm':'REALM','displayName':'${secret:" + LABELLED + "/name}'}"))
          .commitAndPush("two realms");
      var config = RealmSyncConfig.builder().git(GitSettings.of(repo.url(), "main", "realms")).keycloak(It.target())
          .port(0).interval(Duration.ofHours(1)).podNamespace(namespace).build();
      try (var service = RealmSyncService.start(config, client)) {
        var outcomes = service.syncNow();
        assertThat(outcomes.get(labelled).ok()).isTrue();
        assertThat(outcomes).doesNotContainKey(unlabelled);
        assertThat(service.status().at("/realms/" + unlabelled + "/result").asText()).isEqualTo("Failed");
        assertThat(service.status().at("/realms/" + unlabelled + "/error").asText())
            .contains("(at /displayName): ${secret:" + UNLABELLED + "/password} is refused");
        assertThat(It.realm(unlabelled).find("")).isEmpty();
        assertThat(It.realm(labelled).get("").get("displayName").asText()).isEqualTo("Shared Name");
      }
    }
  }

  @Test
  void theOwnershipKeyIsCreatedOnceInItsSecretAndHashesTheServicesRecord(@TempDir Path dir) {
    String secretName = "ownership-" + It.realmName("key");
    var key = OwnershipKeySecret.load(client, namespace, secretName);
    var stored = client.secrets().inNamespace(namespace).withName(secretName).get();
    assertThat(java.util.Base64.getDecoder().decode(stored.getData().get(OwnershipKeySecret.KEY))).hasSize(OwnershipKey.LENGTH);
    assertThat(OwnershipKeySecret.load(client, namespace, secretName).hash("x")).isEqualTo(key.hash("x"));
    assertThat(client.secrets().inNamespace(namespace).withName(secretName).get().getMetadata().getResourceVersion())
        .isEqualTo(stored.getMetadata().getResourceVersion());

    String realm = It.realmName("git-hmac");
    try (var repo = GitRepo.create(dir.resolve("repo"), "main")) {
      repo.write("realms/" + realm + ".json", It.file(realm, "{'realm':'REALM','identityProviders':[{'alias':'gh',"
          + "'providerId':'github','config':{'clientId':'x','clientSecret':'${env:REALM_IDP_SECRET}'}}]}")).commitAndPush("idp");
      var config = RealmSyncConfig.builder().git(GitSettings.of(repo.url(), "main", "realms")).keycloak(It.target())
          .port(0).interval(Duration.ofHours(1)).podNamespace(namespace).env(Map.of("REALM_IDP_SECRET", "idp-known-secret"))
          .ownershipKeySecret(secretName).build();
      try (var service = RealmSyncService.start(config, client)) {
        assertThat(service.syncNow().get(realm).ok()).isTrue();
      }
      String record = It.realm(realm).get("").at("/attributes").get(SyncState.ATTRIBUTE).asText();
      assertThat(record).contains(key.hash("idp-known-secret")).doesNotContain(Json.sha256("idp-known-secret"));
    }
  }
}
