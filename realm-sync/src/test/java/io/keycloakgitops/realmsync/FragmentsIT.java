package io.keycloakgitops.realmsync;

import static io.keycloakgitops.realmsync.It.client;
import static org.assertj.core.api.Assertions.assertThat;

import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.testsupport.GitRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A realm made of the platform team's file and a team's fragment, in a real Git repository, applied by the CLI to
 * the real Keycloak under a tenancy file: merged into one realm; a fragment outside its grant fails alone; a
 * fragment that fails keeps its objects; one object in two files fails the realm; a removed fragment takes only
 * its own objects with it.
 */
class FragmentsIT {
  @TempDir
  Path dir;

  private CliRun cli(String... args) throws Exception {
    return CliRun.jar(dir, Map.of(), args);
  }

  private static boolean group(String realm, String name) {
    return It.find(It.realm(realm).get("/groups", "search", name, "exact", true), "name", name) != null;
  }

  private static List<String> clientRoles(String realm, String clientId) {
    return Json.objects(It.realm(realm).get("/clients/" + client(realm, clientId).get("id").asText() + "/roles"))
        .stream().map(r -> Json.text(r, "name")).toList();
  }

  @Test
  void fragmentsJoinTheirRealmWithinTheirGrantsAndTakeOnlyTheirOwnObjectsWhenRemoved() throws Exception {
    String realm = It.realmName("frag");
    Path tenancy = Files.writeString(dir.resolve("tenancy.yaml"), """
        grants:
          - paths: ["realms/*.json"]
            realms: ["*"]
          - paths: ["teams/shop/**"]
            realms: ["%s"]
            kinds: [client, client-role, group]
            names: ["shop-*"]
        """.formatted(realm));
    try (var repo = GitRepo.create(dir.resolve("git"), "main")) {
      String[] apply = {"apply", "--repo", repo.url(), "--branch", "main", "--path", "realms", "--fragments", "teams/**",
          "--tenancy", tenancy.toString()};
      String[] plan = apply.clone();
      plan[0] = "plan";
      String main = It.file(realm, "{'realm':'REALM','enabled':true,'clients':[{'clientId':'portal'}]}");
      String shop = It.file(realm, """
          {'realm':'REALM','clients':[{'clientId':'shop-web','publicClient':true,'redirectUris':['https://shop/*']}],
           'roles':{'client':{'shop-web':[{'name':'buyer'}]}},'groups':[{'name':'shop-admins'}]}""");
      repo.write("realms/" + realm + ".json", main).write("teams/shop/" + realm + ".clients.json", shop);
      repo.commitAndPush("platform realm and the shop team's fragment");

      CliRun first = cli(apply);
      assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
      assertThat(client(realm, "portal")).isNotNull();
      assertThat(client(realm, "shop-web").get("publicClient").asBoolean()).isTrue();
      assertThat(clientRoles(realm, "shop-web")).contains("buyer");
      assertThat(group(realm, "shop-admins")).isTrue();
      It.realm(realm).post("/groups", Json.object().put("name", "made-in-console"));

      // A fragment outside its grant fails alone: the realm file's change and the shop fragment still apply.
      repo.write("realms/" + realm + ".json", It.file(realm,
          "{'realm':'REALM','enabled':true,'displayName':'Acme','clients':[{'clientId':'portal'}]}"));
      repo.write("teams/shop/" + realm + ".billing.json", It.file(realm, "{'realm':'REALM','clients':[{'clientId':'billing'}]}"));
      repo.commitAndPush("billing tries a client outside the shop grant");
      CliRun outside = cli(apply);
      assertThat(outside.exitCode()).isEqualTo(1);
      assertThat(outside.out() + outside.err()).contains("teams/shop/" + realm + ".billing.json: client \"billing\" of realm "
          + realm + " is outside its grants: name \"billing\" matches none of names [shop-*] (grant {paths: [teams/shop/**]");
      assertThat(client(realm, "billing")).isNull();
      assertThat(It.realm(realm).get("").get("displayName").asText()).isEqualTo("Acme");
      String[] planJson = java.util.stream.Stream.concat(java.util.Arrays.stream(plan), java.util.stream.Stream.of(
          "--format", "json")).toArray(String[]::new);
      CliRun json = cli(planJson);
      assertThat(json.exitCode()).as("a failed fragment fails the plan").isEqualTo(1);
      var failure = Json.read(json.out()).path("failures").get(0);
      assertThat(failure.path("path").asText()).isEqualTo("teams/shop/" + realm + ".billing.json");
      assertThat(failure.path("realm").asText()).isEqualTo(realm);
      assertThat(client(realm, "shop-web")).isNotNull();

      // The shop fragment itself breaks its grant: it fails, and nothing it declared before is deleted.
      repo.delete("teams/shop/" + realm + ".billing.json");
      repo.write("teams/shop/" + realm + ".clients.json", It.file(realm, "{'realm':'REALM','users':[{'username':'shop-bob'}]}"));
      repo.commitAndPush("shop declares a user it may not");
      CliRun failed = cli(apply);
      assertThat(failed.exitCode()).isEqualTo(1);
      assertThat(failed.out() + failed.err()).contains("user \"shop-bob\" of realm " + realm + " is outside its grants: kind user");
      assertThat(client(realm, "shop-web")).isNotNull();
      assertThat(clientRoles(realm, "shop-web")).contains("buyer");
      assertThat(group(realm, "shop-admins")).isTrue();
      assertThat(It.user(realm, "shop-bob")).isNull();

      // One object in two files: the realm fails as a whole, both paths named, nothing written.
      repo.write("teams/shop/" + realm + ".clients.json", shop);
      repo.write("teams/shop/extra/" + realm + ".json", It.file(realm, "{'realm':'REALM','clients':[{'clientId':'shop-web'}]}"));
      repo.write("realms/" + realm + ".json", It.file(realm,
          "{'realm':'REALM','enabled':true,'displayName':'Acme 2','clients':[{'clientId':'portal'}]}"));
      repo.commitAndPush("two files declare shop-web");
      CliRun duplicate = cli(apply);
      assertThat(duplicate.exitCode()).isEqualTo(1);
      assertThat(duplicate.out() + duplicate.err()).contains("realm " + realm + " fails as a whole: client \"shop-web\" "
          + "is declared by both teams/shop/extra/" + realm + ".json and teams/shop/" + realm + ".clients.json");
      assertThat(It.realm(realm).get("").get("displayName").asText()).isEqualTo("Acme");

      // The fragment is removed: its client, client role and group go (no file declares groups any more); the
      // platform's client and the group made in the console stay.
      repo.delete("teams/shop/extra/" + realm + ".json").delete("teams/shop/" + realm + ".clients.json");
      repo.commitAndPush("the shop team leaves");
      CliRun removed = cli(apply);
      assertThat(removed.exitCode()).as(removed.out() + removed.err()).isZero();
      assertThat(removed.out()).contains("- client \"shop-web\"", "- group \"/shop-admins\"");
      assertThat(client(realm, "shop-web")).isNull();
      assertThat(group(realm, "shop-admins")).isFalse();
      assertThat(client(realm, "portal")).isNotNull();
      assertThat(group(realm, "made-in-console")).isTrue();
      assertThat(It.realm(realm).get("").get("displayName").asText()).isEqualTo("Acme 2");

      CliRun clean = cli(plan);
      assertThat(clean.exitCode()).as(clean.out() + clean.err()).isZero();
    }
  }

