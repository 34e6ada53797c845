package io.keycloakgitops.realmsync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.engine.PlanPrinter;
import io.keycloakgitops.realmsync.engine.PrunePolicy;
import io.keycloakgitops.realmsync.keycloak.KeycloakAdmin;
import io.keycloakgitops.realmsync.source.DesiredRealm;
import io.keycloakgitops.realmsync.source.GitSettings;
import io.keycloakgitops.realmsync.source.RealmDocument;
import io.keycloakgitops.realmsync.source.SourceIds;
import io.keycloakgitops.testsupport.GitRepo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exact rollback: after commit A then commit B — which adds, changes and deletes objects of every type realm-sync
 * manages, rebinds the browser flow and changes a client's default and optional scopes — {@code git revert B},
 * applied by the service, returns the realm to A: a full plan of A's tree against the server is empty.
 */
class RollbackIT {
  private static final Map<String, String> ENV = Map.of("REALM_SMTP_PASSWORD", "smtp-pass-1", "REALM_API_SECRET", "api-secret-1",
      "REALM_ALICE_PASSWORD", "alice-pass-1", "REALM_IDP_SECRET", "idp-secret-1", "REALM_IDP_SECRET_V2", "idp-secret-2");

  /**
   * A: lifecycle-v1 plus one object of each prunable type that B (lifecycle-v2) no longer declares, so that B
   * deletes as well as adds (mobile, extra, auditor, api-reader, contractors, bob, partner, extra-aes, an execution)
   * and changes (settings, SMTP, mappers, redirect URIs, default/optional scopes, composites, memberships, role
   * mappings, IdP config and mapper, execution requirements, authenticator config, browser flow binding, required
   * action, component config, scope mappings).
   */
  private static String commitA(String realm) {
    ObjectNode a = (ObjectNode) Json.read(It.resource(realm, "lifecycle-v1.json"));
    ((ArrayNode) a.get("clients")).add(Json.read("{\"clientId\":\"legacy\",\"redirectUris\":[\"https://legacy/*\"]}"));
    ((ArrayNode) a.get("clientScopes")).add(Json.read("{\"name\":\"old-scope\",\"protocol\":\"openid-connect\"}"));
    ((ArrayNode) a.at("/roles/realm")).add(Json.read("{\"name\":\"old-role\"}"));
    ((ArrayNode) a.at("/roles/client/api")).add(Json.read("{\"name\":\"old-admin\"}"));
    ((ArrayNode) a.get("groups")).add(Json.read("{\"name\":\"old-group\",\"subGroups\":[{\"name\":\"old-sub\"}]}"));
    ((ArrayNode) a.get("users")).add(Json.read(
        "{\"username\":\"carol\",\"enabled\":true,\"groups\":[\"/old-group/old-sub\"],\"realmRoles\":[\"old-role\"]}"));
    ((ArrayNode) a.get("identityProviders")).add(Json.read("{\"alias\":\"old-idp\",\"providerId\":\"oidc\",\"enabled\":true,"
        + "\"config\":{\"clientId\":\"o\",\"clientSecret\":\"o-secret\",\"authorizationUrl\":\"https://o/auth\",\"tokenUrl\":\"https://o/token\"}}"));
    ((ArrayNode) a.get("identityProviderMappers")).add(Json.read("{\"name\":\"old-mapper\",\"identityProviderAlias\":\"old-idp\","
        + "\"identityProviderMapper\":\"oidc-hardcoded-role-idp-mapper\",\"config\":{\"role\":\"old-role\",\"syncMode\":\"INHERIT\"}}"));
    ((ArrayNode) a.get("authenticationFlows")).add(Json.read("{\"alias\":\"old-flow\",\"providerId\":\"basic-flow\",\"topLevel\":true,"
        + "\"builtIn\":false,\"authenticationExecutions\":[{\"authenticator\":\"auth-cookie\",\"requirement\":\"ALTERNATIVE\",\"priority\":10}]}"));
    ((ArrayNode) a.at("/components/org.keycloak.keys.KeyProvider")).add(Json.read(
        "{\"name\":\"old-aes\",\"providerId\":\"aes-generated\",\"config\":{\"priority\":[\"30\"]}}"));
    return Json.writePretty(a);
  }

  @Test
  void revertingACommitRestoresTheRealmExactly(@TempDir Path dir) {
    String realm = It.realmName("rollback");
    String path = "realms/" + realm + ".json";
    String a = commitA(realm);
    try (var repo = GitRepo.create(dir.resolve("repo"), "main");
         var connection = KeycloakAdmin.connect(It.target());
         var service = RealmSyncService.start(RealmSyncConfig.builder().git(GitSettings.of(repo.url(), "main", "realms"))
             .keycloak(It.target()).port(0).managementPort(0).interval(Duration.ofHours(1)).env(ENV).build())) {
      String commitA = repo.write(path, a).commitAndPush("A");
      assertThat(service.syncNow().get(realm).error()).as("apply of A").isNull();

      String commitB = repo.write(path, It.resource(realm, "lifecycle-v2.json")).commitAndPush("B");
      var b = service.syncNow().get(realm);
      assertThat(b.error()).as("apply of B").isNull();
      assertThat(b.deleted()).as("B deletes objects of every prunable type").isGreaterThanOrEqualTo(9);
      assertThat(It.client(realm, "legacy")).isNull();
      assertThat(It.realm(realm).get("").get("browserFlow").asText()).isEqualTo("browser");

      var revert = repo.gitCli("revert", "--no-edit", commitB);
      assertThat(revert.ok()).as(revert.toString()).isTrue();
      assertThat(repo.gitCli("diff", "--quiet", commitA, "HEAD").ok()).as("the revert's tree is A's tree").isTrue();
      assertThat(repo.gitCli("push", "origin", "main").ok()).isTrue();
      var reverted = service.syncNow().get(realm);
      assertThat(reverted.error()).as("apply of the revert").isNull();

      var syncer = new RealmSyncer(connection, new RealmSyncer.Options(PrunePolicy.defaults(), 10,
          SourceIds.git(GitSettings.of(repo.url(), "main", "realms"))));
      DesiredRealm desiredA = DesiredRealm.load(new RealmDocument(realm, path, a), It.policy(ENV).create());
      var planned = syncer.plan(desiredA);
      assertThat(planned.plan().isEmpty()).as(PlanPrinter.text(planned.plan(), planned.secrets())).isTrue();
      assertThat(It.client(realm, "legacy")).isNotNull();
      assertThat(It.user(realm, "carol")).isNotNull();
      assertThat(It.realm(realm).get("").get("browserFlow").asText()).isEqualTo("custom-browser");
    }
  }
}
