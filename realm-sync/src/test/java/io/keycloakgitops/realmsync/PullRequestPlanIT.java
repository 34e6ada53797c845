package io.keycloakgitops.realmsync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.engine.SecretPolicy;
import io.keycloakgitops.testsupport.GitRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plans for pull requests with the runnable jar: a branch, tag or commit planned without a checkout, in markdown and
 * in JSON valid against plan-schema.json, and examples/ci/plan-pr.sh run as CI runs it.
 */
class PullRequestPlanIT {
  private static final String SECRET = "pr-secret-value-42";

  @TempDir
  Path dir;

  private CliRun run(List<String> command, Path workDir, Map<String, String> extraEnv)
      throws IOException, InterruptedException {
    var env = new HashMap<>(Map.of("REALM_WEB_SECRET", SECRET));
    env.putAll(extraEnv);
    return CliRun.command(dir, workDir, env, command);
  }

  private static List<String> java() {
    return CliRun.realmSyncJar();
  }

  private CliRun cli(Map<String, String> env, String... args) throws IOException, InterruptedException {
    var command = new ArrayList<>(java());
    command.addAll(List.of(args));
    return run(command, Path.of("").toAbsolutePath(), env);
  }

  private static String mainFile(String realm) {
    return It.file(realm, "{'realm':'REALM','enabled':true,'clients':[{'clientId':'web','rootUrl':'https://one'},"
        + "{'clientId':'old-app','rootUrl':'https://old'}]}");
  }

  private static String prFile(String realm) {
    return It.file(realm, "{'realm':'REALM','enabled':true,'clients':[{'clientId':'web','rootUrl':'https://two',"
        + "'secret':'${env:REALM_WEB_SECRET}'},{'clientId':'api','rootUrl':'https://api'}]}");
  }

  /** main applied, branch {@code feature} pushed with one update (a secret among it), one create and one delete. */
  private String prepare(GitRepo repo, String realm) throws Exception {
    String main = repo.write("realms/" + realm + ".json", mainFile(realm)).commitAndPush("realm");
    CliRun applied = cli(Map.of(), "apply", "--repo", repo.url(), "--branch", "main", "--path", "realms");
    assertThat(applied.exitCode()).as(applied.out() + applied.err()).isZero();
    assertThat(repo.gitCli("checkout", "-b", "feature").ok()).isTrue();
    repo.write("realms/" + realm + ".json", prFile(realm));
    assertThat(repo.gitCli("commit", "-am", "rotate web, add api, drop old-app").ok()).isTrue();
    assertThat(repo.gitCli("push", "origin", "feature").ok()).isTrue();
    return main;
  }

  @Test
  void aBranchIsPlannedWithoutCheckoutAsSchemaValidJsonAndAsMarkdownWithSecretsMasked() throws Exception {
    String realm = It.realmName("pr");
    try (var repo = GitRepo.create(dir.resolve("git"), "main")) {
      String main = prepare(repo, realm);
      String feature = repo.gitCli("rev-parse", "HEAD").stdout().trim();

      CliRun json = cli(Map.of(), "plan", "--repo", repo.url(), "--ref", "feature", "--path", "realms", "--format", "json");
      assertThat(json.exitCode()).as(json.err()).isEqualTo(2);
      JsonNode plan = Json.read(json.out());
      JsonSchema schema;
      try (var in = getClass().getResourceAsStream("/plan-schema.json")) {
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
      }
      assertThat(schema.validate(plan)).isEmpty();
      assertThat(plan.get("formatVersion").asInt()).isEqualTo(1);
      assertThat(plan.get("revision").asText()).isEqualTo(feature);
      assertThat(plan.get("exitCode").asInt()).isEqualTo(2);
      assertThat(plan.get("status").asText()).isEqualTo("changes");
      JsonNode entry = plan.at("/realms/0");
      assertThat(entry.get("realm").asText()).isEqualTo(realm);
      assertThat(entry.get("summary")).isEqualTo(Json.read("{\"create\":1,\"update\":1,\"delete\":1}"));
      assertThat(entry.get("deletionGuard").isNull()).isTrue();
      assertThat(json.out()).doesNotContain(SECRET).contains(SecretPolicy.MASK);

      CliRun markdown = cli(Map.of("MAX_DELETIONS", "0"), "plan", "--repo", repo.url(), "--ref", "feature", "--path", "realms",
          "--format", "markdown");
      assertThat(markdown.exitCode()).as(markdown.err()).isEqualTo(2);
      assertThat(markdown.out()).doesNotContain(SECRET)
          .startsWith("## realm-sync plan\n\n**Changes pending**")
          .contains("### Realm `" + realm + "`", "| 1 | 1 | 1 |", "**Deletion guard:**", "- `- client \"old-app\"`",
              "- `+ client \"api\"`", "- `rootUrl`: `\"https://one\"` → `\"https://two\"`",
              "- `secret`: ");
      assertThat(markdown.out().lines().filter(l -> l.contains("- `secret`: ")).findFirst().orElseThrow())
          .endsWith("→ `" + SecretPolicy.MASK + "`");
      assertThat(markdown.out().indexOf("#### Deletions")).isLessThan(markdown.out().indexOf("#### client"));

      // A tag and a commit id of main: what is live already; nothing was checked out or applied meanwhile.
      assertThat(repo.gitCli("tag", "v1", main).ok()).isTrue();
      assertThat(repo.gitCli("push", "origin", "v1").ok()).isTrue();
      for (String ref : List.of("v1", main, main.substring(0, 10))) {
        CliRun clean = cli(Map.of(), "plan", "--repo", repo.url(), "--ref", ref, "--path", "realms");
        assertThat(clean.exitCode()).as(ref + ": " + clean.out() + clean.err()).isZero();
        assertThat(clean.out()).contains("realm " + realm + ": no changes");
      }
      assertThat(It.client(realm, "web").get("rootUrl").asText()).isEqualTo("https://one");

      assertThat(repo.gitCli("push", "origin", "feature:refs/pull/7/head").ok()).isTrue();
      CliRun pullRef = cli(Map.of(), "plan", "--repo", repo.url(), "--ref", "refs/pull/7/head", "--path", "realms");
      assertThat(pullRef.exitCode()).as(pullRef.out() + pullRef.err()).isEqualTo(2);
      assertThat(pullRef.out()).contains("realm " + realm + ": 1 to create, 1 to update, 1 to delete");

      CliRun unknown = cli(Map.of(), "plan", "--repo", repo.url(), "--ref", "no-such-branch", "--path", "realms");
      assertThat(unknown.exitCode()).isEqualTo(1);
      assertThat(unknown.err()).contains("ref no-such-branch not found in " + repo.url());
    }
  }

