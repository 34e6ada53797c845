package io.keycloakgitops.realmsync;

import static io.keycloakgitops.realmsync.It.client;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.testsupport.GitRepo;
import io.keycloakgitops.testsupport.KeycloakServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable jar as users run it: plan, apply and export, their output and exit codes. */
class CliIT {
  @TempDir
  Path dir;

  private CliRun cli(Map<String, String> extraEnv, String... args) throws IOException, InterruptedException {
    return CliRun.jar(dir, extraEnv, args);
  }

  private CliRun cli(String... args) throws IOException, InterruptedException {
    return cli(Map.of(), args);
  }

  private static List<String> lines(String text) {
    return text.lines().toList();
  }

  @Test
  void planShowsPendingChangesWithExitCodesAndApplyReportsItsWrites() throws Exception {
    String realm = It.realmName("cli");
    Path realms = Files.createDirectories(dir.resolve("realms"));
    Files.writeString(realms.resolve(realm + ".json"), It.file(realm,
        "{'realm':'REALM','clients':[{'clientId':'web','rootUrl':'https://one','secret':'${env:REALM_WEB_SECRET}'}]}"));
    var env = Map.of("REALM_WEB_SECRET", "cli-secret-value");

    CliRun missing = cli(env, "plan", "--dir", realms.toString());
    assertThat(missing.exitCode()).as(missing.err()).isEqualTo(2);
    assertThat(missing.out()).contains("realm " + realm + ": does not exist");

    CliRun applied = cli(env, "apply", "--dir", realms.toString());
    assertThat(applied.exitCode()).as(applied.err()).isZero();
    assertThat(lines(applied.out()).getLast()).matches("realm " + realm + ": \\d+ created, \\d+ updated, 0 deleted in \\d+ ms");
    assertThat(applied.out() + applied.err()).doesNotContain("cli-secret-value");

    CliRun clean = cli(env, "plan", "--dir", realms.toString());
    assertThat(clean.exitCode()).as(clean.out() + clean.err()).isZero();
    assertThat(clean.out()).contains("realm " + realm + ": no changes");

    Files.writeString(realms.resolve(realm + ".json"), It.file(realm,
        "{'realm':'REALM','clients':[{'clientId':'web','rootUrl':'https://two','secret':'${env:REALM_WEB_SECRET}'}]}"));
    CliRun pending = cli(env, "plan", "--dir", realms.toString(), "--output", "json");
    assertThat(pending.exitCode()).isEqualTo(2);
    var json = Json.read(pending.out());
    assertThat(json.at("/realms/0/changes/0/key").asText()).isEqualTo("web");
    assertThat(json.at("/realms/0/changes/0/fields/0/after").asText()).isEqualTo("https://two");

    CliRun update = cli(env, "apply", "--dir", realms.toString());
    assertThat(lines(update.out()).getLast()).matches("realm " + realm + ": 0 created, 1 updated, 0 deleted in \\d+ ms");
    assertThat(client(realm, "web").get("rootUrl").asText()).isEqualTo("https://two");
  }

  @Test
  void errorsExitWithOneAndTheOtherRealmsStillApply() throws Exception {
    String good = It.realmName("cli-good");
    String bad = It.realmName("cli-bad");
    Path realms = Files.createDirectories(dir.resolve("realms"));
    Files.writeString(realms.resolve(good + ".json"), It.file(good, "{'realm':'REALM','displayName':'Good'}"));
    Files.writeString(realms.resolve(bad + ".json"), "{\n  \"realm\": \"" + bad + "\",\n  \"enabled\": \"yes\"\n}\n");

    CliRun plan = cli("plan", "--dir", realms.toString());
    assertThat(plan.exitCode()).isEqualTo(1);
    assertThat(plan.err()).contains(realms.resolve(bad + ".json") + ":3: ");

    CliRun apply = cli("apply", "--dir", realms.toString());
    assertThat(apply.exitCode()).isEqualTo(1);
    assertThat(lines(apply.out())).anyMatch(l -> l.startsWith("realm " + good + ": ") && l.contains(" created, "))
        .anyMatch(l -> l.startsWith("realm " + bad + ": FAILED"));
    assertThat(It.realm(good).find("")).isPresent();
    assertThat(It.realm(bad).find("")).isEmpty();

    CliRun unreachable = cli(Map.of("KEYCLOAK_URL", "http://127.0.0.1:1"), "apply", "--dir", realms.toString());
    assertThat(unreachable.exitCode()).isEqualTo(1);
    assertThat(unreachable.out()).contains("unreachable");

    CliRun usage = cli("plan", "--dir", realms.toString(), "--no-such-flag");
    assertThat(usage.exitCode()).isEqualTo(1);
  }

