package io.keycloakgitops.realmsync;

import static io.keycloakgitops.realmsync.It.client;
import static org.assertj.core.api.Assertions.assertThat;

import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.testsupport.GitRepo;
import io.keycloakgitops.testsupport.KeycloakServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable jar as users run it: plan, apply and export, their output and exit codes. */
class CliIT {
  private record Run(int exitCode, String out, String err) {}

  @TempDir
  Path dir;

  /** Runs {@code java -jar target/realm-sync.jar args} with the Keycloak target in the environment. */
  private Run cli(Map<String, String> extraEnv, String... args) throws IOException, InterruptedException {
    var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        Path.of("target", "realm-sync.jar").toString()));
    command.addAll(List.of(args));
    var builder = new ProcessBuilder(command).redirectOutput(dir.resolve("out.txt").toFile())
        .redirectError(dir.resolve("err.txt").toFile());
    var keycloak = KeycloakServer.shared();
    var env = new HashMap<>(Map.of("KEYCLOAK_URL", keycloak.baseUrl(), "KEYCLOAK_USER", keycloak.adminUser(),
        "KEYCLOAK_PASSWORD", keycloak.adminPassword()));
    env.putAll(extraEnv);
    builder.environment().putAll(env);
    var process = builder.start();
    assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
    return new Run(process.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")));
  }

  private Run cli(String... args) throws IOException, InterruptedException {
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

    Run missing = cli(env, "plan", "--dir", realms.toString());
    assertThat(missing.exitCode()).as(missing.err()).isEqualTo(2);
    assertThat(missing.out()).contains("realm " + realm + ": does not exist");

    Run applied = cli(env, "apply", "--dir", realms.toString());
    assertThat(applied.exitCode()).as(applied.err()).isZero();
    assertThat(lines(applied.out()).getLast()).matches("realm " + realm + ": \\d+ created, \\d+ updated, 0 deleted in \\d+ ms");
    assertThat(applied.out() + applied.err()).doesNotContain("cli-secret-value");

    Run clean = cli(env, "plan", "--dir", realms.toString());
    assertThat(clean.exitCode()).as(clean.out() + clean.err()).isZero();
    assertThat(clean.out()).contains("realm " + realm + ": no changes");

    Files.writeString(realms.resolve(realm + ".json"), It.file(realm,
        "{'realm':'REALM','clients':[{'clientId':'web','rootUrl':'https://two','secret':'${env:REALM_WEB_SECRET}'}]}"));
    Run pending = cli(env, "plan", "--dir", realms.toString(), "--output", "json");
    assertThat(pending.exitCode()).isEqualTo(2);
    var json = Json.read(pending.out());
    assertThat(json.at("/realms/0/changes/0/key").asText()).isEqualTo("web");
    assertThat(json.at("/realms/0/changes/0/fields/0/after").asText()).isEqualTo("https://two");

    Run update = cli(env, "apply", "--dir", realms.toString());
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

    Run plan = cli("plan", "--dir", realms.toString());
    assertThat(plan.exitCode()).isEqualTo(1);
    assertThat(plan.err()).contains(realms.resolve(bad + ".json") + ":3: ");

    Run apply = cli("apply", "--dir", realms.toString());
    assertThat(apply.exitCode()).isEqualTo(1);
    assertThat(lines(apply.out())).anyMatch(l -> l.startsWith("realm " + good + ": ") && l.contains(" created, "))
        .anyMatch(l -> l.startsWith("realm " + bad + ": FAILED"));
    assertThat(It.realm(good).find("")).isPresent();
    assertThat(It.realm(bad).find("")).isEmpty();

    Run unreachable = cli(Map.of("KEYCLOAK_URL", "http://127.0.0.1:1"), "apply", "--dir", realms.toString());
    assertThat(unreachable.exitCode()).isEqualTo(1);
    assertThat(unreachable.out()).contains("unreachable");

    Run usage = cli("plan", "--dir", realms.toString(), "--no-such-flag");
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
      Run export = cli("export", "--realm", realm, "--out", exported.toString());
      assertThat(export.exitCode()).as(export.err()).isZero();
      assertThat(Files.readString(exported)).doesNotContain("\"id\"", "api-secret").contains("\"clientId\" : \"web\"");
      repo.commitAndPush("bootstrap from export");

      Run plan = cli("plan", "--repo", repo.url(), "--branch", "main", "--path", "realms");
      assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
      assertThat(plan.out()).contains("realm " + realm + ": no changes");
    }
    assertThat(cli("export", "--realm", "no-such-realm").exitCode()).isEqualTo(1);
  }

  @Test
  void helpListsTheCommands() throws Exception {
    Run help = cli("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("run", "apply", "plan", "export");
  }
}
