package io.keycloakgitops.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.keycloakgitops.schemas.Schemas;
import io.keycloakgitops.schemas.authority.RealmGrants;
import io.keycloakgitops.testsupport.ProcessResult;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** helm lint and helm template of the chart, default and full values, checked object by object. */
class ChartRenderTest {
  private static final String NS = "keycloak-gitops";

  static Stream<Arguments> valueSets() {
    return Stream.of(
        Arguments.of("default", new String[0]),
        Arguments.of("full", new String[] {"--values", Helm.fullValues().toString()}));
  }

  @ParameterizedTest(name = "{0} values")
  @MethodSource("valueSets")
  void lintPasses(String name, String[] values) {
    List<String> args = new java.util.ArrayList<>(List.of("lint", Tools.chartDir().toString(), "--strict",
        "--kube-version", Helm.KUBE_VERSION));
    args.addAll(List.of(values));
    ProcessResult result = Helm.run(args.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout()).contains("1 chart(s) linted, 0 chart(s) failed");
  }

  @ParameterizedTest(name = "{0} values")
  @MethodSource("valueSets")
  void everyPodRunsRestrictedWithResources(String name, String[] values) {
    List<ObjectNode> deployments = Helm.render("kg", NS, values).ofKind("Deployment").toList();
    assertThat(deployments).hasSizeGreaterThanOrEqualTo(3);
    for (ObjectNode deployment : deployments) {
      String where = deployment.path("metadata").path("name").asText();
      JsonNode pod = deployment.path("spec").path("template").path("spec");
      assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).as(where).isTrue();
      assertThat(pod.path("securityContext").path("runAsUser").asInt()).as(where).isPositive();
      assertThat(pod.path("securityContext").path("fsGroup").asInt()).as(where + " mounted Secrets readable").isPositive();
      assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText()).as(where).isEqualTo("RuntimeDefault");
      assertThat(pod.path("hostNetwork").asBoolean(false)).as(where).isFalse();
      for (JsonNode volume : pod.path("volumes")) {
        assertThat(volume.has("hostPath")).as(where + " volume " + volume).isFalse();
      }
      for (JsonNode container : pod.path("containers")) {
        String at = where + "/" + container.path("name").asText();
        JsonNode context = container.path("securityContext");
        assertThat(context.path("allowPrivilegeEscalation").isBoolean() && !context.path("allowPrivilegeEscalation").asBoolean()).as(at).isTrue();
        assertThat(context.path("readOnlyRootFilesystem").asBoolean()).as(at).isTrue();
        assertThat(texts(context.path("capabilities").path("drop"))).as(at).containsExactly("ALL");
        assertThat(context.path("capabilities").has("add")).as(at).isFalse();
        assertThat(container.path("resources").path("requests").has("cpu")).as(at).isTrue();
        assertThat(container.path("resources").path("requests").has("memory")).as(at).isTrue();
        assertThat(container.path("resources").path("limits").has("memory")).as(at).isTrue();
        assertThat(container.has("readinessProbe") && container.has("livenessProbe")).as(at).isTrue();
      }
    }
  }

  @ParameterizedTest(name = "{0} values")
  @MethodSource("valueSets")
  void rbacHasNoWildcards(String name, String[] values) {
    List<ObjectNode> roles = Helm.render("kg", NS, values).ofKind("Role", "ClusterRole").toList();
    assertThat(roles).isNotEmpty();
    for (ObjectNode role : roles) {
      for (JsonNode rule : role.path("rules")) {
        for (String field : List.of("verbs", "resources", "apiGroups", "resourceNames", "nonResourceURLs")) {
          assertThat(texts(rule.path(field))).as(role.path("metadata").path("name").asText() + " " + field)
              .noneMatch(value -> value.contains("*"));
        }
        assertThat(texts(rule.path("verbs"))).doesNotContain("escalate", "bind", "impersonate");
      }
    }
  }

  @ParameterizedTest(name = "{0} values")
  @MethodSource("valueSets")
  void syncWavesOrderWebhookBeforeControllersBeforeCustomResources(String name, String[] values) {
    Manifests manifests = Helm.render("kg", NS, values);
    Map<String, Integer> waveByComponent = new HashMap<>();
    for (ObjectNode object : manifests.objects()) {
      String what = object.path("kind").asText() + "/" + object.path("metadata").path("name").asText();
      JsonNode wave = object.path("metadata").path("annotations").path("argocd.argoproj.io/sync-wave");
      assertThat(wave.isTextual()).as(what + " has a sync-wave annotation").isTrue();
      int value = Integer.parseInt(wave.asText());
      assertThat(value).as(what + " comes after the CRDs (wave 0)").isPositive();
      String component = switch (object.path("kind").asText()) {
        case "Keycloak" -> "keycloak";
        case "KeycloakRealmImport" -> "realmImport";
        default -> object.path("metadata").path("labels").path("app.kubernetes.io/component").asText();
      };
      Integer previous = waveByComponent.putIfAbsent(component, value);
      assertThat(previous == null || previous == value).as(what + ": one wave per component").isTrue();
    }
    assertThat(waveByComponent.get("webhook")).isLessThan(waveByComponent.get("reconciler"));
    assertThat(waveByComponent.get("reconciler")).isEqualTo(waveByComponent.get("realm-sync"));
    if (waveByComponent.containsKey("keycloak")) {
      assertThat(waveByComponent.get("reconciler")).isLessThan(waveByComponent.get("keycloak"));
      assertThat(waveByComponent.get("keycloak")).isLessThan(waveByComponent.get("realmImport"));
    }
  }

  @ParameterizedTest(name = "{0} values")
  @MethodSource("valueSets")
  void webhookMatchesOnlyOurCrsAndSkipsSystemAndOwnNamespace(String name, String[] values) {
    Manifests manifests = Helm.render("kg", NS, values);
    ObjectNode deployment = manifests.ofKind("Deployment")
        .filter(d -> "webhook".equals(d.path("metadata").path("labels").path("app.kubernetes.io/component").asText()))
        .findFirst().orElseThrow();
    Map<String, String> env = env(deployment.path("spec").path("template").path("spec").path("containers").get(0));
    String configName = env.get("WEBHOOK_CONFIG_NAME");
    ObjectNode service = manifests.get("Service", env.get("WEBHOOK_SERVICE"));
    assertThat(service.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(443);
    assertThat(env.get("WEBHOOK_BIND")).isEqualTo("0.0.0.0");

    for (String kind : List.of("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration")) {
      ObjectNode config = manifests.get(kind, configName);
      assertThat(config.path("webhooks")).hasSize(1);
      JsonNode webhook = config.path("webhooks").get(0);
      assertThat(webhook.path("sideEffects").asText()).isEqualTo("None");
      assertThat(webhook.path("timeoutSeconds").asInt()).isBetween(1, 30);
      assertThat(webhook.path("clientConfig").path("service").path("name").asText()).isEqualTo(service.path("metadata").path("name").asText());
      assertThat(webhook.path("clientConfig").path("service").path("namespace").asText()).isEqualTo(NS);
      assertThat(webhook.path("clientConfig").path("service").path("path").asText())
          .isEqualTo(kind.startsWith("Validating") ? "/validate" : "/mutate");
      assertThat(webhook.path("clientConfig").has("caBundle")).as("the caBundle is left to the webhook or cert-manager").isFalse();
      for (JsonNode rule : webhook.path("rules")) {
        assertThat(texts(rule.path("apiGroups"))).containsExactly("k8s.keycloak.org");
        assertThat(texts(rule.path("resources"))).containsExactlyInAnyOrder("keycloaks", "keycloakrealmimports");
        assertThat(texts(rule.path("operations"))).containsExactlyInAnyOrder("CREATE", "UPDATE");
      }
      JsonNode expression = webhook.path("namespaceSelector").path("matchExpressions").get(0);
      assertThat(expression.path("key").asText()).isEqualTo("kubernetes.io/metadata.name");
      assertThat(expression.path("operator").asText()).isEqualTo("NotIn");
      assertThat(texts(expression.path("values"))).contains("kube-system", NS);
    }
  }

  @Test
  void selfManagedCertificateRbacIsLimitedToItsSecretAndConfigurations() {
    Manifests manifests = Helm.render("kg", NS);
    ObjectNode deployment = manifests.get("Deployment", "kg-keycloak-gitops-webhook");
    Map<String, String> env = env(deployment.path("spec").path("template").path("spec").path("containers").get(0));
    ObjectNode role = manifests.get("Role", "kg-keycloak-gitops-webhook");
    JsonNode named = role.path("rules").get(0);
    assertThat(texts(named.path("resourceNames"))).containsExactly(env.get("WEBHOOK_CERT_SECRET"));
    ObjectNode clusterRole = manifests.get("ClusterRole", "kg-keycloak-gitops-webhook");
    assertThat(clusterRole.path("rules")).hasSize(1);
    assertThat(texts(clusterRole.path("rules").get(0).path("resourceNames"))).containsExactly(env.get("WEBHOOK_CONFIG_NAME"));
    assertThat(texts(clusterRole.path("rules").get(0).path("verbs"))).doesNotContain("create", "delete", "list");
  }

  @Test
  void certManagerModeInjectsTheCaAndMountsTheIssuedSecret() {
    Manifests manifests = Helm.render("kg", NS, "--values", Helm.fullValues().toString());
    ObjectNode certificate = manifests.get("Certificate", "kg-full-webhook");
    String secret = certificate.path("spec").path("secretName").asText();
    assertThat(texts(certificate.path("spec").path("dnsNames"))).contains("kg-full-webhook.keycloak-gitops.svc");
    for (String kind : List.of("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration")) {
      assertThat(manifests.get(kind, "kg-full-admission").path("metadata").path("annotations")
          .path("cert-manager.io/inject-ca-from").asText()).isEqualTo(NS + "/kg-full-webhook");
    }
    JsonNode pod = manifests.get("Deployment", "kg-full-webhook").path("spec").path("template").path("spec");
    assertThat(env(pod.path("containers").get(0))).containsKey("WEBHOOK_CERT_DIR").doesNotContainKey("WEBHOOK_CERT_SECRET");
    assertThat(StreamSupport.stream(pod.path("volumes").spliterator(), false)
        .anyMatch(v -> secret.equals(v.path("secret").path("secretName").asText()))).isTrue();
    assertThat(manifests.find("Role", "kg-full-webhook")).as("no Secret access without self-managed certificates").isEmpty();
  }

  @Test
  void watchNamespacesGetRolesInsteadOfClusterWideAccess() {
    Manifests manifests = Helm.render("kg", NS, "--values", Helm.fullValues().toString());
    ObjectNode clusterRole = manifests.get("ClusterRole", "kg-full-reconciler");
    assertThat(clusterRole.path("rules")).hasSize(1);
    assertThat(texts(clusterRole.path("rules").get(0).path("resources"))).containsExactly("customresourcedefinitions");
    assertThat(manifests.ofKind("Role").filter(r -> r.path("metadata").path("name").asText().equals("kg-full-reconciler"))
        .map(r -> r.path("metadata").path("namespace").asText())).containsExactlyInAnyOrder("team-a", "team-b");
  }

  @Test
  void watchNamespacesConfineRealmSyncToThemAndItsOwnNamespace() {
    Manifests manifests = Helm.render("kg", NS, "--values", Helm.fullValues().toString());
    assertThat(manifests.find("ClusterRole", "kg-full-realm-sync")).isEmpty();
    assertThat(manifests.find("ClusterRoleBinding", "kg-full-realm-sync")).isEmpty();
    assertThat(manifests.ofKind("Role").filter(r -> r.path("metadata").path("name").asText().equals("kg-full-realm-sync"))
        .map(r -> r.path("metadata").path("namespace").asText())).containsExactlyInAnyOrder("team-a", "team-b");
    assertThat(manifests.get("Role", "kg-full-realm-sync-own").path("metadata").path("namespace").asText()).isEqualTo(NS);
    assertThat(env(container(manifests, "kg-full-realm-sync"))).containsEntry("WATCH_NAMESPACES", "team-a,team-b");
    // Only Roles in the watched namespaces: nothing reaches kube-system.
    assertThat(manifests.ofKind("Role", "RoleBinding").map(r -> r.path("metadata").path("namespace").asText()))
        .doesNotContain("kube-system");
  }

  @Test
  void clusterWideModeExcludesKubeSystemAndTheReleaseNamespaceFromTheReconciler() {
    Manifests defaults = Helm.render("kg", NS);
    assertThat(env(container(defaults, "kg-keycloak-gitops-reconciler")))
        .containsEntry("EXCLUDE_NAMESPACES", "kube-system," + NS);
    Manifests full = Helm.render("kg", NS, "--values", Helm.fullValues().toString(), "--set",
        "reconciler.watchNamespaces=null");
    assertThat(env(container(full, "kg-full-reconciler"))).containsEntry("EXCLUDE_NAMESPACES", "kube-system," + NS + ",legacy");
  }

  @Test
  void realmGrantsReachTheWebhookPolicyAndRealmSyncAsOneList() throws IOException {
    Manifests manifests = Helm.render("kg", NS, "--values", Helm.fullValues().toString());
    JsonNode policy = Manifests.YAML.readTree(manifests.get("ConfigMap", "kg-full-webhook-policy").path("data")
        .path("policy.yaml").asText());
    String grantsFile = manifests.get("ConfigMap", "kg-full-realm-sync-realm-grants").path("data")
        .path("realm-grants.yaml").asText();
    assertThat(Manifests.YAML.readTree(grantsFile).path("grants")).isEqualTo(policy.path("realmGrants"));
    var grants = RealmGrants.parse(grantsFile);
    assertThat(grants.allows("platform", "master")).isTrue();
    assertThat(grants.allows("team-a", "team-b")).isTrue();
    assertThat(grants.allows("team-a", "master")).isFalse();
    assertThat(policy.path("namespaces").isArray()).as("the relaxations stay beside the grants").isTrue();

    JsonNode realmSync = container(manifests, "kg-full-realm-sync");
    assertThat(env(realmSync)).containsEntry("REALM_GRANTS_FILE", "/etc/keycloak-gitops/realm-grants/realm-grants.yaml")
        .containsEntry("PLACEHOLDER_ENV_PREFIX", "IDP_").containsEntry("PLACEHOLDER_DIR", "/etc/keycloak-gitops/placeholders")
        .containsEntry("MAX_DELETIONS", "10").containsEntry("MANAGEMENT_PORT", "9091")
        .containsEntry("OWNERSHIP_KEY_SECRET", "kg-full-realm-sync-ownership-key");
    assertThat(realmSync.path("volumeMounts").toString()).contains("/etc/keycloak-gitops/realm-grants")
        .contains("/etc/keycloak-gitops/placeholders");

    Manifests defaults = Helm.render("kg", NS);
    assertThat(defaults.find("ConfigMap", "kg-keycloak-gitops-webhook-policy")).isEmpty();
    assertThat(defaults.find("ConfigMap", "kg-keycloak-gitops-realm-sync-realm-grants")).isEmpty();
    assertThat(env(container(defaults, "kg-keycloak-gitops-realm-sync"))).doesNotContainKey("REALM_GRANTS_FILE")
        .doesNotContainKey("PLACEHOLDER_DIR").containsEntry("PLACEHOLDER_ENV_PREFIX", "REALM_")
        .containsEntry("MAX_DELETIONS", "25").containsEntry("MANAGEMENT_PORT", "8081");
    Manifests grantsOnly = Helm.render("kg", NS, "--set", "realmGrants[0].namespace=a", "--set", "realmGrants[0].realms[0]=a");
    JsonNode webhook = container(grantsOnly, "kg-keycloak-gitops-webhook");
    assertThat(env(webhook)).containsEntry("WEBHOOK_POLICY_FILE", "/etc/keycloak-gitops/policy/policy.yaml");
  }

  @Test
  void signatureVerificationGetsItsKeysFromAConfigMap() {
    String keys = "-----BEGIN PGP PUBLIC KEY BLOCK-----\nabc\n-----END PGP PUBLIC KEY BLOCK-----";
    Manifests manifests = Helm.render("kg", NS, "--set", "realmSync.git.repo=https://git.example.com/realms.git",
        "--set", "realmSync.keycloak.url=http://keycloak:8080", "--set", "realmSync.git.signatures.verify=true",
        "--set-string", "realmSync.git.signatures.trustedKeys=" + keys);
    JsonNode realmSync = container(manifests, "kg-keycloak-gitops-realm-sync");
    assertThat(env(realmSync)).containsEntry("VERIFY_SIGNATURES", "true")
        .containsEntry("TRUSTED_KEYS_FILE", "/etc/keycloak-gitops/signatures/trusted-keys.asc")
        .doesNotContainKey("ALLOWED_SIGNERS_FILE");
    assertThat(realmSync.path("volumeMounts").toString()).contains("/etc/keycloak-gitops/signatures");
    JsonNode data = manifests.get("ConfigMap", "kg-keycloak-gitops-realm-sync-signatures").path("data");
    assertThat(data.path("trusted-keys.asc").asText()).isEqualTo(keys + "\n");
    assertThat(data.has("allowed_signers")).isFalse();

    Manifests off = Helm.render("kg", NS, "--set", "realmSync.git.repo=https://git.example.com/realms.git",
        "--set", "realmSync.keycloak.url=http://keycloak:8080");
    assertThat(env(container(off, "kg-keycloak-gitops-realm-sync"))).doesNotContainKey("VERIFY_SIGNATURES");
    assertThat(off.find("ConfigMap", "kg-keycloak-gitops-realm-sync-signatures")).isEmpty();
  }

  @ParameterizedTest(name = "{0} values")
  @MethodSource("valueSets")
  void statusAndMetricsAreOnTheManagementPortThatNoIngressReaches(String name, String[] values) {
    Manifests manifests = Helm.render("kg", NS, values);
    String fullname = name.equals("full") ? "kg-full" : "kg-keycloak-gitops";
    JsonNode realmSync = container(manifests, fullname + "-realm-sync");
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      assertThat(realmSync.path(probe).path("httpGet").path("port").asText()).as(probe).isEqualTo("management");
    }
    assertThat(realmSync.path("ports").findValuesAsText("name")).containsExactly("http", "management");
    JsonNode service = manifests.get("Service", fullname + "-realm-sync");
    assertThat(service.path("spec").path("ports").findValuesAsText("name")).containsExactly("http", "management");
    manifests.find("Ingress", fullname + "-realm-sync").ifPresent(ingress -> {
      assertThat(ingress.path("spec").path("rules").findValuesAsText("path")).containsExactly("/hooks/git");
      assertThat(ingress.path("spec").path("rules").findValues("port").stream().map(p -> p.path("name").asText()))
          .containsOnly("http");
    });
    manifests.find("ServiceMonitor", fullname + "-realm-sync").ifPresent(monitor ->
        assertThat(monitor.path("spec").path("endpoints").get(0).path("port").asText()).isEqualTo("management"));
    if (name.equals("full")) {
      assertThat(manifests.find("Ingress", fullname + "-realm-sync")).as("the full values publish the push hook").isPresent();
    }
  }

  private static JsonNode container(Manifests manifests, String deployment) {
    return manifests.get("Deployment", deployment).path("spec").path("template").path("spec").path("containers").get(0);
  }

  @Test
  void crdsAreTheGeneratedOnesAndComeFirstWithIncludeCrds() throws IOException {
    for (String name : List.of(Schemas.KEYCLOAK_CRD, Schemas.REALM_IMPORT_CRD)) {
      var chartCopy = Files.readString(Tools.chartDir().resolve("crds/" + name + ".yaml"));
      assertThat(Serialization.unmarshal(chartCopy, CustomResourceDefinition.class))
          .as("chart/crds/%s.yaml equals what the schemas module generates", name)
          .isEqualTo(Serialization.unmarshal(Schemas.crdYaml(name), CustomResourceDefinition.class));
    }
    List<ObjectNode> objects = Helm.render("kg", NS, "--include-crds").objects();
    assertThat(objects.subList(0, 2)).extracting(o -> o.path("metadata").path("name").asText())
        .containsExactlyInAnyOrder(Schemas.KEYCLOAK_CRD, Schemas.REALM_IMPORT_CRD);
  }

  @Test
  void examplesAreOffByDefault() {
    Manifests manifests = Helm.render("kg", NS);
    assertThat(manifests.ofKind("Keycloak", "KeycloakRealmImport")).isEmpty();
    assertThat(manifests.ofKind("Certificate", "Issuer", "ServiceMonitor", "Ingress")).isEmpty();
  }

  static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  static Map<String, String> env(JsonNode container) {
    Map<String, String> env = new HashMap<>();
    for (JsonNode var : container.path("env")) {
      env.put(var.path("name").asText(), var.path("value").asText(null));
    }
    return env;
  }
}
