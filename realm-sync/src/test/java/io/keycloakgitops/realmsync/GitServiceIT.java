package io.keycloakgitops.realmsync;

import static io.keycloakgitops.realmsync.It.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.service.DriftPolicy;
import io.keycloakgitops.realmsync.service.WebhookVerifier;
import io.keycloakgitops.realmsync.source.GitSettings;
import io.keycloakgitops.testsupport.GitRepo;
import io.keycloakgitops.testsupport.Listeners;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service against a real Git repository and the real Keycloak: commits, webhooks, broken files, drift. */
class GitServiceIT {
  private static final String WEBHOOK_SECRET = "webhook-secret";
  private static final String GITLAB_TOKEN = "gitlab-token";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path dir;

  private RealmSyncService start(GitRepo repo, Consumer<RealmSyncConfig.Builder> customize) {
    var builder = RealmSyncConfig.builder().git(GitSettings.of(repo.url(), "main", "realms").withCacheDir(dir.resolve("cache")))
        .keycloak(It.target()).port(0).interval(Duration.ofHours(1)).driftInterval(Duration.ofHours(1))
        .githubSecret(WEBHOOK_SECRET).gitlabToken(GITLAB_TOKEN).env(Map.of("REALM_WEB_SECRET", "web-secret-value"));
    customize.accept(builder);
    return RealmSyncService.start(builder.build());
  }

  private static String realmFile(String realm, String rootUrl) {
    return It.file(realm, "{'realm':'REALM','enabled':true,'clients':[{'clientId':'web','rootUrl':'" + rootUrl + "',"
        + "'secret':'${env:REALM_WEB_SECRET}'}],'roles':{'realm':[{'name':'reader'}]}}");
  }

  private static JsonNode realmStatus(RealmSyncService service, String realm) {
    return service.status().path("realms").path(realm);
  }

  private static HttpResponse<String> post(RealmSyncService service, String body, Map<String, String> headers)
      throws Exception {
    var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/hooks/git"))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String get(RealmSyncService service, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.managementPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void aCommitCreatesTheRealmAndASignedPushAppliesTheNextOne() throws Exception {
    String realm = It.realmName("webhook");
    try (var repo = GitRepo.create(dir.resolve("repo"), "main")) {
      String first = repo.write("realms/" + realm + ".json", realmFile(realm, "https://one")).commitAndPush("v1");
      try (var service = start(repo, b -> { })) {
        assertThat(service.syncNow().get(realm).ok()).isTrue();
        assertThat(realmStatus(service, realm).get("lastAppliedCommit").asText()).isEqualTo(first);
        assertThat(realmStatus(service, realm).get("result").asText()).isEqualTo("Synced");
        assertThat(client(realm, "web").get("rootUrl").asText()).isEqualTo("https://one");
        assertThat(Listeners.nonLoopback(ProcessHandle.current())).isEmpty();

        String second = repo.write("realms/" + realm + ".json", realmFile(realm, "https://two")).commitAndPush("v2");
        String body = "{\"ref\":\"refs/heads/main\",\"after\":\"" + second + "\"}";
        String fetchedBefore = service.status().at("/sources/git/lastFetch").asText();
        assertThat(post(service, body, Map.of("X-Hub-Signature-256", "sha256=0000")).statusCode()).isEqualTo(401);
        assertThat(post(service, body, Map.of()).statusCode()).isEqualTo(401);
        assertThat(post(service, body, Map.of("X-Gitlab-Token", "wrong")).statusCode()).isEqualTo(401);
        assertThat(service.status().at("/sources/git/lastFetch").asText()).as("nothing fetched").isEqualTo(fetchedBefore);
        assertThat(client(realm, "web").get("rootUrl").asText()).isEqualTo("https://one");

        String signature = "sha256=" + WebhookVerifier.sign(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8),
            body.getBytes(StandardCharsets.UTF_8));
        assertThat(post(service, body, Map.of("X-Hub-Signature-256", signature, "X-GitHub-Event", "push")).statusCode())
            .isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(realmStatus(service, realm).get("lastAppliedCommit").asText()).isEqualTo(second));
        assertThat(client(realm, "web").get("rootUrl").asText()).isEqualTo("https://two");
        assertThat(realmStatus(service, realm).at("/writes/updated").asInt()).isEqualTo(1);

        assertThat(post(service, "{\"ref\":\"refs/heads/other\"}", Map.of("X-Gitlab-Token", GITLAB_TOKEN)).body())
            .contains("ignored");
        assertThat(post(service, "{}", Map.of("X-Hub-Signature-256", "sha256=" + WebhookVerifier.sign(
            WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8)),
            "X-GitHub-Event", "ping")).statusCode()).isEqualTo(200);

