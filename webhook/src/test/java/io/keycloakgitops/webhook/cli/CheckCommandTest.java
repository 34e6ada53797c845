package io.keycloakgitops.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.keycloakgitops.testsupport.Fixtures;
import io.keycloakgitops.webhook.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
  @TempDir
  Path dir;

  record Run(int exit, String out, String err) {}

  private Run run(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var commandLine = Commands.commandLine();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int exit = commandLine.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private Path write(String name, String content) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  @Test
  void upstreamManifestsPass() throws Exception {
    Path all = write("all.yaml", Fixtures.read("upstream/keycloak-basic.yaml") + "\n---\n"
        + Fixtures.read("upstream/keycloak-full.yaml") + "\n---\n" + Fixtures.read("upstream/realm-import-full.yaml")
        + "\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: unrelated\n");
    Run run = run("check", all.toString());
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).doesNotContain("Forbidden", "Required", "Invalid");
    assertThat(run.err()).contains("checked 3 Keycloak/KeycloakRealmImport object(s) in 1 file(s): all admitted");
  }

  @Test
  void deniedObjectsGiveFileKindNameFieldAndMessage() throws Exception {
    Path bad = write("bad.yaml", """
        apiVersion: k8s.keycloak.org/v2beta1
        kind: Keycloak
        metadata:
          name: open
        spec:
          http:
            httpEnabled: true
          hostname:
            hostname: sso.example.com
          unsupported:
            podTemplate:
              spec:
                containers:
                - name: keycloak
                  securityContext:
                    privileged: true
        ---
        apiVersion: k8s.keycloak.org/v2beta1
        kind: KeycloakRealmImport
        metadata:
          name: acme
        spec:
          keycloakCRName: open
          realm:
            realm: acme
            clients:
            - clientId: api
              secret: plain
        """);
    Run run = run("check", bad.toString());
    assertThat(run.exit()).isEqualTo(CheckCommand.DENIED);
    assertThat(run.out().lines()).contains(
        bad + ": Keycloak/open: spec.unsupported.podTemplate.spec.containers[0].securityContext.privileged: Forbidden: "
            + "violates PodSecurity \"baseline\" check \"privileged\" (privileged): container \"keycloak\" must not be "
            + "privileged",
        bad + ": KeycloakRealmImport/acme: warning: spec.realm.clients[0].secret: secret in clear text; use a "
            + "${PLACEHOLDER} backed by spec.placeholders (a Secret)");
    assertThat(run.out().lines()).anyMatch(line -> line.startsWith(bad + ": Keycloak/open: spec.http.tlsSecret: Required"));
  }

  @Test
  void unreadableInputExitsWithTwoEvenWhenOtherFilesPass() throws Exception {
    Path good = write("good.yaml", Fixtures.read("upstream/keycloak-basic.yaml"));
    Path broken = write("broken.yaml", "apiVersion: [unclosed\n");
    Run run = run("check", good.toString(), broken.toString(), dir.resolve("missing.yaml").toString());
    assertThat(run.exit()).isEqualTo(CheckCommand.UNREADABLE);
    assertThat(run.err()).contains(broken + ": unreadable: ", dir.resolve("missing.yaml") + ": unreadable: ");
  }

  @Test
  void mutatePrintsTheDefaultedManifestsThatThenPassUnchanged() throws Exception {
    Path basic = write("basic.json", Json.MAPPER.writeValueAsString(
        Json.YAML.readTree(Fixtures.read("upstream/keycloak-basic.yaml"))));
    Run run = run("check", "--mutate", basic.toString());
    assertThat(run.exit()).isZero();
    var defaulted = Json.YAML.readTree(run.out());
    assertThat(defaulted.path("spec").path("networkPolicy").path("enabled").asBoolean()).isTrue();
    assertThat(run.err()).contains("warning: spec.ingress.enabled: defaulted to false");

    Path again = write("again.yaml", run.out());
    Run second = run("check", "--mutate", again.toString());
    assertThat(second.exit()).isZero();
    assertThat(Json.YAML.readTree(second.out())).isEqualTo(defaulted);
    assertThat(second.err()).doesNotContain("warning");
  }

  @Test
  void mutatedYamlKeepsStringsThatLookLikeNumbersOrBooleans() throws Exception {
    Path manifest = write("strings.yaml", Fixtures.read("upstream/keycloak-basic.yaml")
        + "  unsupported:\n    podTemplate:\n      metadata:\n        annotations:\n          port: \"8080\"\n"
        + "          enabled: \"true\"\n");
    Run run = run("check", "--mutate", manifest.toString());
    assertThat(run.exit()).as(run.toString()).isZero();
    var annotations = Json.YAML.readTree(run.out()).path("spec").path("unsupported").path("podTemplate")
        .path("metadata").path("annotations");
    assertThat(annotations.path("port").isTextual()).isTrue();
    assertThat(annotations.path("enabled").isTextual()).isTrue();
  }

  @Test
  void thePolicyFileRelaxesPerNamespace() throws Exception {
    Path plain = write("plain.yaml", "apiVersion: k8s.keycloak.org/v2beta1\nkind: Keycloak\nmetadata:\n  name: dev\n"
        + "  namespace: dev-alice\nspec:\n  http:\n    httpEnabled: true\n  hostname:\n    strict: false\n");
    Path policy = write("policy.yaml", "namespaces:\n  - name: dev-*\n    tls: optional\n");
    assertThat(run("check", plain.toString()).exit()).isEqualTo(CheckCommand.DENIED);
    Run relaxed = run("check", "--policy", policy.toString(), plain.toString());
    assertThat(relaxed.exit()).isZero();
    assertThat(relaxed.out()).contains("warning: spec.http.tlsSecret: Required value");
  }

  private static String realmImport(String name, String namespace, String realm) {
    return "apiVersion: k8s.keycloak.org/v2beta1\nkind: KeycloakRealmImport\nmetadata:\n  name: " + name
        + "\n  namespace: " + namespace + "\nspec:\n  keycloakCRName: kc\n  realm:\n" + realm.indent(4);
  }

  @Test
  void realmImportsThatReachFurtherThanTheirNamespaceAreDenied() throws Exception {
    Path imports = write("imports.yaml", realmImport("token", "team-a", "realm: team-a\n"
        + "displayName: ${file:/var/run/secrets/kubernetes.io/serviceaccount/token}") + "---\n"
        + realmImport("env", "team-a", "realm: team-a\nsmtpServer:\n  password: ${env:KEYCLOAK_PASSWORD}") + "---\n"
        + realmImport("admin", "team-a", "realm: master"));
    Run run = run("check", imports.toString());
    assertThat(run.exit()).as(run.toString()).isEqualTo(CheckCommand.DENIED);
    assertThat(run.out()).contains(imports + ": KeycloakRealmImport/token: spec.realm.displayName: Forbidden: "
            + "${file:} placeholders are refused in KeycloakRealmImport CRs")
        .contains(imports + ": KeycloakRealmImport/env: spec.realm.smtpServer.password: Forbidden: ${env:} placeholders")
        .contains(imports + ": KeycloakRealmImport/admin: spec.realm.realm: Forbidden: realm master is refused");
  }

  @Test
  void realmGrantsInThePolicyFileDecideWhichRealmsANamespaceMayTarget() throws Exception {
    Path policy = write("policy.yaml", "realmGrants:\n  - namespace: platform\n    realms: [master]\n"
        + "  - namespace: \"team-*\"\n    realms: [\"team-*\"]\n");
    Path granted = write("granted.yaml", realmImport("admin", "platform", "realm: master") + "---\n"
        + realmImport("own", "team-a", "realm: team-a"));
    Run allowed = run("check", "--policy", policy.toString(), granted.toString());
    assertThat(allowed.exit()).as(allowed.toString()).isZero();
    Path other = write("other.yaml", realmImport("foreign", "team-a", "realm: acme"));
    Run denied = run("check", "--policy", policy.toString(), other.toString());
    assertThat(denied.exit()).isEqualTo(CheckCommand.DENIED);
    assertThat(denied.out()).contains("spec.realm.realm: Forbidden: realm acme is not granted to namespace team-a");
  }
}