  @Test
  void exportBootstrapsARepositoryThatPlansCleanFromGit() throws Exception {
    String realm = It.realmName("cli-export");
    Path realms = Files.createDirectories(dir.resolve("realms"));
    Files.writeString(realms.resolve(realm + ".json"), It.resource(realm, "lifecycle-v1.json"));
    var env = Map.of("REALM_SMTP_PASSWORD", "s", "REALM_API_SECRET", "a", "REALM_ALICE_PASSWORD", "p", "REALM_IDP_SECRET", "i");
    assertThat(cli(env, "apply", "--dir", realms.toString()).exitCode()).isZero();

    try (var repo = GitRepo.create(dir.resolve("git"), "main")) {
      Path exported = repo.workDir().resolve("realms").resolve(realm + ".json");
      Files.createDirectories(exported.getParent());
      CliRun export = cli("export", "--realm", realm, "--out", exported.toString());
      assertThat(export.exitCode()).as(export.err()).isZero();
      assertThat(Files.readString(exported)).doesNotContain("\"id\"", "api-secret").contains("\"clientId\" : \"web\"");
      repo.commitAndPush("bootstrap from export");

      CliRun plan = cli("plan", "--repo", repo.url(), "--branch", "main", "--path", "realms");
      assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
      assertThat(plan.out()).contains("realm " + realm + ": no changes");
    }
    assertThat(cli("export", "--realm", "no-such-realm").exitCode()).isEqualTo(1);
  }