        String statusJson = get(service, "/status");
        assertThat(statusJson).doesNotContain("web-secret-value");
        assertThat(get(service, "/metrics")).contains("realmsync_sync_duration_seconds", "realmsync_writes_total");
        assertThat(get(service, "/healthz")).isEqualTo("ok");
      }
    }
  }

  @Test
  void aBrokenFileFailsOnlyItsRealmWhichKeepsItsLastGoodState() {
    String good = It.realmName("good");
    String broken = It.realmName("broken");
    try (var repo = GitRepo.create(dir.resolve("repo"), "main")) {
      String first = repo.write("realms/" + good + ".json", realmFile(good, "https://one"))
          .write("realms/" + broken + ".json", realmFile(broken, "https://one")).commitAndPush("both");
      try (var service = start(repo, b -> { })) {
        assertThat(service.syncNow()).allSatisfy((realm, outcome) -> assertThat(outcome.ok()).isTrue());
        String second = repo.write("realms/" + good + ".json", realmFile(good, "https://two"))
            .write("realms/" + broken + ".json", "{\n  \"realm\": \"" + broken + "\",\n  \"clients\": [\n    {\"clientId\": 7}\n  ]\n}\n")
            .commitAndPush("break one");
        service.syncNow();
        JsonNode brokenStatus = realmStatus(service, broken);
        assertThat(brokenStatus.get("result").asText()).isEqualTo("Failed");
        assertThat(brokenStatus.get("error").asText()).startsWith("realms/" + broken + ".json:4: ").contains("clientId");
        assertThat(brokenStatus.get("lastAppliedCommit").asText()).isEqualTo(first);
        assertThat(brokenStatus.get("lastAttemptedCommit").asText()).isEqualTo(second);
        assertThat(client(broken, "web").get("rootUrl").asText()).isEqualTo("https://one");
        assertThat(realmStatus(service, good).get("lastAppliedCommit").asText()).isEqualTo(second);
        assertThat(client(good, "web").get("rootUrl").asText()).isEqualTo("https://two");

        String fixed = repo.write("realms/" + broken + ".json", realmFile(broken, "https://fixed")).commitAndPush("fix");
        service.syncNow();
        assertThat(realmStatus(service, broken).get("lastAppliedCommit").asText()).isEqualTo(fixed);
        assertThat(client(broken, "web").get("rootUrl").asText()).isEqualTo("https://fixed");
      }
    }
  }

  @Test
  void aForcePushedBranchIsFollowedBackwards() {
    String realm = It.realmName("force");
    try (var repo = GitRepo.create(dir.resolve("repo"), "main")) {
      String first = repo.write("realms/" + realm + ".json", realmFile(realm, "https://one")).commitAndPush("v1");
      try (var service = start(repo, b -> { })) {
        service.syncNow();
        repo.write("realms/" + realm + ".json", It.file(realm, "{'realm':'REALM','clients':[{'clientId':'web',"
            + "'rootUrl':'https://one','secret':'${env:REALM_WEB_SECRET}'},{'clientId':'extra'}],'roles':{'realm':[{'name':'reader'}]}}"))
            .commitAndPush("v2");
        service.syncNow();
        assertThat(client(realm, "extra")).isNotNull();

        repo.forcePushTo(first);
        assertThat(service.syncNow().get(realm).ok()).isTrue();
        assertThat(client(realm, "extra")).as("owned, and gone from the rewritten branch").isNull();
        assertThat(realmStatus(service, realm).get("lastAppliedCommit").asText()).isEqualTo(first);
      }
    }
  }

  @Test
  void consoleEditsAreRevertedOrOnlyReported() throws Exception {
    String reverted = It.realmName("revert");
    String reported = It.realmName("report");
    try (var repo = GitRepo.create(dir.resolve("repo"), "main");
         var other = GitRepo.create(dir.resolve("other"), "main")) {
      repo.write("realms/" + reverted + ".json", realmFile(reverted, "https://one")).commitAndPush("v1");
      other.write("realms/" + reported + ".json", realmFile(reported, "https://one")).commitAndPush("v1");
      try (var revert = start(repo, b -> b.driftInterval(Duration.ofMillis(1)));
           var report = start(other, b -> b.driftInterval(Duration.ofMillis(1)).drift(DriftPolicy.REPORT)
               .git(GitSettings.of(other.url(), "main", "realms").withCacheDir(dir.resolve("other-cache"))))) {
        revert.syncNow();
        report.syncNow();
        for (String realm : new String[] {reverted, reported}) {
          var api = It.realm(realm);
          String id = client(realm, "web").get("id").asText();
          var edited = (com.fasterxml.jackson.databind.node.ObjectNode) client(realm, "web");
          edited.put("rootUrl", "https://console-edit");
          api.put("/clients/" + id, edited);
        }
        revert.syncNow();
        report.syncNow();
        assertThat(client(reverted, "web").get("rootUrl").asText()).isEqualTo("https://one");
        assertThat(get(revert, "/metrics")).contains("realmsync_drift_detected_total{realm=\"" + reverted + "\"} 1.0");
        assertThat(client(reported, "web").get("rootUrl").asText()).isEqualTo("https://console-edit");
        assertThat(realmStatus(report, reported).get("result").asText()).isEqualTo("Drifted");
        assertThat(realmStatus(report, reported).get("driftChanges").asInt()).isEqualTo(1);
      }
    }
  }

  @Test
  void aRealmWhoseFileIsGoneLeavesTheStatusButStaysUnlessPruned() {
    String realm = It.realmName("gone");
    try (var repo = GitRepo.create(dir.resolve("repo"), "main")) {
      repo.write("realms/" + realm + ".json", realmFile(realm, "https://one"))
          .write("realms/keep-" + realm + ".json", realmFile("keep-" + realm, "https://one")).commitAndPush("v1");
      try (var service = start(repo, b -> { })) {
        service.syncNow();
        repo.delete("realms/" + realm + ".json").commitAndPush("remove");
        service.syncNow();
        assertThat(service.status().path("realms").has(realm)).isFalse();
        assertThat(It.realm(realm).find("")).as("realm prune policy defaults to no-delete").isPresent();
      }
      try (var pruning = start(repo, b -> b.sync(new RealmSyncer.Options(
          io.keycloakgitops.realmsync.engine.PrunePolicy.parse("realm=full"), 10, "other-source")))) {
        pruning.syncNow();
        assertThat(It.realm(realm).find("")).as("created by another source").isPresent();
      }
      // No --source-id: the repository's own id, the one the first service recorded.
      try (var pruning = start(repo, b -> b.sync(new RealmSyncer.Options(
          io.keycloakgitops.realmsync.engine.PrunePolicy.parse("realm=full"), 10, null)))) {
        pruning.syncNow();
        assertThat(It.realm(realm).find("")).isEmpty();
        assertThat(It.realm("keep-" + realm).find("")).isPresent();
      }
    }
  }

  @Test
  void statusAndMetricsAreServedOnTheManagementPortOnlyAndTheHookPortServesOnlyThePushHook() throws Exception {
    String realm = It.realmName("ports");
    try (var repo = GitRepo.create(dir.resolve("repo"), "main")) {
      repo.write("realms/" + realm + ".json", realmFile(realm, "https://one")).commitAndPush("v1");
      try (var service = start(repo, b -> { })) {
        service.syncNow();
        assertThat(service.managementPort()).isNotEqualTo(service.port());
        for (String path : java.util.List.of("/status", "/metrics", "/healthz", "/readyz")) {
          var onHook = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path)).build(),
              HttpResponse.BodyHandlers.ofString());
          assertThat(onHook.statusCode()).as("GET %s on the hook port", path).isEqualTo(404);
          assertThat(onHook.body()).doesNotContain(realm);
          var onManagement = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + service.managementPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
          assertThat(onManagement.statusCode()).as("GET %s on the management port", path).isEqualTo(200);
        }
        assertThat(get(service, "/status")).contains(realm);
        var push = post(service, "{\"ref\":\"refs/heads/main\"}", Map.of("X-Gitlab-Token", GITLAB_TOKEN));
        assertThat(push.statusCode()).isEqualTo(202);
        assertThat(Listeners.nonLoopback(ProcessHandle.current())).isEmpty();
      }
    }
  }

  /** A Git server that refuses every credential, as GitHub does for a revoked token. */
  @Test
  void aTokenInTheRepositoryUrlAppearsNowhereWhenTheFetchFails() throws Exception {
    String token = "ghp_" + java.util.UUID.randomUUID().toString().replace("-", "");
    var server = new RefusingGitServer();
    var root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    var logs = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    logs.start();
    root.addAppender(logs);
    String url = server.url(token);
    String withPassword = server.url("x-access-token:" + token);
    try {
      for (String repoUrl : java.util.List.of(url, withPassword)) {
        var settings = GitSettings.of(repoUrl, "main", "realms").withCacheDir(dir.resolve("cache-" + repoUrl.length()));
        try (var service = RealmSyncService.start(RealmSyncConfig.builder().git(settings).keycloak(It.target())
            .port(0).interval(Duration.ofHours(1)).build())) {
          service.syncNow();
          String status = get(service, "/status");
          assertThat(status).as("the fetch failed and says so").contains("\"error\"").contains("cannot fetch");
          assertThat(status).contains(server.hostAndPath());
          assertThat(status).doesNotContain(token);
          assertThat(service.status().toString()).doesNotContain(token);
          assertThat(get(service, "/metrics")).doesNotContain(token);
        }
        var error = org.assertj.core.api.Assertions.catchThrowable(() -> {
          try (var source = new io.keycloakgitops.realmsync.source.GitSource(settings)) {
            source.fetch();
          }
        });
        assertThat(error).isInstanceOf(io.keycloakgitops.realmsync.source.SourceException.class);
        assertThat(error.getMessage()).doesNotContain(token);
        assertThat(error.getCause()).as("no cause that a logger would print with the URL").isNull();
      }
      assertThat(logs.list).as("the failed fetch was logged").anyMatch(e -> e.getFormattedMessage().contains("cannot fetch"));
      for (var event : logs.list) {
        assertThat(event.getFormattedMessage() + event.getKeyValuePairs()
            + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage())).doesNotContain(token);
      }
    } finally {
      root.detachAppender(logs);
      server.close();
    }
  }
}
