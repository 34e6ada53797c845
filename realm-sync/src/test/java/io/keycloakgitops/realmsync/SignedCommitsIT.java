package io.keycloakgitops.realmsync;

import static io.keycloakgitops.realmsync.It.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.keycloakgitops.realmsync.source.CommitSignatures;
import io.keycloakgitops.realmsync.source.GitSettings;
import io.keycloakgitops.realmsync.source.GitSource;
import io.keycloakgitops.realmsync.source.TestPgpKey;
import io.keycloakgitops.testsupport.Commands;
import io.keycloakgitops.testsupport.GitRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only commits signed by a trusted OpenPGP key are applied, by the service and by the CLI. */
class SignedCommitsIT {
  private static final TestPgpKey TRUSTED = TestPgpKey.generate("Platform Team <platform@example.invalid>");
  private static final TestPgpKey STRANGER = TestPgpKey.generate("Stranger <stranger@example.invalid>");

  @TempDir
  Path dir;

  private static String realmFile(String realm, String rootUrl) {
    return It.file(realm, "{'realm':'REALM','enabled':true,'clients':[{'clientId':'web','rootUrl':'" + rootUrl + "'}]}");
  }

  private Path trustedKeys() throws Exception {
    return Files.writeString(dir.resolve("trusted.asc"), TRUSTED.armoredPublicKey());
  }

  private static JsonNode realmStatus(RealmSyncService service, String realm) {
    return service.status().path("realms").path(realm);
  }

  @Test
  void theServiceAppliesSignedHeadsOnlyAndKeepsTheLastAppliedRevisionOtherwise() throws Exception {
    String realm = It.realmName("signed");
    try (var repo = GitRepo.create(dir.resolve("repo"), "main")) {
      String signed = repo.write("realms/" + realm + ".json", realmFile(realm, "https://one"))
          .commitAndPush("v1", TRUSTED.signer());
      crossCheckWithGit(repo, signed);
      var config = RealmSyncConfig.builder()
          .git(GitSettings.of(repo.url(), "main", "realms").withCacheDir(dir.resolve("cache")))
          .keycloak(It.target()).port(0).interval(Duration.ofHours(1)).driftInterval(Duration.ofHours(1))
          .commitSignatures(CommitSignatures.load(trustedKeys())).build();
      try (var service = RealmSyncService.start(config)) {
        assertThat(service.syncNow().get(realm).ok()).isTrue();
        assertThat(realmStatus(service, realm).get("lastAppliedCommit").asText()).isEqualTo(signed);
        assertThat(client(realm, "web").get("rootUrl").asText()).isEqualTo("https://one");

        record Refused(String url, org.eclipse.jgit.lib.Signer signer, String message) {}
        var refusals = List.of(
            new Refused("https://unsigned", null, "unsigned commit %s by Test Author <author@example.invalid>"),
            new Refused("https://stranger", STRANGER.signer(),
                "commit %s by Test Author <author@example.invalid> signed by untrusted key " + STRANGER.fingerprint().substring(24)),
            new Refused("https://forged", TRUSTED.forger(),
                "commit %s by Test Author <author@example.invalid>: bad signature by key " + TRUSTED.fingerprint()));
        for (Refused refused : refusals) {
          String head = repo.write("realms/" + realm + ".json", realmFile(realm, refused.url()))
              .commitAndPush(refused.url(), refused.signer());
          String message = refused.message().formatted(head);
          assertThat(service.syncNow()).isEmpty();
          assertThat(client(realm, "web").get("rootUrl").asText()).as(refused.url()).isEqualTo("https://one");
          assertThat(service.status().at("/sources/git/error").asText()).isEqualTo(message);
          assertThat(realmStatus(service, realm).get("error").asText()).isEqualTo(message);
          assertThat(realmStatus(service, realm).get("result").asText()).isEqualTo("Failed");
          assertThat(realmStatus(service, realm).get("lastAppliedCommit").asText()).isEqualTo(signed);
        }

        String next = repo.write("realms/" + realm + ".json", realmFile(realm, "https://two"))
            .commitAndPush("v2", TRUSTED.signer());
        assertThat(service.syncNow().get(realm).ok()).isTrue();
        assertThat(client(realm, "web").get("rootUrl").asText()).isEqualTo("https://two");
        assertThat(realmStatus(service, realm).get("lastAppliedCommit").asText()).isEqualTo(next);
        assertThat(realmStatus(service, realm).get("result").asText()).isEqualTo("Synced");
        assertThat(service.status().at("/sources/git/error").isNull()).isTrue();
      }
    }
  }

