package io.keycloakgitops.realmsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.source.GitSettings;
import io.keycloakgitops.testsupport.GitRepo;
import io.keycloakgitops.testsupport.KeycloakServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keycloak stops in the middle of a sync and comes back. Its dev-mode database lives in memory, so the restarted
 * server has lost the realm altogether: the next sync must rebuild it completely and report success, after the
 * interrupted one reported failure.
 */
class KeycloakRestartIT {
  private static final int USERS = 600;

  @Test
  void aSyncInterruptedByAnOutageConvergesOnceKeycloakIsBack(@TempDir Path dir) {
    String realm = It.realmName("restart");
    var users = Json.array();
    for (int i = 0; i < USERS; i++) {
      users.addObject().put("username", "user-" + i).put("enabled", true).put("email", "user-" + i + "@example.com");
    }
    var file = Json.object().put("realm", realm).put("enabled", true);
    file.putArray("clients").addObject().put("clientId", "web");
    file.set("users", users);
    var keycloak = KeycloakServer.shared();
    try (var repo = GitRepo.create(dir.resolve("repo"), "main")) {
      String commit = repo.write("realms/" + realm + ".json", Json.writePretty(file)).commitAndPush("big realm");
      var config = RealmSyncConfig.builder().git(GitSettings.of(repo.url(), "main", "realms"))
          .keycloak(It.target()).port(0).interval(Duration.ofHours(1)).build();
      try (var service = RealmSyncService.start(config)) {
        // The first round starts with the service; stop Keycloak as soon as the realm exists, while users are loading.
        await().pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(60))
            .until(() -> It.realm(realm).find("").isPresent());
        keycloak.stop();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
          var status = service.status().path("realms").path(realm);
          assertThat(status.path("result").asText()).isEqualTo("Failed");
          assertThat(status.path("error").asText()).contains("unreachable");
        });
        keycloak.start();

        var outcome = service.syncNow().get(realm);
        assertThat(outcome.ok()).as(String.valueOf(outcome.error())).isTrue();
        assertThat(It.realm(realm).get("/users/count").asInt()).isEqualTo(USERS);
        assertThat(It.client(realm, "web")).isNotNull();
        var status = service.status().path("realms").path(realm);
        assertThat(status.path("result").asText()).isEqualTo("Synced");
        assertThat(status.path("lastAppliedCommit").asText()).isEqualTo(commit);
        assertThat(service.syncNow().get(realm).total()).as("converged: nothing left to write").isZero();
      }
    } finally {
      keycloak.start();
    }
  }
}
