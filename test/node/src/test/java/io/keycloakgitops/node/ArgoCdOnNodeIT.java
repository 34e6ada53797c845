package io.keycloakgitops.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.keycloakgitops.testsupport.ArgoCd;
import io.keycloakgitops.testsupport.GitRepo;
import io.keycloakgitops.testsupport.Listeners;
import io.keycloakgitops.testsupport.ProcessResult;
import io.keycloakgitops.testsupport.ServiceProcess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Argo CD itself (application controller + repo server, {@link ArgoCd}, on this machine) installs the whole system on
 * the node from one local Git repository laid out as docs/argocd.md describes: the chart with a platform values file
 * (the images built here, the realm-sync settings), a team's PostgreSQL and Keycloak CR, and a realm file that the
 * realm-sync Argo CD deployed pulls from the same repository (through {@code git daemon}, as the pods see it).
 * Nothing is simulated: the webhook pods answer the API server, the reconciler's Keycloak pod becomes Ready, and
 * Argo CD computes health with the chart's checks from the objects' real status. The steps share state and run in
 * order.
 *
 * <p>This is a second installation beside the one of {@code cluster.sh up} (which watches its namespace only): this
 * one's reconciler and realm-sync watch the team namespace of this test only.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ArgoCdOnNodeIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofMinutes(3);
  private static final String KEYCLOAK = "argo-sso";
  private static final String REALM = "argo-team";
  private static final String PRIVILEGED_MESSAGE = "spec.unsupported.podTemplate.spec.containers[0].securityContext"
      + ".privileged: Forbidden: violates PodSecurity \"baseline\" check \"privileged\"";
  private static final String WEBHOOK_DENIED = "denied the request";

  @TempDir
  static Path tempDir;

  private static NodeCluster cluster;
  private static KubernetesClient admin;
  private static ArgoCd argo;
  private static GitRepo repo;
  private static Path repoDir;
  private static String fullname;
  private static String release;
  private static String apps;
  private static String tag;

  @BeforeAll
  static void start() throws Exception {
    cluster = NodeCluster.shared();
    admin = cluster.client();
    tag = cluster.imageTag();
    String id = UUID.randomUUID().toString().substring(0, 6);
    fullname = "kga-" + id;
    release = "kga-" + id;
    apps = "kga-apps-" + id;

    // The team's namespace and the Secrets its Keycloak refers to (they never go into Git); realm-sync's copy of the
    // admin credentials in the release namespace (a platform team provisions both, e.g. from a secret store).
    String adminPassword = UUID.randomUUID().toString();
    for (String namespace : List.of(release, apps)) {
      admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
          .addToLabels("pod-security.kubernetes.io/enforce", "restricted").endMetadata().build()).create();
      admin.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName("keycloak-admin")
          .endMetadata().addToStringData("username", "platform-admin").addToStringData("password", adminPassword)
          .build()).create();
    }
    admin.secrets().inNamespace(apps).resource(new SecretBuilder().withNewMetadata().withName("keycloak-db")
        .endMetadata().addToStringData("username", "keycloak").addToStringData("password", UUID.randomUUID().toString())
        .build()).create();
    admin.secrets().inNamespace(apps).resource(new SecretBuilder().withNewMetadata().withName("argo-sso-tls")
        .endMetadata().withType("kubernetes.io/tls").addToStringData("tls.crt", "crt").addToStringData("tls.key", "key")
        .build()).create();

    // Argo CD's repo server clones it by file path, the pods through git daemon on the bridge.
    repoDir = cluster.gitDirectory().resolve("argo-" + id);
    repo = GitRepo.create(repoDir, "main");
    String podGitUrl = "git://" + cluster.env("NODE_IP") + "/" + cluster.gitDirectory().relativize(repo.bareDir());
    copyChart();
    repo.write("keycloak-gitops/values-platform.yaml", """
        # What the platform team sets for this cluster: the images built here, and where realm-sync finds realms.
        fullnameOverride: %1$s
        image: {registry: localhost, tag: "%2$s", pullPolicy: Never}
        reconciler:
          keycloakImage: localhost/keycloak-gitops/keycloak:%2$s
          watchNamespaces: [%3$s]
        realmSync:
          interval: 10s
          git: {repo: "%4$s", branch: main, path: realms}
          keycloak:
            url: http://%5$s-service.%3$s.svc:8080
            credentialsSecret: {name: keycloak-admin}
        """.formatted(fullname, tag, apps, podGitUrl, KEYCLOAK));
    repo.write("identity/postgres.yaml", postgres());
    repo.write("identity/keycloak.yaml", keycloak("sso.argo.example", false));
    repo.write("realms/" + REALM + ".json", "{\"realm\": \"" + REALM + "\", \"enabled\": true}\n");
    repo.commitAndPush("platform: keycloak-gitops, a team's Keycloak and a realm");

    argo = ArgoCd.start(cluster, cluster.root().resolve("chart"), NodeCluster.helm(),
        Files.createDirectories(tempDir.resolve("argocd")));
    System.out.printf("Argo CD repo server + application controller ready in %d ms%n", argo.startMillis());
    for (ServiceProcess process : argo.processes()) {
      assertThat(Listeners.nonLoopback(process.handle())).as(process.name() + " listens on loopback only").isEmpty();
    }
  }

  @AfterAll
  static void stop() throws IOException {
    if (argo != null) {
      // Stop syncing first, so nothing recreates what the test removes.
      argo.close();
      cluster.kubectl("delete", "namespace", argo.namespace(), "--ignore-not-found", "--wait=false");
    }
    if (fullname != null) {
      // The webhook configurations first: with failurePolicy Fail they would block every Keycloak CR of the cluster
      // once this installation's webhook pods are gone.
      cluster.kubectl("delete", "--ignore-not-found", "validatingwebhookconfiguration,mutatingwebhookconfiguration",
          "-l", "app.kubernetes.io/instance=" + fullname);
      // The CR while its reconciler still runs, so that its finalizer (if any) is handled.
      cluster.kubectl("-n", apps, "delete", "keycloak", "--all", "--ignore-not-found", "--timeout=120s");
      cluster.kubectl("delete", "namespace", apps, release, "--ignore-not-found", "--wait=false");
      cluster.kubectl("delete", "--ignore-not-found", "clusterrole,clusterrolebinding",
          "-l", "app.kubernetes.io/instance=" + fullname);
    }
    if (repo != null) {
      repo.close();
      try (Stream<Path> files = Files.walk(repoDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  @Test
  @Order(1)
  void syncsInTheChartsWaves() {
    Instant created = Instant.now();
    ProcessResult result = cluster.kubectlWithInput(application(), "apply", "-f", "-");
    assertThat(result.ok()).as(result.toString()).isTrue();

    // Wave 1 is applied, and the operation waits for its health before wave 2 (no pod is Ready that fast).
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
        assertThat(deployment(release, fullname + "-webhook")).as("wave 1 applied" + diagnostics()).isPresent());
    assertThat(deployment(release, fullname + "-reconciler")).as("wave 2 waits for wave 1's health").isEmpty();
    assertThat(keycloakCr()).isEmpty();

    await().atMost(WAIT).untilAsserted(() -> assertThat(keycloakCr()).as("wave 3 applied" + diagnostics()).isPresent());
    // Each wave was written only after the previous one was Available: real pods, counted by real controllers.
    Instant webhookAvailable = available(release, fullname + "-webhook");
    Instant reconcilerCreated = created(deployment(release, fullname + "-reconciler").orElseThrow().getMetadata());
    Instant reconcilerAvailable = available(release, fullname + "-reconciler");
    Instant keycloakCreated = created(admin.genericKubernetesResources("k8s.keycloak.org/v2beta1", "Keycloak")
        .inNamespace(apps).withName(KEYCLOAK).get().getMetadata());
    assertThat(reconcilerCreated).as("wave 2 after the webhook's pods were Ready").isAfterOrEqualTo(webhookAvailable);
    assertThat(keycloakCreated).as("wave 3 after the reconciler's pod was Ready").isAfterOrEqualTo(reconcilerAvailable);
    assertThat(readyPods(release, fullname + "-webhook")).as("the webhook's two pods").isEqualTo(2);
    System.out.printf("Argo CD on the node: Application created to wave 3 applied in %d ms%n",
        Duration.between(created, Instant.now()).toMillis());
  }

  @Test
  @Order(2)
  void theApplicationIsHealthyOnlyOnceKeycloaksPodIsReady() {
    Instant start = Instant.now();
    List<String> healthyBeforeReady = new ArrayList<>();
    boolean[] sawProgressing = {false};
    await().atMost(NodeCluster.POD_START).pollInterval(Duration.ofSeconds(1)).until(() -> {
      String appHealth = app().path("status").path("health").path("status").asText();
      String crHealth = keycloakResource().path("health").path("status").asText();
      boolean ready = "True".equals(readyCondition());
      sawProgressing[0] |= "Progressing".equals(crHealth);
      if (("Healthy".equals(appHealth) || "Healthy".equals(crHealth)) && !ready) {
        healthyBeforeReady.add(Instant.now() + ": app " + appHealth + ", Keycloak " + crHealth);
      }
      return "Healthy".equals(appHealth) && "Healthy".equals(crHealth);
    });
    assertThat(healthyBeforeReady).as("never Healthy while the CR was not Ready").isEmpty();
    assertThat(sawProgressing[0]).as("Progressing while Keycloak's pod started").isTrue();
    assertThat(app().path("status").path("operationState").path("phase").asText()).isEqualTo("Succeeded");
    List<Pod> pods = keycloakPods();
    assertThat(pods).as("the reconciler's pod, Ready under restricted").hasSize(1).allMatch(NodeCluster::podReady);
    System.out.printf("Argo CD on the node: Keycloak CR applied to Application Healthy in %d s%n",
        Duration.between(start, Instant.now()).toSeconds());
  }

  @Test
  @Order(3)
  void theRealmSyncArgoCdDeployedServesTheRealmFromGit() {
    String discovery = cluster.serviceUrl(apps, KEYCLOAK + "-service") + "/realms/" + REALM
        + "/.well-known/openid-configuration";
    await().atMost(WAIT).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
        assertThat(get(discovery)).as(discovery).isEqualTo(200));
  }

  @Test
  @Order(4)
  void webhookDefaultsDoNotShowAsOutOfSync() {
    JsonNode spec = JSON.valueToTree(keycloakCr().orElseThrow().getAdditionalProperties().get("spec"));
    assertThat(spec.path("automountServiceAccountToken").isBoolean()).as("defaulted by the webhook, not in Git").isTrue();
    refresh("hard");
    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode status = app().path("status");
      assertThat(app().path("metadata").path("annotations").has("argocd.argoproj.io/refresh")).isFalse();
      assertThat(status.path("sync").path("status").asText()).as(status.toString()).isEqualTo("Synced");
      assertThat(keycloakResource().path("status").asText()).isEqualTo("Synced");
    });
  }

  /**
   * With ServerSideDiff=true (docs/argocd.md) Argo CD meets the webhook already when it compares: the dry-run apply
   * of the rejected CR is denied, the Application shows a ComparisonError with the webhook's message and sync status
   * Unknown, so the automated sync does not start. A sync asked for anyway (what {@code argocd app sync} does) fails
   * with the webhook's message. Nothing is applied; the next good commit heals, and the new spec rolls out.
   */
  @Test
  @Order(5)
  void aCommitTheWebhookRejectsFailsItsSyncWithTheWebhooksMessageAndTheNextCommitHeals() throws Exception {
    String synced = app().path("status").path("operationState").path("syncResult").path("revisions").toString();
    repo.write("identity/keycloak.yaml", keycloak("sso.argo.example", true));
    String rejected = repo.commitAndPush("identity: a privileged Keycloak");
    refresh("normal");
    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode status = app().path("status");
      assertThat(status.path("sync").path("revisions").toString()).as(diagnostics()).contains(rejected);
      assertThat(status.path("sync").path("status").asText()).isEqualTo("Unknown");
      assertThat(status.path("conditions")).anyMatch(c -> c.path("type").asText().equals("ComparisonError")
          && c.path("message").asText().contains(WEBHOOK_DENIED)
          && c.path("message").asText().contains(PRIVILEGED_MESSAGE));
    });
    assertThat(app().path("status").path("operationState").path("syncResult").path("revisions").toString())
        .as("no automated sync of the rejected commit").isEqualTo(synced);

    ProcessResult sync = cluster.kubectl("-n", argo.namespace(), "patch", "application", "keycloak-gitops",
        "--type=merge", "-p", "{\"operation\": {\"initiatedBy\": {\"username\": \"node-it\"}, \"sync\": {}}}");
    assertThat(sync.ok()).as(sync.toString()).isTrue();
    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode operation = app().path("status").path("operationState");
      assertThat(operation.path("operation").path("initiatedBy").path("username").asText()).isEqualTo("node-it");
      assertThat(operation.path("phase").asText()).as(operation.toString()).isIn("Error", "Failed");
      assertThat(operation.path("message").asText()).contains(WEBHOOK_DENIED).contains(PRIVILEGED_MESSAGE);
    });
    assertThat(JSON.valueToTree(keycloakCr().orElseThrow().getAdditionalProperties().get("spec")).toString())
        .as("the live CR is the last synced one").doesNotContain("\"privileged\":true");
    String podBefore = keycloakPods().get(0).getMetadata().getName();

    repo.write("identity/keycloak.yaml", keycloak("login.argo.example", false));
    String fixed = repo.commitAndPush("identity: the Keycloak without privileges, new hostname");
    refresh("normal");
    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode status = app().path("status");
      assertThat(status.path("operationState").path("syncResult").path("revisions").toString()).contains(fixed);
      assertThat(status.path("operationState").path("phase").asText()).as(status.toString()).isEqualTo("Succeeded");
      assertThat(status.path("conditions")).noneMatch(c -> c.path("type").asText().equals("ComparisonError"));
    });
    // The new spec rolls out: Healthy again only once a pod of the new generation is Ready.
    await().atMost(NodeCluster.POD_START).pollInterval(Duration.ofSeconds(1)).until(() -> {
      List<Pod> pods = keycloakPods();
      boolean rolled = pods.size() == 1 && NodeCluster.podReady(pods.get(0))
          && !pods.get(0).getMetadata().getName().equals(podBefore);
      String health = app().path("status").path("health").path("status").asText();
      assertThat(health.equals("Healthy") && !rolled && !"True".equals(readyCondition()))
          .as("Healthy while the new pod was not Ready").isFalse();
      return rolled && "Healthy".equals(health) && "Synced".equals(app().path("status").path("sync").path("status").asText());
    });
    assertThat(JSON.valueToTree(keycloakCr().orElseThrow().getAdditionalProperties().get("spec"))
        .path("hostname").path("hostname").asText()).isEqualTo("login.argo.example");
  }

  private static void copyChart() throws IOException {
    Path chart = cluster.root().resolve("chart");
    try (Stream<Path> files = Files.walk(chart)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        repo.write("keycloak-gitops/" + chart.relativize(file), Files.readString(file));
      }
    }
  }

  /** The team's database (cluster.sh's manifest, the image it built), a wave before its Keycloak. */
  private static String postgres() throws IOException {
    String manifest = Files.readString(cluster.root().resolve("test/node/postgres.yaml"))
        .replace("${NAMESPACE}", apps).replace("${TAG}", tag);
    StringBuilder yaml = new StringBuilder();
    for (HasMetadata object : admin.load(new ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8))).items()) {
      object.getMetadata().setAnnotations(Map.of("argocd.argoproj.io/sync-wave", "2"));
      yaml.append(Serialization.asYaml(object));
    }
    return yaml.toString();
  }

  /** The example CR of examples/keycloak for this team (one instance), started --optimized like cluster.sh's. */
  private static String keycloak(String hostname, boolean privileged) {
    String yaml = """
        apiVersion: k8s.keycloak.org/v2beta1
        kind: Keycloak
        metadata:
          name: %s
          namespace: %s
          annotations:
            argocd.argoproj.io/sync-wave: "3"
        spec:
          instances: 1
          startOptimized: true
          bootstrapAdmin:
            user: {secret: keycloak-admin}
          db:
            vendor: postgres
            host: postgres
            database: keycloak
            usernameSecret: {name: keycloak-db, key: username}
            passwordSecret: {name: keycloak-db, key: password}
          http:
            httpEnabled: true
          ingress:
            enabled: true
            className: nginx
            tlsSecret: argo-sso-tls
          hostname:
            hostname: %s
        """.formatted(KEYCLOAK, apps, hostname);
    return privileged ? yaml + """
          unsupported:
            podTemplate:
              spec:
                containers:
                  - name: keycloak
                    securityContext:
                      privileged: true
        """ : yaml;
  }

  /** The Application of docs/argocd.md, with two sources: the chart (and its values file) and the team's objects. */
  private static String application() {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: keycloak-gitops
          namespace: %1$s
          annotations:
            argocd.argoproj.io/compare-options: ServerSideDiff=true
        spec:
          project: default
          sources:
            - repoURL: %2$s
              targetRevision: main
              path: keycloak-gitops
              helm:
                releaseName: %5$s
                valueFiles: [values-platform.yaml]
            - repoURL: %2$s
              targetRevision: main
              path: identity
          destination:
            server: %4$s
            namespace: %3$s
          syncPolicy:
            automated: {prune: true, selfHeal: true}
            managedNamespaceMetadata:
              labels: {pod-security.kubernetes.io/enforce: restricted}
            syncOptions: [CreateNamespace=true, ServerSideApply=true, RespectIgnoreDifferences=true]
          ignoreDifferences:
            - group: admissionregistration.k8s.io
              kind: ValidatingWebhookConfiguration
              jqPathExpressions: [".webhooks[]?.clientConfig.caBundle"]
            - group: admissionregistration.k8s.io
              kind: MutatingWebhookConfiguration
              jqPathExpressions: [".webhooks[]?.clientConfig.caBundle"]
        """.formatted(argo.namespace(), repo.url(), release, argo.server(), fullname);
  }

  private static Optional<Deployment> deployment(String namespace, String name) {
    return Optional.ofNullable(admin.apps().deployments().inNamespace(namespace).withName(name).get());
  }

  private static int readyPods(String namespace, String name) {
    Deployment deployment = deployment(namespace, name).orElseThrow();
    return Optional.ofNullable(deployment.getStatus().getReadyReplicas()).orElse(0);
  }

  /** When the Deployment last became Available (its pods Ready, as the deployment controller saw them). */
  private static Instant available(String namespace, String name) {
    Deployment deployment = deployment(namespace, name).orElseThrow();
    return deployment.getStatus().getConditions().stream()
        .filter(c -> "Available".equals(c.getType()) && "True".equals(c.getStatus()))
        .map(c -> Instant.parse(c.getLastTransitionTime())).findFirst()
        .orElseThrow(() -> new AssertionError(namespace + "/" + name + " not Available: " + deployment.getStatus()));
  }

  private static Instant created(ObjectMeta metadata) {
    return Instant.parse(metadata.getCreationTimestamp());
  }

  private static Optional<GenericKubernetesResource> keycloakCr() {
    return Optional.ofNullable(admin.genericKubernetesResources("k8s.keycloak.org/v2beta1", "Keycloak").inNamespace(apps)
        .withName(KEYCLOAK).get());
  }

  /** The CR's Ready condition as the reconciler reports it ("" while it has none). */
  private static String readyCondition() {
    JsonNode status = JSON.valueToTree(keycloakCr().map(cr -> cr.getAdditionalProperties().get("status")).orElse(null));
    if (status != null) {
      for (JsonNode condition : status.path("conditions")) {
        if ("Ready".equals(condition.path("type").asText())) {
          return condition.path("status").asText();
        }
      }
    }
    return "";
  }

  private static List<Pod> keycloakPods() {
    return admin.pods().inNamespace(apps).withLabel("app", "keycloak").withLabel("app.kubernetes.io/instance", KEYCLOAK)
        .list().getItems().stream().filter(pod -> pod.getMetadata().getDeletionTimestamp() == null).toList();
  }

  private static JsonNode app() {
    return JSON.valueToTree(admin.genericKubernetesResources("argoproj.io/v1alpha1", "Application")
        .inNamespace(argo.namespace()).withName("keycloak-gitops").get());
  }

  /** The Keycloak CR's entry in the Application's resource list (sync status and the health Argo CD computed). */
  private static JsonNode keycloakResource() {
    for (JsonNode resource : app().path("status").path("resources")) {
      if ("Keycloak".equals(resource.path("kind").asText()) && KEYCLOAK.equals(resource.path("name").asText())) {
        return resource;
      }
    }
    return JSON.createObjectNode();
  }

  /** The Application's conditions and operation, and the end of Argo CD's logs, for failure messages. */
  private static String diagnostics() {
    JsonNode status = app().path("status");
    return "\nconditions: " + status.path("conditions") + "\noperation: " + status.path("operationState") + argo.logs();
  }

  /** What a Git webhook to argocd-server does after a push: ask the controller to compare again. */
  private static void refresh(String mode) {
    ProcessResult result = cluster.kubectl("annotate", "--overwrite", "-n", argo.namespace(),
        "application/keycloak-gitops", "argocd.argoproj.io/refresh=" + mode);
    assertThat(result.ok()).as(result.toString()).isTrue();
  }

  private static int get(String url) {
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
