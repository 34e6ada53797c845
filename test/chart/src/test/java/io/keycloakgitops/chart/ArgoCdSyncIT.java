package io.keycloakgitops.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keycloakgitops.testsupport.FreePort;
import io.keycloakgitops.testsupport.GitRepo;
import io.keycloakgitops.testsupport.Listeners;
import io.keycloakgitops.testsupport.TestCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * Argo CD itself (application controller + repo server, {@link ArgoCd}) syncs an Application from a local Git
 * repository laid out as docs/argocd.md describes: the chart with a platform values file (realm-sync settings
 * included) and a team's Keycloak CR. The steps share state and run in order.
 *
 * <p>This API server has no node, no kube-controller-manager and no Service routing. So the webhook and the
 * reconciler run as processes from their jars, as the chart's Deployments would run them (ComponentsSmokeIT), the
 * webhook registered with the API server by URL as the webhook ITs do (the chart's own configurations, which name
 * its Service, get failurePolicy Ignore); and the test plays kubelet + deployment/disruption controllers for the
 * status of the Deployments and the PDB, once the process behind them is ready. Everything else — rendering, waves,
 * health (the chart's checks in argocd-cm), diff, admission, the Keycloak CR's status — is the real components'.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ArgoCdSyncIT {
  private static final Duration WAIT = Duration.ofMinutes(2);
  private static final String KEYCLOAK = "example-kc";
  private static final String LABEL = "keycloak-gitops.io/argocd-it";
  private static final String PRIVILEGED_MESSAGE = "spec.unsupported.podTemplate.spec.containers[0].securityContext"
      + ".privileged: Forbidden: violates PodSecurity \"baseline\" check \"privileged\"";

  @TempDir
  static Path tempDir;

  private static TestCluster cluster;
  private static KubernetesClient admin;
  private static ArgoCd argo;
  private static GitRepo repo;
  private static String id;
  private static String fullname;
  private static String release;
  private static String apps;
  private static ComponentProcess webhook;
  private static int webhookPort;
  private static ComponentProcess reconciler;
  private static String urlWebhooks;

  @BeforeAll
  static void start() throws Exception {
    cluster = ChartCluster.get();
    admin = cluster.client();
    id = UUID.randomUUID().toString().substring(0, 6);
    fullname = "kga-" + id;
    release = "kg-argo-" + id;
    argo = ArgoCd.start(cluster, Files.createDirectories(tempDir.resolve("argocd")));
    System.out.printf("Argo CD repo server + application controller ready in %d ms%n", argo.startMillis());
    for (ComponentProcess process : argo.processes()) {
      assertThat(Listeners.nonLoopback(process.handle())).as(process.name() + " listens on loopback only").isEmpty();
      assertThat(Listeners.listeningCount(process.handle())).as(process.name() + " listens").isPositive();
    }

    // The team's namespace and the Secrets its Keycloak refers to (they never go into Git).
    apps = cluster.createNamespace("kg-argo-apps", Map.of("pod-security.kubernetes.io/enforce", "restricted", LABEL, id));
    admin.secrets().inNamespace(apps).resource(new SecretBuilder().withNewMetadata().withName("keycloak-db-secret")
        .endMetadata().addToStringData("username", "keycloak").addToStringData("password", "db-pw").build()).create();
    admin.secrets().inNamespace(apps).resource(new SecretBuilder().withNewMetadata().withName("example-tls-secret")
        .endMetadata().withType("kubernetes.io/tls").addToStringData("tls.crt", "crt").addToStringData("tls.key", "key")
        .build()).create();

    repo = GitRepo.create(tempDir.resolve("git"), "main");
    copyChart();
    repo.write("keycloak-gitops/values-platform.yaml", """
        # What the platform team sets for this cluster.
        fullnameOverride: %s
        webhook:
          # This API server cannot reach a Service: the test registers the webhook by URL (see the class comment).
          failurePolicy: Ignore
        realmSync:
          git:
            repo: %s
            branch: main
            path: realms
          keycloak:
            url: http://%s-service.%s.svc:8080
            credentialsSecret:
              name: keycloak-admin
        """.formatted(fullname, repo.url(), KEYCLOAK, apps));
    repo.write("identity/keycloak.yaml", keycloak("test.keycloak.org", false));
    repo.write("realms/acme.json", "{\"realm\": \"acme\", \"enabled\": true}\n");
    repo.commitAndPush("platform: keycloak-gitops, a Keycloak and a realm");
  }

  @AfterAll
  static void stop() {
    if (argo != null) {
      // Stop syncing first, so nothing recreates what the test removes.
      argo.close();
    }
    if (urlWebhooks != null) {
      admin.admissionRegistration().v1().validatingWebhookConfigurations().withName(urlWebhooks).delete();
      admin.admissionRegistration().v1().mutatingWebhookConfigurations().withName(urlWebhooks).delete();
    }
    // What Argo CD created outside namespaces, so later tests of this API server do not meet the chart's webhook
    // configurations (they would call an unreachable Service for every Keycloak CR).
    if (fullname != null) {
      cluster.kubectl("delete", "--ignore-not-found", "validatingwebhookconfiguration,mutatingwebhookconfiguration,"
          + "clusterrole,clusterrolebinding", "-l", "app.kubernetes.io/instance=" + fullname);
    }
    for (ComponentProcess process : new ComponentProcess[] {reconciler, webhook}) {
      if (process != null) {
        process.close();
      }
    }
    if (repo != null) {
      repo.close();
    }
  }

  @Test
  @Order(1)
  void syncsInTheChartsWaves() throws Exception {
    Instant created = Instant.now();
    var result = cluster.kubectlWithInput(application(), "apply", "-f", "-");
    assertThat(result.ok()).as(result.toString()).isTrue();

    // Wave 1 is applied, and the operation waits for its health before wave 2.
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(deployment(release, fullname + "-webhook")).as("wave 1 applied" + diagnostics()).isPresent();
      assertThat(app().path("status").path("operationState").path("message").asText())
          .startsWith("waiting for healthy state of");
    });
    assertThat(deployment(release, fullname + "-reconciler")).as("wave 2 waits for wave 1's health").isEmpty();
    assertThat(keycloakCr()).isEmpty();

    webhookPort = FreePort.pick();
    webhook = startComponent("webhook", Map.of("WEBHOOK_PORT", Integer.toString(webhookPort), "WEBHOOK_BIND", "127.0.0.1"));
    registerWebhookByUrl();
    rolledOut(release, fullname + "-webhook");
    admin.policy().v1().podDisruptionBudget().inNamespace(release).withName(fullname + "-webhook").editStatus(pdb -> {
      pdb.setStatus(new PodDisruptionBudgetStatusBuilder().withObservedGeneration(pdb.getMetadata().getGeneration())
          .withCurrentHealthy(2).withDesiredHealthy(1).withExpectedPods(2).withDisruptionsAllowed(1)
          .withConditions(new ConditionBuilder().withType("DisruptionAllowed").withStatus("True")
              .withReason("SufficientPods").withMessage("").withLastTransitionTime(Instant.now().toString())
              .withObservedGeneration(pdb.getMetadata().getGeneration()).build())
          .build());
      return pdb;
    });

    await().atMost(WAIT).untilAsserted(() ->
        assertThat(deployment(release, fullname + "-reconciler")).as("wave 2 applied" + diagnostics()).isPresent());
    assertThat(keycloakCr()).as("wave 3 waits for wave 2's health").isEmpty();
    reconciler = startComponent("reconciler", Map.of("HEALTH_PORT", Integer.toString(FreePort.pick())));
    rolledOut(release, fullname + "-reconciler");
    // No realm-sync process here (it would need a running Keycloak): only its Deployment's status is set.
    rolledOut(release, fullname + "-realm-sync");

    await().atMost(WAIT).untilAsserted(() -> assertThat(keycloakCr()).as("wave 3 applied" + diagnostics()).isPresent());
    JsonNode realmSync = Manifests.YAML.valueToTree(deployment(release, fullname + "-realm-sync").orElseThrow());
    assertThat(realmSync.toString()).as("the realm-sync settings from Git").contains(repo.url());
    System.out.printf("Argo CD: Application created to wave 3 applied in %d ms%n",
        Duration.between(created, Instant.now()).toMillis());
  }

  @Test
  @Order(2)
  void keycloakIsHealthyOnlyOnceReady() throws Exception {
    // The reconciler has reconciled the CR: no pod is ready, so Ready is not True and the chart's check says so.
    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode live = keycloakCr().orElseThrow();
      assertThat(live.path("status").path("observedGeneration").asLong())
          .isEqualTo(live.path("metadata").path("generation").asLong());
      JsonNode health = keycloakResource().path("health");
      assertThat(health.path("status").asText()).as(health.toString()).isEqualTo("Progressing");
      assertThat(app().path("status").path("health").path("status").asText()).isEqualTo("Progressing");
    });
    rolledOut(apps, KEYCLOAK);
    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode status = app().path("status");
      assertThat(keycloakResource().path("health").path("status").asText()).as(status.toString()).isEqualTo("Healthy");
      assertThat(status.path("health").path("status").asText()).isEqualTo("Healthy");
      assertThat(status.path("operationState").path("phase").asText()).isEqualTo("Succeeded");
    });
    assertThat(keycloakCr().orElseThrow().path("status").path("conditions"))
        .as("the reconciler's Ready condition").anyMatch(c -> c.path("type").asText().equals("Ready")
            && c.path("status").asText().equals("True"));
    JsonNode operation = app().path("status").path("operationState");
    System.out.printf("Argo CD: first sync %s .. %s%n", operation.path("startedAt").asText(), operation.path("finishedAt").asText());
  }

  @Test
  @Order(3)
  void webhookDefaultsDoNotShowAsOutOfSync() {
    assertThat(keycloakCr().orElseThrow().path("spec").path("automountServiceAccountToken").isBoolean())
        .as("defaulted by the webhook, not in Git").isTrue();
    refresh("hard");
    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode status = app().path("status");
      assertThat(status.path("reconciledAt").asText()).isNotEmpty();
      assertThat(app().path("metadata").path("annotations").has("argocd.argoproj.io/refresh")).isFalse();
      assertThat(status.path("sync").path("status").asText()).as(status.toString()).isEqualTo("Synced");
      assertThat(keycloakResource().path("status").asText()).isEqualTo("Synced");
    });
  }

  /**
   * With ServerSideDiff=true (docs/argocd.md) Argo CD meets the webhook already when it compares: the dry-run apply
   * of the rejected CR is denied, so the Application shows a ComparisonError with the webhook's message and sync
   * status Unknown, and the automated sync never starts for that commit (nothing is applied, the live CR stays).
   */
  @Test
  @Order(4)
  void aCommitTheWebhookRejectsShowsTheWebhooksMessageAndTheNextCommitHeals() {
    String synced = app().path("status").path("operationState").path("syncResult").path("revisions").toString();
    repo.write("identity/keycloak.yaml", keycloak("test.keycloak.org", true));
    String rejected = repo.commitAndPush("identity: a privileged Keycloak");
    refresh("normal");
    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode status = app().path("status");
      assertThat(status.path("sync").path("revisions").toString()).as(diagnostics()).contains(rejected);
      assertThat(status.path("sync").path("status").asText()).isEqualTo("Unknown");
      assertThat(status.path("conditions")).anyMatch(c -> c.path("type").asText().equals("ComparisonError")
          && c.path("message").asText().contains("admission webhook \"validate.keycloak-gitops.io\" denied the request")
          && c.path("message").asText().contains(PRIVILEGED_MESSAGE));
    });
    assertThat(app().path("status").path("operationState").path("syncResult").path("revisions").toString())
        .as("no sync of the rejected commit").isEqualTo(synced);
    assertThat(keycloakCr().orElseThrow().path("spec").toString()).as("the live CR is the last synced one")
        .doesNotContain("\"privileged\":true");

    repo.write("identity/keycloak.yaml", keycloak("sso.keycloak.org", false));
    String fixed = repo.commitAndPush("identity: the Keycloak without privileges, new hostname");
    refresh("normal");
    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode status = app().path("status");
      assertThat(status.path("operationState").path("syncResult").path("revisions").toString()).contains(fixed);
      assertThat(status.path("operationState").path("phase").asText()).as(status.toString()).isEqualTo("Succeeded");
      assertThat(status.path("sync").path("status").asText()).isEqualTo("Synced");
      assertThat(status.path("conditions")).noneMatch(c -> c.path("type").asText().equals("ComparisonError"));
    });
    assertThat(keycloakCr().orElseThrow().path("spec").path("hostname").path("hostname").asText()).isEqualTo("sso.keycloak.org");
    // The new spec rolls out: Healthy again only once the Deployment has the new generation's pods ready.
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(keycloakResource().path("health").path("status").asText()).isEqualTo("Progressing"));
    rolledOut(apps, KEYCLOAK);
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(app().path("status").path("health").path("status").asText()).isEqualTo("Healthy"));
  }

  private static void copyChart() throws IOException {
    Path chart = Tools.chartDir();
    try (Stream<Path> files = Files.walk(chart)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        repo.write("keycloak-gitops/" + chart.relativize(file), Files.readString(file));
      }
    }
  }

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
          db:
            vendor: postgres
            host: postgres-db
            usernameSecret: {name: keycloak-db-secret, key: username}
            passwordSecret: {name: keycloak-db-secret, key: password}
          http:
            tlsSecret: example-tls-secret
          hostname:
            hostname: %s
          proxy:
            headers: xforwarded
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

  /** The Application of docs/argocd.md, with two sources: the chart (and its values file) and the team's CRs. */
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

  /** Our service from its jar, as the Deployment Argo CD applied runs it (args, env, ServiceAccount), ready. */
  private static ComponentProcess startComponent(String module, Map<String, String> env) throws InterruptedException {
    ObjectNode deployment = Manifests.YAML.valueToTree(deployment(release, fullname + "-" + module).orElseThrow());
    ComponentProcess process = ComponentProcess.start(cluster, ComponentProcess.jar(module), deployment, release, env);
    try {
      String url = module.equals("webhook")
          ? "https://127.0.0.1:" + env.get("WEBHOOK_PORT") + "/readyz"
          : "http://127.0.0.1:" + env.get("HEALTH_PORT") + "/readyz";
      process.awaitOk(url, Duration.ofMinutes(3));
      assertThat(Listeners.nonLoopback(process.handle())).isEmpty();
      return process;
    } catch (AssertionError | RuntimeException e) {
      process.close();
      throw e;
    }
  }

  /**
   * Copies of the chart's two webhook configurations (as Argo CD applied them, with the caBundle the webhook
   * published) that call the local process by URL, for the team's namespace only, failing closed.
   */
  private static void registerWebhookByUrl() throws IOException {
    var admission = admin.admissionRegistration().v1();
    String ca = await().atMost(WAIT).until(() -> admission.validatingWebhookConfigurations().withName(fullname).get()
        .getWebhooks().get(0).getClientConfig().getCaBundle(), bundle -> bundle != null && !bundle.isEmpty());
    urlWebhooks = fullname + "-url";
    StringBuilder yaml = new StringBuilder();
    for (Object config : List.of(admission.validatingWebhookConfigurations().withName(fullname).get(),
        admission.mutatingWebhookConfigurations().withName(fullname).get())) {
      ObjectNode copy = Manifests.YAML.valueToTree(config);
      ObjectNode metadata = Manifests.YAML.createObjectNode().put("name", urlWebhooks);
      copy.set("metadata", metadata);
      String path = copy.path("kind").asText().startsWith("Validating") ? "/validate" : "/mutate";
      for (JsonNode entry : copy.path("webhooks")) {
        ((ObjectNode) entry).put("failurePolicy", "Fail");
        ((ObjectNode) entry).putObject("clientConfig").put("url", "https://127.0.0.1:" + webhookPort + path).put("caBundle", ca);
        ((ObjectNode) entry).putObject("namespaceSelector").putObject("matchLabels").put(LABEL, id);
      }
      yaml.append("---\n").append(Manifests.YAML.writeValueAsString(copy));
    }
    ChartCluster.kubectl(cluster, "apply", "--server-side", "-f", write(yaml.toString()));
    // The API server picks up new webhook configurations asynchronously.
    String probe = keycloak("test.keycloak.org", true).replace("name: " + KEYCLOAK, "name: probe");
    await().atMost(Duration.ofSeconds(30)).until(() ->
        !cluster.kubectlWithInput(probe, "apply", "--dry-run=server", "-f", "-").ok());
  }

  /** What kubelet and the deployment controller would write once the Deployment's pods are all ready. */
  private static void rolledOut(String namespace, String name) {
    admin.apps().deployments().inNamespace(namespace).withName(name).editStatus(deployment -> {
      int replicas = Optional.ofNullable(deployment.getSpec().getReplicas()).orElse(1);
      deployment.setStatus(new DeploymentStatusBuilder().withObservedGeneration(deployment.getMetadata().getGeneration())
          .withReplicas(replicas).withUpdatedReplicas(replicas).withReadyReplicas(replicas).withAvailableReplicas(replicas)
          .addNewCondition().withType("Available").withStatus("True").withReason("MinimumReplicasAvailable").endCondition()
          .addNewCondition().withType("Progressing").withStatus("True").withReason("NewReplicaSetAvailable").endCondition()
          .build());
      return deployment;
    });
  }

  private static Optional<io.fabric8.kubernetes.api.model.apps.Deployment> deployment(String namespace, String name) {
    return Optional.ofNullable(admin.apps().deployments().inNamespace(namespace).withName(name).get());
  }

  private static Optional<JsonNode> keycloakCr() {
    return Optional.ofNullable(admin.genericKubernetesResources("k8s.keycloak.org/v2beta1", "Keycloak").inNamespace(apps)
        .withName(KEYCLOAK).get()).map(Manifests.YAML::valueToTree);
  }

  private static JsonNode app() {
    GenericKubernetesResource app = admin.genericKubernetesResources("argoproj.io/v1alpha1", "Application")
        .inNamespace(argo.namespace()).withName("keycloak-gitops").get();
    return Manifests.YAML.valueToTree(app);
  }

  /** The Keycloak CR's entry in the Application's resource list (sync status and the health Argo CD computed). */
  private static JsonNode keycloakResource() {
    for (JsonNode resource : app().path("status").path("resources")) {
      if ("Keycloak".equals(resource.path("kind").asText()) && KEYCLOAK.equals(resource.path("name").asText())) {
        return resource;
      }
    }
    return Manifests.YAML.createObjectNode();
  }

  /** The Application's conditions and operation, and the end of Argo CD's logs, for failure messages. */
  private static String diagnostics() {
    JsonNode status = app().path("status");
    return "\nconditions: " + status.path("conditions") + "\noperation: " + status.path("operationState") + argo.logs();
  }

  /** What a Git webhook to argocd-server does after a push: ask the controller to compare again. */
  private static void refresh(String mode) {
    ChartCluster.kubectl(cluster, "annotate", "--overwrite", "-n", argo.namespace(), "application/keycloak-gitops",
        "argocd.argoproj.io/refresh=" + mode);
  }

  private static String write(String yaml) {
    try {
      Path file = Files.createTempFile(tempDir, "manifest", ".yaml");
      Files.writeString(file, yaml);
      return file.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
