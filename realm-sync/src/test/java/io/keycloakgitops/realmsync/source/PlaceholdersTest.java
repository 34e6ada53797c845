package io.keycloakgitops.realmsync.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.schemas.authority.PlaceholderScan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Who may read what through a placeholder: every acceptance and every refusal, for Git files and for CRs. */
class PlaceholdersTest {
  private static final Map<String, String> ENV = Map.of("REALM_X", "from-env", "HOME", "/root",
      "KEYCLOAK_PASSWORD", "admin-password");
  private static final Map<String, Secret> SECRETS = Map.of(
      "labelled", secret("labelled", "true"),
      "unlabelled", secret("unlabelled", null),
      "labelled-false", secret("labelled-false", "false"));

  @TempDir
  static Path root;
  static Path dir;

  @BeforeAll
  static void files() throws Exception {
    dir = Files.createDirectories(root.resolve("placeholders"));
    Files.writeString(dir.resolve("token"), "from-file\n");
    Files.writeString(dir.resolve("exact"), "x".repeat(Placeholders.MAX_FILE_BYTES));
    Files.writeString(dir.resolve("big"), "x".repeat(Placeholders.MAX_FILE_BYTES + 1));
    Files.writeString(root.resolve("outside"), "outside-value");
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/nested"), "nested-value");
    Files.createSymbolicLink(dir.resolve("inner"), dir.resolve("token"));
    Files.createSymbolicLink(dir.resolve("escape"), root.resolve("outside"));
    Files.createSymbolicLink(dir.resolve("zero"), Path.of("/dev/zero"));
    // A Kubernetes Secret volume: keys are symlinks into a timestamped folder inside the mount.
    Files.createDirectories(dir.resolve("..2026_12_04"));
    Files.writeString(dir.resolve("..2026_12_04/mounted"), "mounted-value\n");
    Files.createSymbolicLink(dir.resolve("mounted"), Path.of("..2026_12_04/mounted"));
    mkfifo(dir.resolve("fifo"));
  }

  private static void mkfifo(Path path) throws IOException, InterruptedException {
    assertThat(new ProcessBuilder("mkfifo", path.toString()).start().waitFor()).isZero();
  }

  private static Secret secret(String name, String label) {
    var builder = new SecretBuilder().withNewMetadata().withName(name).endMetadata();
    if (label != null) {
      builder.editMetadata().addToLabels(PlaceholderScan.PLACEHOLDER_SOURCE_LABEL, label).endMetadata();
    }
    return builder.addToStringData("key", name + "-value").build();
  }

  /** The Secrets above; reading {@code forbidden} is refused by the API server, as RBAC would. */
  private static final Function<String, Secret> LOOKUP = name -> {
    if (name.equals("forbidden")) {
      throw new KubernetesClientException("secrets \"forbidden\" is forbidden", 403, null);
    }
    return SECRETS.get(name);
  };

  private static Placeholders git() {
    return new Placeholders.GitPolicy(ENV, "REALM_", dir, "realm-sync", LOOKUP).create();
  }

  private static Placeholders cr() {
    return Placeholders.forCr("team-a", Map.of("DB_PASSWORD", "mapped-value"), LOOKUP);
  }