  @Test
  void theCliPlansAndAppliesSignedHeadsOnlyAndExitsOneOtherwise() throws Exception {
    String realm = It.realmName("signed-cli");
    try (var repo = GitRepo.create(dir.resolve("repo"), "main")) {
      String keys = trustedKeys().toString();
      String unsigned = repo.write("realms/" + realm + ".json", realmFile(realm, "https://one")).commitAndPush("v1");
      for (String command : List.of("plan", "apply")) {
        CliRun refused = cli(Map.of("VERIFY_SIGNATURES", "true", "TRUSTED_KEYS_FILE", keys), command, "--repo", repo.url(),
            "--path", "realms");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("unsigned commit " + unsigned + " by Test Author <author@example.invalid>");
      }
      assertThat(It.realm(realm).find("")).isEmpty();

      String signed = repo.write("realms/" + realm + ".json", realmFile(realm, "https://two"))
          .commitAndPush("v2", TRUSTED.signer());
      CliRun plan = cli(Map.of(), "plan", "--repo", repo.url(), "--path", "realms", "--verify-signatures", "--trusted-keys", keys,
          "--format", "json");
      assertThat(plan.exitCode()).as(plan.err()).isEqualTo(2);
      assertThat(plan.out()).contains("\"revision\" : \"" + signed + "\"");
      CliRun apply = cli(Map.of(), "apply", "--repo", repo.url(), "--path", "realms", "--verify-signatures", "--trusted-keys", keys);
      assertThat(apply.exitCode()).as(apply.out() + apply.err()).isZero();
      assertThat(client(realm, "web").get("rootUrl").asText()).isEqualTo("https://two");

      CliRun noKeys = cli(Map.of(), "plan", "--repo", repo.url(), "--path", "realms", "--verify-signatures");
      assertThat(noKeys.exitCode()).isEqualTo(1);
      assertThat(noKeys.err()).contains("--verify-signatures needs --trusted-keys");
    }
  }

  @Test
  void sshSignedCommitsAreTrustedThroughAnAllowedSignersFile() throws Exception {
    String realm = It.realmName("signed-ssh");
    try (var repo = GitRepo.create(dir.resolve("repo"), "main")) {
      Path trusted = sshKey("trusted");
      Path stranger = sshKey("stranger");
      // Git's allowed_signers format; the principal is the committer's email (the git CLI commits as cli@).
      Path allowed = Files.writeString(dir.resolve("allowed_signers"),
          "# platform team\ncli@example.invalid " + Files.readString(Path.of(trusted + ".pub")));
      var signatures = CommitSignatures.load(null, allowed);
      var settings = GitSettings.of(repo.url(), "main", "realms").withCacheDir(dir.resolve("cache"));
      try (var source = new GitSource(settings, signatures, null)) {
        String good = sshCommit(repo, trusted, realmFile(realm, "https://one"));
        var verified = repo.gitCli("-c", "gpg.ssh.allowedSignersFile=" + allowed, "verify-commit", good);
        assertThat(verified.exitCode()).as("git verify-commit: " + verified.stderr()).isZero();
        assertThat(source.fetch().revision()).isEqualTo(good);

        String strange = sshCommit(repo, stranger, realmFile(realm, "https://two"));
        assertThatThrownBy(source::fetch).isInstanceOf(CommitSignatures.UntrustedCommitException.class)
            .hasMessageStartingWith("commit " + strange + " by CLI Author <cli@example.invalid> signed by untrusted SSH key SHA256:");

        String pgp = repo.write("realms/" + realm + ".json", realmFile(realm, "https://three")).commitAndPush("v3", TRUSTED.signer());
        assertThatThrownBy(source::fetch).hasMessage("commit " + pgp + " by Test Author <author@example.invalid> signed by untrusted key "
            + TRUSTED.fingerprint().substring(24));

        String replayed = replaySignature(repo, good);
        assertThatThrownBy(source::fetch).hasMessageStartingWith(
            "commit " + replayed + " by CLI Author <cli@example.invalid>: bad signature by SSH key SHA256:");

        String again = sshCommit(repo, trusted, realmFile(realm, "https://four"));
        assertThat(source.fetch().revision()).isEqualTo(again);
      }
    }
  }