  @Test
  void helpListsTheCommands() throws Exception {
    CliRun help = cli("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("run", "apply", "plan", "export");
  }

  /** A Git server that refuses every credential: the token given as the URL's user info is in no output. */
  @Test
  void aTokenInTheRepositoryUrlIsInNoOutputWhenTheFetchFails() throws Exception {
    String token = "ghp_" + java.util.UUID.randomUUID().toString().replace("-", "");
    try (var server = new RefusingGitServer()) {
      CliRun plan = cli("plan", "--repo", server.url(token), "--branch", "main", "--path", "realms");
      assertThat(plan.exitCode()).isEqualTo(1);
      assertThat(plan.err()).contains("cannot fetch http://" + server.hostAndPath());
      assertThat(plan.out() + plan.err()).doesNotContain(token);
    }
  }

  // ---- authority: what a realm file's author can make realm-sync do -----------------------------------------------

  @Test
  void placeholdersReadOnlyWhatTheFilesAuthorMayAndARefusalWritesNothing() throws Exception {
    String fromFile = It.realmName("cli-file");
    String fromHome = It.realmName("cli-home");
    String fromPrefix = It.realmName("cli-prefix");
    Path realms = Files.createDirectories(dir.resolve("realms"));
    Files.writeString(realms.resolve(fromFile + ".json"), It.file(fromFile, "{'realm':'REALM','displayName':'${file:/etc/hostname}'}"));
    Files.writeString(realms.resolve(fromHome + ".json"), It.file(fromHome, "{'realm':'REALM','displayName':'${env:HOME}'}"));
    Files.writeString(realms.resolve(fromPrefix + ".json"), It.file(fromPrefix, "{'realm':'REALM','displayName':'${env:REALM_X}'}"));

    CliRun apply = cli(Map.of("REALM_X", "allowed-by-prefix"), "apply", "--dir", realms.toString());
    assertThat(apply.exitCode()).as(apply.out() + apply.err()).isEqualTo(1);
    assertThat(apply.err()).contains("${file:/etc/hostname} is refused: no placeholder folder is configured",
        "${env:HOME} is refused: only variables starting with REALM_");
    assertThat(lines(apply.out())).anyMatch(l -> l.startsWith("realm " + fromFile + ": FAILED"))
        .anyMatch(l -> l.startsWith("realm " + fromHome + ": FAILED"));
    assertThat(It.realm(fromFile).find("")).isEmpty();
    assertThat(It.realm(fromHome).find("")).isEmpty();
    assertThat(It.realm(fromPrefix).get("").get("displayName").asText()).isEqualTo("allowed-by-prefix");
    assertThat(apply.out() + apply.err()).doesNotContain(System.getenv("HOME") + "\"");

    // Inside the configured folder a file is fine; a symlink out of it is not.
    Path placeholders = Files.createDirectories(dir.resolve("placeholders"));
    Files.writeString(placeholders.resolve("name"), "from-the-folder\n");
    Files.createSymbolicLink(placeholders.resolve("host"), Path.of("/etc/hostname"));
    Files.delete(realms.resolve(fromHome + ".json"));
    Files.writeString(realms.resolve(fromFile + ".json"), It.file(fromFile, "{'realm':'REALM','displayName':'${file:name}'}"));
    Files.writeString(realms.resolve(fromPrefix + ".json"), It.file(fromPrefix, "{'realm':'REALM','displayName':'${file:host}'}"));
    CliRun folder = cli(Map.of(), "apply", "--dir", realms.toString(), "--placeholder-dir", placeholders.toString());
    assertThat(folder.exitCode()).isEqualTo(1);
    assertThat(folder.err()).contains("${file:host} is refused: it is not inside the placeholder folder");
    assertThat(It.realm(fromFile).get("").get("displayName").asText()).isEqualTo("from-the-folder");
    assertThat(It.realm(fromPrefix).get("").get("displayName").asText()).isEqualTo("allowed-by-prefix");
  }

  @Test
  void anExecutableRealmFileIsAppliedAndAnUnreadableOneIsNeverPruned() throws Exception {
    String realm = It.realmName("cli-exec");
    String linked = It.realmName("cli-link");
    try (var repo = GitRepo.create(dir.resolve("git"), "main")) {
      repo.write("realms/" + realm + ".json", It.file(realm, "{'realm':'REALM','displayName':'one'}"))
          .write("realms/" + linked + ".json", It.file(linked, "{'realm':'REALM','displayName':'linked'}"));
      repo.commitAndPush("two realms");
      String[] apply = {"apply", "--repo", repo.url(), "--branch", "main", "--path", "realms", "--prune", "realm=full",
          "--source-id", "exec-test"};
      assertThat(cli(apply).exitCode()).isZero();

      // Mode 100755, and the other realm's file replaced by a symlink: neither realm may be taken for deleted.
      repo.write("realms/" + realm + ".json", It.file(realm, "{'realm':'REALM','displayName':'two'}"));
      Files.delete(repo.workDir().resolve("realms/" + linked + ".json"));
      Files.createSymbolicLink(repo.workDir().resolve("realms/" + linked + ".json"), Path.of(realm + ".json"));
      assertThat(repo.gitCli("add", "-A").exitCode()).isZero();
      assertThat(repo.gitCli("update-index", "--chmod=+x", "realms/" + realm + ".json").exitCode()).isZero();
      assertThat(repo.gitCli("commit", "-m", "executable bit").exitCode()).isZero();
      assertThat(repo.gitCli("push", "origin", "main").exitCode()).isZero();
      assertThat(repo.gitCli("ls-tree", "HEAD", "realms/").stdout()).contains("100755 blob").contains("120000 blob");

      CliRun again = cli(apply);
      assertThat(again.exitCode()).as(again.out() + again.err()).isEqualTo(1);
      assertThat(again.err()).contains("realms/" + linked + ".json: cannot be read: not a regular file");
      assertThat(It.realm(realm).get("").get("displayName").asText()).isEqualTo("two");
      assertThat(It.realm(linked).get("").get("displayName").asText()).isEqualTo("linked");
      assertThat(again.out()).doesNotContain("deleted (its file is gone)");
    }
  }

  @Test
  void theDeletionGuardStopsACommitThatRemovesThirtyClientsUntilAllowed() throws Exception {
    String realm = It.realmName("cli-guard");
    var clients = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      clients.append(i == 0 ? "" : ",").append("{'clientId':'app-").append(i).append("'}");
    }
    try (var repo = GitRepo.create(dir.resolve("git"), "main")) {
      repo.write("realms/" + realm + ".json", It.file(realm, "{'realm':'REALM','clients':[" + clients + "]}"));
      repo.commitAndPush("thirty clients");
      String[] apply = {"apply", "--repo", repo.url(), "--branch", "main", "--path", "realms"};
      assertThat(cli(apply).exitCode()).isZero();
      assertThat(appClients(realm)).isEqualTo(30);

      repo.write("realms/" + realm + ".json", It.file(realm, "{'realm':'REALM','displayName':'emptied','clients':[]}"));
      repo.commitAndPush("oops: every client gone");
      CliRun stopped = cli(apply);
      assertThat(stopped.exitCode()).isEqualTo(1);
      assertThat(stopped.out()).contains("stopped before writing anything: 30 objects would be deleted, more than "
          + "--max-deletions 25", "- client \"app-0\"", "--allow-deletions");
      assertThat(appClients(realm)).isEqualTo(30);
      assertThat(It.realm(realm).get("").path("displayName").asText()).isNotEqualTo("emptied");

      CliRun plan = cli("plan", "--repo", repo.url(), "--branch", "main", "--path", "realms");
      assertThat(plan.exitCode()).isEqualTo(2);
      assertThat(plan.out()).contains("! apply would stop: 30 deletions exceed --max-deletions 25");

      CliRun allowed = cli(Map.of("ALLOW_DELETIONS", "true"), apply);
      assertThat(allowed.exitCode()).as(allowed.out() + allowed.err()).isZero();
      assertThat(appClients(realm)).isZero();
      assertThat(It.realm(realm).get("").get("displayName").asText()).isEqualTo("emptied");
    }
  }