  /** {@code expected} is the resolved value, or {@code !message part} for a refusal. */
  static Stream<Arguments> gitCases() {
    return Stream.of(
        Arguments.of("env with the prefix", "${env:REALM_X}", "from-env"),
        Arguments.of("env without the prefix", "${env:HOME}", "!${env:HOME} is refused: only variables starting with REALM_"),
        Arguments.of("realm-sync's own password", "${env:KEYCLOAK_PASSWORD}", "!only variables starting with REALM_"),
        Arguments.of("env with the prefix but unset", "${env:REALM_MISSING}", "!environment variable REALM_MISSING is not set"),
        Arguments.of("file relative to the folder", "${file:token}", "from-file"),
        Arguments.of("file by absolute path inside", "${file:" + dir.resolve("token") + "}", "from-file"),
        Arguments.of("file in a subfolder", "${file:sub/nested}", "nested-value"),
        Arguments.of("symlink that stays inside", "${file:inner}", "from-file"),
        Arguments.of("Secret volume key", "${file:mounted}", "mounted-value"),
        Arguments.of("file of exactly 64 KiB", "${file:exact}", "x".repeat(Placeholders.MAX_FILE_BYTES)),
        Arguments.of("file over 64 KiB", "${file:big}", "!is refused: larger than 64 KiB"),
        Arguments.of("file outside the folder", "${file:/etc/hostname}", "!is refused: it is not inside the placeholder folder"),
        Arguments.of("service account token", "${file:/var/run/secrets/kubernetes.io/serviceaccount/token}", "!is refused: it is not inside the placeholder folder"),
        Arguments.of("own environment", "${file:/proc/self/environ}", "!is refused: it is not inside the placeholder folder"),
        Arguments.of("dot-dot out of the folder", "${file:../outside}", "!is refused: it is not inside the placeholder folder"),
        Arguments.of("symlink that escapes", "${file:escape}", "!is refused: it is not inside the placeholder folder"),
        Arguments.of("symlink to /dev/zero", "${file:zero}", "!is refused: it is not inside the placeholder folder"),
        Arguments.of("/dev/zero", "${file:/dev/zero}", "!is refused: it is not inside the placeholder folder"),
        Arguments.of("FIFO inside", "${file:fifo}", "!is refused: not a regular file"),
        Arguments.of("folder inside", "${file:sub}", "!is refused: not a regular file"),
        Arguments.of("the folder itself", "${file:.}", "!is refused: it is not inside the placeholder folder"),
        Arguments.of("missing file", "${file:nope}", "!cannot read placeholder file nope (NoSuchFileException)"),
        Arguments.of("labelled Secret", "${secret:labelled/key}", "labelled-value"),
        Arguments.of("unlabelled Secret", "${secret:unlabelled/key}",
            "!is refused: Secret unlabelled does not carry the label keycloak-gitops.io/placeholder-source=true"),
        Arguments.of("label not true", "${secret:labelled-false/key}", "!does not carry the label"),
        Arguments.of("missing Secret", "${secret:missing/key}", "!Secret missing not found in namespace realm-sync"),
        Arguments.of("missing key", "${secret:labelled/other}", "!Secret key labelled/other not found"),
        Arguments.of("Secret realm-sync may not read", "${secret:forbidden/key}",
            "!cannot read Secret forbidden in namespace realm-sync (HTTP 403)"),
        Arguments.of("not name/key", "${secret:labelled}", "!is not ${secret:name/key}"),
        Arguments.of("escaped", "$${env:HOME} and $${file:/etc/hostname}", "${env:HOME} and ${file:/etc/hostname}"),
        Arguments.of("Keycloak message key", "${role_default-roles}", "${role_default-roles}"),
        Arguments.of("bare name in a Git file", "${DB_PASSWORD}", "${DB_PASSWORD}"));
  }

  static Stream<Arguments> crCases() {
    return Stream.of(
        Arguments.of("mapped name", "${DB_PASSWORD}", "mapped-value"),
        Arguments.of("labelled Secret of its namespace", "${secret:labelled/key}", "labelled-value"),
        Arguments.of("unlabelled Secret", "${secret:unlabelled/key}", "!does not carry the label"),
        Arguments.of("missing Secret", "${secret:missing/key}", "!Secret missing not found in namespace team-a"),
        Arguments.of("service account token", "${file:/var/run/secrets/kubernetes.io/serviceaccount/token}",
            "!spec.realm.displayName: ${file:} placeholders are refused in KeycloakRealmImport CRs"),
        Arguments.of("own environment", "${file:/proc/self/environ}", "!spec.realm.displayName: ${file:} placeholders are refused"),
        Arguments.of("env of realm-sync", "${env:KEYCLOAK_PASSWORD}", "!spec.realm.displayName: ${env:} placeholders are refused"),
        Arguments.of("env even with the Git prefix", "${env:REALM_X}", "!${env:} placeholders are refused"),
        Arguments.of("escaped", "$${env:X}", "${env:X}"),
        Arguments.of("Keycloak message key", "${role_default-roles}", "${role_default-roles}"));
  }

