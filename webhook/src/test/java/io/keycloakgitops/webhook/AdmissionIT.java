package io.keycloakgitops.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.keycloakgitops.testsupport.Fixtures;
import io.keycloakgitops.testsupport.ProcessResult;
import io.keycloakgitops.testsupport.TestCluster;
import io.keycloakgitops.webhook.rules.UpdateRule;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both webhooks registered on the real kube-apiserver (url clientConfig + caBundle) pointing at an in-process
 * server on 127.0.0.1, exercised with kubectl. The configurations only match this class's namespace.
 */
class AdmissionIT {
  static final String LABEL = "keycloak-gitops.io/webhook-it";
  static TestCluster cluster;
  static KubernetesClient client;
  static WebhookServer server;
  static WebhookConfigurations configurations;
  static String namespace;

  @BeforeAll
  static void register() {
    cluster = TestCluster.shared();
    cluster.installCrds();
    client = cluster.client();
    server = WebhookServer.start(WebhookConfig.loopback());
    String id = UUID.randomUUID().toString().substring(0, 8);
    configurations = WebhookConfigurations.forUrl("kgw-admission-it-" + id, server.baseUrl(), server.caBundlePem(), null)
        .onlyInNamespacesLabelled(Map.of(LABEL, id));
    configurations.apply(client);
    namespace = cluster.createNamespace("webhook-it", Map.of(LABEL, id));
    // The API server picks up new webhook configurations asynchronously.
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> !apply(keycloak("probe", "instances: 1"), "--dry-run=server").ok());
  }

  @AfterAll
  static void unregister() {
    if (configurations != null) {
      configurations.delete(client);
    }
    if (server != null) {
      server.close();
    }
  }

  static String keycloak(String name, String spec) {
    return "apiVersion: k8s.keycloak.org/v2beta1\nkind: Keycloak\nmetadata:\n  name: " + name + "\nspec:\n"
        + spec.indent(2);
  }

  static final String GOOD_SPEC = "http:\n  tlsSecret: kc-tls\nhostname:\n  hostname: sso.example.com\n";

  static ProcessResult apply(String manifest, String... extra) {
    String[] args = new String[4 + extra.length];
    args[0] = "apply";
    args[1] = "-n";
    args[2] = namespace;
    args[3] = "-f=-";
    System.arraycopy(extra, 0, args, 4, extra.length);
    return cluster.kubectlWithInput(manifest, args);
  }

  static JsonNode get(String resource, String name) throws Exception {
    ProcessResult result = cluster.kubectl("get", resource, name, "-n", namespace, "-o", "yaml");
    assertThat(result.ok()).as(result.toString()).isTrue();
    return Json.YAML.readTree(result.stdout());
  }

  @Test
  void aBadCrIsRejectedWithTheRulesMessage() throws Exception {
    String privileged = keycloak("privileged", GOOD_SPEC + "unsupported:\n  podTemplate:\n    spec:\n      containers:\n"
        + "      - name: keycloak\n        securityContext:\n          privileged: true\n");
    var result = apply(privileged);
    assertThat(result.ok()).isFalse();
    // 422 Invalid with one cause per field: kubectl prints it like the API server's own validation errors.
    assertThat(result.stderr()).contains("The Keycloak \"privileged\" is invalid").contains("spec.unsupported.podTemplate"
        + ".spec.containers[0].securityContext.privileged: Forbidden: violates PodSecurity \"baseline\" check \"privileged\"");
    assertThat(cluster.kubectl("get", "keycloak", "privileged", "-n", namespace).ok()).isFalse();

    var status = org.assertj.core.api.Assertions.catchThrowableOfType(KubernetesClientException.class,
        () -> client.resource(Json.YAML.readValue(privileged, GenericKubernetesResource.class)).inNamespace(namespace)
            .create()).getStatus();
    assertThat(status.getCode()).isEqualTo(422);
    assertThat(status.getMessage()).startsWith("admission webhook \"" + WebhookConfigurations.VALIDATING_WEBHOOK
        + "\" denied the request: Keycloak \"privileged\" is invalid: ");
    // Hardening cannot set allowPrivilegeEscalation=false beside privileged (an invalid pair), so both checks fail.
    assertThat(status.getDetails().getCauses()).extracting("field").containsExactlyInAnyOrder(
        "spec.unsupported.podTemplate.spec.containers[0].securityContext.privileged",
        "spec.unsupported.podTemplate.spec.containers[0].securityContext.allowPrivilegeEscalation");

    var noTls = apply(keycloak("plain", "http:\n  httpEnabled: true\nhostname:\n  hostname: sso.example.com\n"));
    assertThat(noTls.stderr()).contains("spec.http.tlsSecret: Required value: Keycloak must be reachable only over TLS");
  }

  @Test
  void aGoodCrIsAdmittedAndStoredWithTheDefaults() throws Exception {
    // The upstream example, v2alpha1: matchPolicy Equivalent hands it to the webhook as v2beta1.
    var result = apply(Fixtures.read("upstream/keycloak-basic.yaml"));
    assertThat(result.ok()).as(result.toString()).isTrue();
    assertThat(result.stderr()).contains("Warning: spec.ingress.enabled: defaulted to false");
    JsonNode spec = get("keycloaks.v2beta1.k8s.keycloak.org", "example-kc").path("spec");
    assertThat(spec.path("instances").asInt()).isEqualTo(1);
    assertThat(spec.path("networkPolicy").path("enabled").asBoolean()).isTrue();
    assertThat(spec.path("ingress").path("enabled").asBoolean(true)).isFalse();
    assertThat(spec.path("automountServiceAccountToken").asBoolean(true)).isFalse();
    assertThat(spec.path("proxy").path("headers").asText()).as("the user's value").isEqualTo("xforwarded");
    JsonNode pod = spec.path("unsupported").path("podTemplate").path("spec");
    assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
    JsonNode container = pod.path("containers").get(0);
    assertThat(container.path("name").asText()).isEqualTo("keycloak");
    assertThat(container.path("securityContext").path("capabilities").path("drop").get(0).asText()).isEqualTo("ALL");
    assertThat(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true)).isFalse();

    var again = apply(Fixtures.read("upstream/keycloak-basic.yaml"));
    assertThat(again.ok()).as(again.toString()).isTrue();
    assertThat(again.stdout()).contains("unchanged");
  }

  @Test
  void serverSideDryRunIsJudgedAndDefaultedButNotStored() throws Exception {
    var dryRun = apply(keycloak("dry", GOOD_SPEC), "--dry-run=server", "-o", "yaml");
    assertThat(dryRun.ok()).as(dryRun.toString()).isTrue();
    JsonNode returned = Json.YAML.readTree(dryRun.stdout());
    assertThat(returned.path("spec").path("networkPolicy").path("enabled").asBoolean()).isTrue();
    assertThat(cluster.kubectl("get", "keycloak", "dry", "-n", namespace).ok()).isFalse();

    var denied = apply(keycloak("dry-bad", GOOD_SPEC + "instances: 1\nunsupported:\n  podTemplate:\n    spec:\n"
        + "      hostNetwork: true\n"), "--dry-run=server");
    assertThat(denied.ok()).isFalse();
    assertThat(denied.stderr()).contains("spec.unsupported.podTemplate.spec.hostNetwork: Forbidden");
  }

  @Test
  void updateRulesFire() {
    assertThat(apply(keycloak("updated", GOOD_SPEC + "db:\n  vendor: postgres\n  host: pg\ninstances: 2\n")).ok()).isTrue();

    var vendor = apply(keycloak("updated", GOOD_SPEC + "db:\n  vendor: mysql\n  host: pg\ninstances: 2\n"));
    assertThat(vendor.ok()).isFalse();
    assertThat(vendor.stderr()).contains("spec.db.vendor: Forbidden: cannot change from \"postgres\" to \"mysql\"");

    var toZero = apply(keycloak("updated", GOOD_SPEC + "db:\n  vendor: postgres\n  host: pg\ninstances: 0\n"));
    assertThat(toZero.ok()).isFalse();
    assertThat(toZero.stderr()).contains("spec.instances: Forbidden: scaling to 0 stops Keycloak");

    var confirmed = apply("apiVersion: k8s.keycloak.org/v2beta1\nkind: Keycloak\nmetadata:\n  name: updated\n"
        + "  annotations:\n    " + UpdateRule.ALLOW_SCALE_TO_ZERO + ": \"true\"\nspec:\n"
        + (GOOD_SPEC + "db:\n  vendor: postgres\n  host: pg\ninstances: 0\n").indent(2));
    assertThat(confirmed.ok()).as(confirmed.toString()).isTrue();
  }

  @Test
  void realmImportsAreCheckedWithWarningsForPlaintextSecrets() {
    var noName = apply("apiVersion: k8s.keycloak.org/v2beta1\nkind: KeycloakRealmImport\nmetadata:\n  name: nameless\n"
        + "spec:\n  keycloakCRName: example-kc\n  realm:\n    enabled: true\n");
    assertThat(noName.ok()).isFalse();
    assertThat(noName.stderr()).contains("spec.realm.realm: Required value: the realm's name");

    var plaintext = apply("apiVersion: k8s.keycloak.org/v2beta1\nkind: KeycloakRealmImport\nmetadata:\n  name: acme\n"
        + "spec:\n  keycloakCRName: example-kc\n  realm:\n    realm: acme\n    clients:\n    - clientId: api\n"
        + "      secret: not-a-placeholder\n");
    assertThat(plaintext.ok()).as(plaintext.toString()).isTrue();
    assertThat(plaintext.stderr()).contains("Warning: spec.realm.clients[0].secret: secret in clear text")
        .doesNotContain("not-a-placeholder");
  }

  static String realmImport(String name, String realm) {
    return "apiVersion: k8s.keycloak.org/v2beta1\nkind: KeycloakRealmImport\nmetadata:\n  name: " + name + "\n"
        + "spec:\n  keycloakCRName: example-kc\n  realm:\n" + realm.indent(4);
  }

  @Test
  void realmImportsCannotReadTheServicesFilesOrEnvironmentNorTargetMaster() {
    var token = apply(realmImport("token", "realm: acme\ndisplayName: "
        + "\"${file:/var/run/secrets/kubernetes.io/serviceaccount/token}\""));
    assertThat(token.ok()).isFalse();
    assertThat(token.stderr()).contains("The KeycloakRealmImport \"token\" is invalid")
        .contains("spec.realm.displayName: Forbidden: ${file:} placeholders are refused in KeycloakRealmImport CRs");
    var environ = apply(realmImport("environ", "realm: acme\nsmtpServer:\n  password: \"${env:KEYCLOAK_PASSWORD}\""));
    assertThat(environ.stderr()).contains("spec.realm.smtpServer.password: Forbidden: ${env:} placeholders are refused");
    var master = apply(realmImport("admin", "realm: master"));
    assertThat(master.stderr()).contains("spec.realm.realm: Forbidden: realm master is refused");
    for (String name : new String[] {"token", "environ", "admin"}) {
      assertThat(cluster.kubectl("get", "keycloakrealmimport", name, "-n", namespace).ok()).as(name).isFalse();
    }
  }

  @Test
  void namespacesOutsideTheSelectorAreNotIntercepted() {
    String other = cluster.createNamespace("webhook-it-other");
    var result = cluster.kubectlWithInput(keycloak("unchecked", "http:\n  httpEnabled: true\n"), "apply", "-n", other,
        "-f=-", "--dry-run=server");
    assertThat(result.ok()).as(result.toString()).isTrue();
  }
}