  private static long appClients(String realm) {
    var count = 0L;
    for (var client : It.realm(realm).get("/clients")) {
      count += client.get("clientId").asText().startsWith("app-") ? 1 : 0;
    }
    return count;
  }

  @Test
  void theLoginUserAndMasterAdminsAreNeverDeleted() throws Exception {
    var keycloak = KeycloakServer.shared();
    String plain = It.realmName("plain-user");
    String breakGlass = It.realmName("break-glass");
    String group = It.realmName("admins");
    Path realms = Files.createDirectories(dir.resolve("realms"));
    Files.writeString(realms.resolve("master.json"), It.file("master", "{'realm':'master','users':[{'username':'"
        + keycloak.adminUser() + "'},{'username':'" + plain + "'},{'username':'" + breakGlass + "','groups':['/" + group + "']}]}"));
    var master = It.realm("master");
    String groupId = master.post("/groups", Json.object().put("name", group));
    JsonNode adminRole = master.get("/roles/admin");
    master.post("/groups/" + groupId + "/role-mappings/realm", Json.array().add(adminRole));
    try {
      CliRun adopt = cli("apply", "--dir", realms.toString());
      assertThat(adopt.exitCode()).as(adopt.out() + adopt.err()).isZero();
      assertThat(It.user("master", breakGlass)).isNotNull();

      Files.writeString(realms.resolve("master.json"), "{\"realm\":\"master\",\"users\":[]}");
      CliRun removed = cli("apply", "--dir", realms.toString());
      assertThat(removed.exitCode()).as(removed.out() + removed.err()).isZero();
      assertThat(removed.out()).contains("user \"" + keycloak.adminUser() + "\" is no longer declared but never deleted: "
          + "realm-sync logs in with it", "user \"" + breakGlass + "\" is no longer declared but never deleted: it holds "
          + "the master realm's admin role");
      assertThat(It.user("master", keycloak.adminUser())).isNotNull();
      assertThat(It.user("master", breakGlass)).isNotNull();
      assertThat(It.user("master", plain)).as("an ordinary owned user still goes").isNull();
      assertThat(cli("plan", "--dir", realms.toString()).out()).contains("realm master: no changes");
    } finally {
      var user = It.user("master", breakGlass);
      if (user != null) {
        master.delete("/users/" + user.get("id").asText());
      }
      master.delete("/groups/" + groupId);
    }
  }
}