  /**
   * {@code --since}: what CI runs on a merge. Only objects whose declaration changed since the given commit are read
   * and compared, so drift elsewhere stays until a full run, which is what catches it.
   */
  @Test
  void applySinceTheLastAppliedCommitComparesOnlyWhatChanged() throws Exception {
    String realm = It.realmName("since");
    String other = It.realmName("since-other");
    try (var repo = GitRepo.create(dir.resolve("git"), "main")) {
      repo.write("realms/" + other + ".json", It.file(other, "{'realm':'REALM','enabled':true}"));
      String applied = repo.write("realms/" + realm + ".json", It.file(realm, "{'realm':'REALM','enabled':true,'clients':["
          + "{'clientId':'web','rootUrl':'https://one'},{'clientId':'api','rootUrl':'https://api'}]}")).commitAndPush("realm");
      CliRun full = cli(Map.of(), "apply", "--repo", repo.url(), "--path", "realms");
      assertThat(full.exitCode()).as(full.out() + full.err()).isZero();
      var api = (com.fasterxml.jackson.databind.node.ObjectNode) It.client(realm, "api");
      It.realm(realm).put("/clients/" + Json.text(api, "id"), api.deepCopy().put("rootUrl", "https://drifted"));
      repo.write("realms/" + realm + ".json", It.file(realm, "{'realm':'REALM','enabled':true,'clients':["
          + "{'clientId':'web','rootUrl':'https://two'},{'clientId':'api','rootUrl':'https://api'}]}")).commitAndPush("web two");

      CliRun plan = cli(Map.of(), "plan", "--repo", repo.url(), "--path", "realms", "--since", applied);
      assertThat(plan.exitCode()).as(plan.out() + plan.err()).isEqualTo(2);
      assertThat(plan.out()).contains("realm " + realm + ": 0 to create, 1 to update, 0 to delete", "client \"web\"")
          .doesNotContain("client \"api\"");

      Path stats = dir.resolve("since-stats.json");
      CliRun since = cli(Map.of("REALM_SYNC_STATS", stats.toString()), "apply", "--repo", repo.url(), "--path", "realms",
          "--since", applied);
      assertThat(since.exitCode()).as(since.out() + since.err()).isZero();
      JsonNode counted = Json.read(Files.readString(stats));
      assertThat(counted.get("writes").asInt()).isEqualTo(1);
      // the realm whose file did not change is not even read
      assertThat(counted.at("/byKind/GET realm").asInt()).isEqualTo(1);
      assertThat(since.out()).contains("realm " + other + ": 0 created, 0 updated, 0 deleted");
      assertThat(It.client(realm, "web").get("rootUrl").asText()).isEqualTo("https://two");
      assertThat(It.client(realm, "api").get("rootUrl").asText()).isEqualTo("https://drifted");

      CliRun drift = cli(Map.of("REALM_SYNC_STATS", stats.toString()), "apply", "--repo", repo.url(), "--path", "realms");
      assertThat(drift.exitCode()).as(drift.out() + drift.err()).isZero();
      assertThat(It.client(realm, "api").get("rootUrl").asText()).isEqualTo("https://api");
      assertThat(Json.read(Files.readString(stats)).get("writes").asInt()).isEqualTo(1);

      CliRun unknown = cli(Map.of(), "apply", "--repo", repo.url(), "--path", "realms", "--since", "no-such-ref");
      assertThat(unknown.exitCode()).isEqualTo(1);
      assertThat(unknown.err()).contains("--since no-such-ref: ref no-such-ref not found");
      CliRun folder = cli(Map.of(), "apply", "--dir", dir.toString(), "--since", applied);
      assertThat(folder.exitCode()).isEqualTo(1);
      assertThat(folder.err()).contains("--since needs --repo, not --dir");
    }
  }