  /** The service the same way: a failing fragment is named in the realm's status, the rest is applied. */
  @Test
  void theServiceAppliesFragmentsAndReportsAFailedOneInItsStatus() throws Exception {
    String realm = It.realmName("frag-svc");
    var grants = io.keycloakgitops.realmsync.source.Tenancy.parse("""
        grants:
          - paths: ["realms/*.json"]
            realms: ["*"]
          - paths: ["teams/shop/**"]
            realms: ["%s"]
            kinds: [client]
            names: ["shop-*"]
        """.formatted(realm));
    try (var repo = GitRepo.create(dir.resolve("git"), "main");
         var service = RealmSyncService.start(RealmSyncConfig.builder()
             .git(io.keycloakgitops.realmsync.source.GitSettings.of(repo.url(), "main", "realms"))
             .keycloak(It.target()).port(0).managementPort(0).interval(java.time.Duration.ofHours(1))
             .fragments(List.of("teams/**"), grants).build())) {
      repo.write("realms/" + realm + ".json", It.file(realm, "{'realm':'REALM','clients':[{'clientId':'portal'}]}"))
          .write("teams/shop/" + realm + ".json", It.file(realm, "{'realm':'REALM','clients':[{'clientId':'shop-web'}]}"))
          .commitAndPush("realm and fragment");
      assertThat(service.syncNow().get(realm).error()).isNull();
      assertThat(client(realm, "shop-web")).isNotNull();

      repo.write("teams/shop/" + realm + ".json", It.file(realm, "{'realm':'REALM','groups':[{'name':'shop-g'}]}"))
          .write("realms/" + realm + ".json", It.file(realm, "{'realm':'REALM','displayName':'Svc','clients':[{'clientId':'portal'}]}"))
          .commitAndPush("the fragment declares a group it may not");
      var outcome = service.syncNow().get(realm);
      assertThat(outcome.error()).hasMessageStartingWith("applied without failed fragments: teams/shop/" + realm
          + ".json: group \"/shop-g\" of realm " + realm + " is outside its grants: kind group is not in kinds [client]");
      assertThat(service.status().path("realms").path(realm).get("error").asText())
          .contains("teams/shop/" + realm + ".json: group \"/shop-g\"");
      assertThat(It.realm(realm).get("").get("displayName").asText()).isEqualTo("Svc");
      assertThat(client(realm, "shop-web")).as("kept: its fragment failed").isNotNull();
    }
  }
}