  private Path sshKey(String name) {
    Path key = dir.resolve(name);
    var made = Commands.run(dir, List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key.toString()));
    assertThat(made.exitCode()).as(made.stderr()).isZero();
    return key;
  }

  /** A commit signed as {@code git commit -S} does with gpg.format=ssh, pushed; returns its id. */
  private static String sshCommit(GitRepo repo, Path key, String content) {
    String realmPath = "realms/" + content.replaceAll("(?s).*\"realm\":\"([^\"]+)\".*", "$1") + ".json";
    repo.write(realmPath, content);
    assertThat(repo.gitCli("add", "-A").ok()).isTrue();
    var commit = repo.gitCli("-c", "gpg.format=ssh", "-c", "user.signingkey=" + key, "commit", "-S", "-m", "ssh signed");
    assertThat(commit.exitCode()).as(commit.stderr()).isZero();
    assertThat(repo.gitCli("push", "origin", "main").ok()).isTrue();
    return repo.gitCli("rev-parse", "HEAD").stdout().trim();
  }

  /** A new head commit carrying the signature of {@code signed}: good bytes, wrong content. */
  private static String replaySignature(GitRepo repo, String signed) throws Exception {
    try (var git = org.eclipse.jgit.api.Git.open(repo.workDir().toFile());
        var walk = new org.eclipse.jgit.revwalk.RevWalk(git.getRepository());
        var inserter = git.getRepository().newObjectInserter()) {
      var original = walk.parseCommit(org.eclipse.jgit.lib.ObjectId.fromString(signed));
      var builder = new org.eclipse.jgit.lib.CommitBuilder();
      builder.setTreeId(original.getTree());
      builder.setParentId(git.getRepository().resolve("HEAD"));
      builder.setAuthor(original.getAuthorIdent());
      builder.setCommitter(original.getCommitterIdent());
      builder.setMessage("replayed signature\n");
      builder.setGpgSignature(new org.eclipse.jgit.lib.GpgSignature(original.getRawGpgSignature()));
      var id = inserter.insert(builder);
      inserter.flush();
      var update = git.getRepository().updateRef("refs/heads/main");
      update.setNewObjectId(id);
      update.forceUpdate();
      assertThat(repo.gitCli("push", "origin", "main").ok()).isTrue();
      return id.getName();
    }
  }

  /** Real Git agrees the signature is good (when gpg is installed): what realm-sync accepts, Git accepts. */
  private void crossCheckWithGit(GitRepo repo, String commit) throws Exception {
    if (Commands.run(dir, List.of("sh", "-c", "command -v gpg")).exitCode() != 0) {
      return;
    }
    Path home = Files.createDirectories(dir.resolve("gnupg"));
    Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    var env = Map.of("GNUPGHOME", home.toString());
    try {
      assertThat(Commands.run(dir, env, null, Duration.ofMinutes(1),
          List.of("gpg", "--batch", "--import", trustedKeys().toString())).exitCode()).isZero();
      var verified = Commands.run(repo.workDir(), env, null, Duration.ofMinutes(1), List.of("git", "verify-commit", "-v", commit));
      assertThat(verified.exitCode()).as(verified.stderr()).isZero();
      assertThat(verified.stderr()).contains("Good signature from \"Platform Team <platform@example.invalid>\"");
    } finally {
      Commands.run(dir, env, null, Duration.ofMinutes(1), List.of("gpgconf", "--kill", "all"));
    }
  }

  private CliRun cli(Map<String, String> extraEnv, String... args) throws Exception {
    return CliRun.jar(dir, extraEnv, args);
  }
}