  @Test
  void aBrokenFileIsAFailureWithItsLineInJson() throws Exception {
    String realm = It.realmName("pr-broken");
    try (var repo = GitRepo.create(dir.resolve("git"), "main")) {
      repo.write("realms/" + realm + ".json", "{\n  \"realm\": \"" + realm + "\",\n  \"enabled\": \"yes\"\n}\n")
          .commitAndPush("broken");
      CliRun json = cli(Map.of(), "plan", "--repo", repo.bareDir().toString(), "--ref", "main", "--path", "realms",
          "--format", "json");
      assertThat(json.exitCode()).isEqualTo(1);
      JsonNode plan = Json.read(json.out());
      assertThat(plan.get("status").asText()).isEqualTo("error");
      assertThat(plan.at("/failures/0/path").asText()).isEqualTo("realms/" + realm + ".json");
      assertThat(plan.at("/failures/0/line").asInt()).isEqualTo(3);
      assertThat(plan.get("realms")).isEmpty();
    }
  }

  @Test
  void theCiExamplePlansTheCheckedOutPullRequestIntoACommentBody() throws Exception {
    String realm = It.realmName("pr-ci");
    try (var repo = GitRepo.create(dir.resolve("git"), "main")) {
      prepare(repo, realm);
      Path script = Path.of("..", "examples", "ci", "plan-pr.sh").toAbsolutePath().normalize();
      Path comment = dir.resolve("comment.md");
      String realmSync = String.join(" ", java());
      // As CI checks a pull request out: a merge commit on a detached HEAD, reachable from no branch or tag.
      assertThat(repo.gitCli("checkout", "--detach", "main").ok()).isTrue();
      assertThat(repo.gitCli("merge", "--no-ff", "-m", "Merge pull request #7", "feature").ok()).isTrue();
      // SOURCE_ID names the service's source, so the objects it owns are recognised.
      var env = Map.of("REALM_SYNC", realmSync, "COMMENT_FILE", comment.toString(),
          "SOURCE_ID", "git:" + repo.url() + "#main:realms");

      CliRun pending = run(List.of("bash", script.toString()), repo.workDir(), env);
      assertThat(pending.exitCode()).as(pending.out() + pending.err()).isZero();
      assertThat(pending.out()).contains("realm-sync plan: changes pending");
      assertThat(Files.readString(comment)).startsWith("## realm-sync plan\n\n**Changes pending**")
          .contains("### Realm `" + realm + "`", "| 1 | 1 | 1 |", "- `- client \"old-app\"`").doesNotContain(SECRET);

      assertThat(repo.gitCli("checkout", "main").ok()).isTrue();
      CliRun none = run(List.of("bash", script.toString()), repo.workDir(), env);
      assertThat(none.exitCode()).as(none.out() + none.err()).isZero();
      assertThat(none.out()).contains("realm-sync plan: no changes");
      assertThat(Files.readString(comment)).startsWith("## realm-sync plan\n\nNo changes").contains("| 0 | 0 | 0 |");

      CliRun unreachable = run(List.of("bash", script.toString()), repo.workDir(),
          Map.of("REALM_SYNC", realmSync, "COMMENT_FILE", comment.toString(), "KEYCLOAK_URL", "http://127.0.0.1:1"));
      assertThat(unreachable.exitCode()).isEqualTo(1);
      assertThat(Files.readString(comment)).startsWith("## realm-sync plan\n\n**Error");

      CliRun noSource = run(List.of("bash", script.toString()), repo.workDir(),
          Map.of("REALM_SYNC", realmSync, "COMMENT_FILE", comment.toString(), "REF", "no-such-ref"));
      assertThat(noSource.exitCode()).isEqualTo(1);
      assertThat(Files.readString(comment)).isEqualTo(
          "## realm-sync plan\n\n**Error**: no plan could be made for `no-such-ref` (exit 1); see the job log.\n");
      assertThat(noSource.err()).contains("ref no-such-ref not found");
    }
  }
}