  @ParameterizedTest(name = "git: {0}")
  @MethodSource("gitCases")
  void gitFiles(String name, String text, String expected) {
    check(git(), "realms/r.json", text, expected);
  }

  @ParameterizedTest(name = "cr: {0}")
  @MethodSource("crCases")
  void crs(String name, String text, String expected) {
    check(cr(), "KeycloakRealmImport team-a/r", text, expected);
  }

  private static void check(Placeholders placeholders, String where, String text, String expected) {
    ObjectNode rep = Json.object().put("realm", "r").put("displayName", text);
    if (expected.startsWith("!")) {
      assertThatThrownBy(() -> placeholders.resolve(rep, where)).isInstanceOf(RealmFileException.class)
          .hasMessageStartingWith(where).hasMessageContaining(expected.substring(1));
      assertThat(placeholders.resolvedValues()).isEmpty();
    } else {
      placeholders.resolve(rep, where);
      assertThat(rep.get("displayName").asText()).isEqualTo(expected);
    }
  }

  @Test
  void withoutAFolderFilesAreRefusedAndWithoutAClusterSecretsAre() {
    var placeholders = Placeholders.GitPolicy.defaults().create();
    assertThatThrownBy(() -> placeholders.resolve(Json.object().put("x", "${file:/etc/hostname}"), "realms/r.json"))
        .hasMessage("realms/r.json (at /x): ${file:/etc/hostname} is refused: no placeholder folder is configured "
            + "(--placeholder-dir)");
    assertThatThrownBy(() -> placeholders.resolve(Json.object().put("x", "${secret:a/b}"), "realms/r.json"))
        .hasMessageContaining("${secret:a/b} needs a Kubernetes cluster");
  }

  @Test
  void aFolderThatIsADeviceDirectoryStillReadsNoDevice() {
    var placeholders = new Placeholders.GitPolicy(ENV, "REALM_", Path.of("/dev"), null, null).create();
    assertThatThrownBy(() -> placeholders.resolve(Json.object().put("x", "${file:zero}"), "f"))
        .hasMessageContaining("${file:zero} is refused: not a regular file");
  }

  @Test
  void resolvesAtEveryDepthAndCollectsTheValuesForRedaction() {
    var rep = (ObjectNode) Json.read(("{'realm':'r','clients':[{'secret':'${env:REALM_X}','description':'a ${file:token} b'}],"
        + "'smtpServer':{'password':'${secret:labelled/key}'},'list':['${env:REALM_X}']}").replace('\'', '"'));
    var placeholders = git();
    placeholders.resolve(rep, "realms/r.json");
    assertThat(rep.at("/clients/0/secret").asText()).isEqualTo("from-env");
    assertThat(rep.at("/clients/0/description").asText()).isEqualTo("a from-file b");
    assertThat(rep.at("/smtpServer/password").asText()).isEqualTo("labelled-value");
    assertThat(rep.at("/list/0").asText()).isEqualTo("from-env");
    assertThat(placeholders.resolvedValues()).containsExactlyInAnyOrder("from-env", "from-file", "labelled-value");
  }

  @Test
  void aCrNamesEveryRefusedFieldBeforeReadingAnything() {
    var rep = (ObjectNode) Json.read(("{'realm':'r','displayName':'${secret:labelled/key}',"
        + "'smtpServer':{'password':'${env:KEYCLOAK_PASSWORD}'},'clients':[{'secret':'${file:/proc/self/environ}'}]}")
        .replace('\'', '"'));
    var placeholders = cr();
    assertThatThrownBy(() -> placeholders.resolve(rep, "KeycloakRealmImport team-a/r"))
        .hasMessageContaining("spec.realm.smtpServer.password: ${env:}")
        .hasMessageContaining("spec.realm.clients[0].secret: ${file:}");
    assertThat(placeholders.resolvedValues()).isEmpty();
    assertThat(rep.get("displayName").asText()).isEqualTo("${secret:labelled/key}");
  }
}
