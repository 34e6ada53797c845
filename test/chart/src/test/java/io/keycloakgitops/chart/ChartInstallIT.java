package io.keycloakgitops.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewSpecBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.keycloakgitops.schemas.common.Condition;
import io.keycloakgitops.schemas.keycloak.KeycloakStatus;
import io.keycloakgitops.schemas.realmimport.KeycloakRealmImportStatus;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import io.keycloakgitops.schemas.v2beta1.KeycloakRealmImport;
import io.keycloakgitops.testsupport.Fixtures;
import io.keycloakgitops.testsupport.TestCluster;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * helm install / upgrade / uninstall of the chart on a real kube-apiserver, and the RBAC it installs: a client
 * impersonating each component's ServiceAccount makes the API calls that component makes (allowed) and calls it
 * must not be able to make (403).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChartInstallIT {
  private static final String CA_BUNDLE = Base64.getEncoder().encodeToString(
      "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.UTF_8));

  private static TestCluster cluster;
  private static KubernetesClient admin;
  private static String namespace;
  private static String apps;
  private static String release;
  private static String fullname;
  private static boolean installed;

  @BeforeAll
  static void install() {
    cluster = ChartCluster.get();
    admin = cluster.client();
    namespace = ChartCluster.restrictedNamespace("kg-install");
    apps = cluster.createNamespace("kg-apps");
    release = "r" + UUID.randomUUID().toString().substring(0, 6);
    fullname = release + "-keycloak-gitops";
    // Ignore: no webhook pod runs here (no kubelet), and other tests of this JVM create Keycloak CRs.
    var result = ChartCluster.helm("install", release, Tools.chartDir().toString(), "--namespace", namespace,
        "--set", "webhook.failurePolicy=Ignore");
    installed = true;
    assertThat(result.stdout()).contains("STATUS: deployed").contains("Reconciler: watching all namespaces");
    admin.resources(Keycloak.class).inNamespace(apps).resource(keycloak("kc")).create();
  }

  @AfterAll
  static void uninstallIfLeft() {
    if (installed) {
      ChartCluster.helm("uninstall", release, "--namespace", namespace);
    }
  }

  @Test
  @Order(1)
  void webhookManagesItsSecretAndCaBundleOnly() {
    try (KubernetesClient webhook = impersonate("webhook")) {
      String secret = fullname + "-webhook-tls";
      allowed(() -> webhook.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(secret)
          .endMetadata().withType("kubernetes.io/tls").addToStringData("tls.crt", "c").addToStringData("tls.key", "k").build()).create());
      allowed(() -> webhook.secrets().inNamespace(namespace).withName(secret).get());
      // SecretCertStore: read, create when absent, replace with the resourceVersion it read.
      allowed(() -> {
        Secret current = webhook.secrets().inNamespace(namespace).withName(secret).get();
        current.getData().put("ca.crt", CA_BUNDLE);
        return webhook.secrets().inNamespace(namespace).resource(current).update();
      });
      var validating = webhook.admissionRegistration().v1().validatingWebhookConfigurations().withName(fullname);
      allowed(validating::get);
      allowed(() -> validating.edit(c -> {
        c.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(CA_BUNDLE));
        return c;
      }));
      allowed(() -> webhook.resource(validating.get()).update());
      var mutating = webhook.admissionRegistration().v1().mutatingWebhookConfigurations().withName(fullname);
      allowed(mutating::get);
      allowed(() -> mutating.edit(c -> {
        c.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(CA_BUNDLE));
        return c;
      }));
      String other = fullname + "-other";
      admin.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(other).endMetadata().build()).create();
      forbidden(() -> webhook.secrets().inNamespace(namespace).withName(other).get());
      forbidden(() -> webhook.secrets().inNamespace(namespace).list());
      forbidden(() -> webhook.secrets().inNamespace(apps).withName("kc-initial-admin").get());
      forbidden(() -> webhook.admissionRegistration().v1().validatingWebhookConfigurations().resource(foreignConfiguration(fullname + "-x")).create());
      forbidden(() -> webhook.admissionRegistration().v1().validatingWebhookConfigurations().withName(fullname).delete());
      forbidden(() -> webhook.admissionRegistration().v1().validatingWebhookConfigurations().list());
      String foreign = "foreign-" + release;
      admin.admissionRegistration().v1().validatingWebhookConfigurations().resource(foreignConfiguration(foreign)).create();
      try {
        forbidden(() -> webhook.admissionRegistration().v1().validatingWebhookConfigurations().withName(foreign).get(),
            () -> webhook.admissionRegistration().v1().validatingWebhookConfigurations().withName(foreign)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"hijacked\":\"yes\"}}}"));
      } finally {
        admin.admissionRegistration().v1().validatingWebhookConfigurations().withName(foreign).delete();
      }
      forbidden(() -> webhook.resources(Keycloak.class).inNamespace(apps).list());
    }
  }

  @Test
  @Order(2)
  void reconcilerRunsKeycloakInAnyNamespace() {
    try (KubernetesClient reconciler = impersonate("reconciler")) {
      allowed(() -> reconciler.resources(Keycloak.class).inAnyNamespace().list());
      allowed(() -> watchOnce(() -> reconciler.resources(Keycloak.class).inAnyNamespace()));
      allowed(() -> reconciler.resources(Keycloak.class).inNamespace(apps).withName("kc").edit(k -> {
        k.getMetadata().setFinalizers(List.of("keycloak-gitops.io/finalizer"));
        return k;
      }));
      allowed(() -> {
        Keycloak current = reconciler.resources(Keycloak.class).inNamespace(apps).withName("kc").get();
        KeycloakStatus status = new KeycloakStatus();
        status.observedGeneration = current.getMetadata().getGeneration();
        status.conditions.add(new Condition(KeycloakStatus.READY, Condition.FALSE, "Reconciling", "Waiting for pods", 1L));
        current.setStatus(status);
        return reconciler.resource(current).updateStatus();
      });
      List<HasMetadata> owned = List.of(
          new DeploymentBuilder().withNewMetadata().withName("kc").endMetadata().withNewSpec().withNewSelector()
              .addToMatchLabels("app", "keycloak").endSelector().withNewTemplate().withNewMetadata().addToLabels("app", "keycloak")
              .endMetadata().withNewSpec().addNewContainer().withName("keycloak").withImage("keycloak").endContainer().endSpec()
              .endTemplate().endSpec().build(),
          new ServiceBuilder().withNewMetadata().withName("kc-service").endMetadata().withNewSpec().addNewPort().withPort(8080)
              .endPort().endSpec().build(),
          new SecretBuilder().withNewMetadata().withName("kc-initial-admin").endMetadata()
              .addToStringData("username", "temp-admin").addToStringData("password", "x").build(),
          new IngressBuilder().withNewMetadata().withName("kc-ingress").endMetadata().withNewSpec().withNewDefaultBackend()
              .withNewService().withName("kc-service").withNewPort().withNumber(8080).endPort().endService().endDefaultBackend()
              .endSpec().build(),
          new NetworkPolicyBuilder().withNewMetadata().withName("kc-network-policy").endMetadata().withNewSpec()
              .withNewPodSelector().addToMatchLabels("app", "keycloak").endPodSelector().endSpec().build(),
          new PodDisruptionBudgetBuilder().withNewMetadata().withName("kc").endMetadata().withNewSpec().withNewSelector()
              .addToMatchLabels("app", "keycloak").endSelector().withNewMaxUnavailable(1).endSpec().build());
      for (HasMetadata object : owned) {
        allowed(() -> reconciler.resource(object).inNamespace(apps).create());
        allowed(() -> reconciler.resource(object).inNamespace(apps).get());
        allowed(() -> reconciler.resources(object.getClass()).inAnyNamespace().list());
        allowed(() -> watchOnce(() -> reconciler.resources(object.getClass()).inNamespace(apps)));
        allowed(() -> reconciler.resource(object).inNamespace(apps).edit(o -> {
          o.getMetadata().setLabels(Map.of("app.kubernetes.io/managed-by", "keycloak-gitops"));
          return o;
        }));
        allowed(() -> reconciler.resource(reconciler.resource(object).inNamespace(apps).get()).update());
        allowed(() -> reconciler.resource(object).inNamespace(apps).delete());
      }
      allowed(() -> reconciler.configMaps().inAnyNamespace().list());
      allowed(() -> watchOnce(() -> reconciler.configMaps().inNamespace(apps)));
      allowed(() -> reconciler.v1().events().inNamespace(apps).resource(event("kc", "Keycloak", apps)).create());
      // JOSDK's startup check of the Keycloak CRD, and the ServiceMonitor dependent's activation condition.
      allowed(() -> reconciler.resources(CustomResourceDefinition.class).withName("keycloaks.k8s.keycloak.org").get());
      allowed(() -> reconciler.resources(CustomResourceDefinition.class).withName("servicemonitors.monitoring.coreos.com").get());
      assertThat(canI(reconciler, "create", "monitoring.coreos.com", "servicemonitors", apps))
          .as("ServiceMonitors only when the chart is asked to grant them").isFalse();
      leaderElection(reconciler, fullname + "-reconciler", true);

      forbidden(() -> reconciler.configMaps().inNamespace(apps).resource(new ConfigMapBuilder().withNewMetadata()
          .withName("written").endMetadata().build()).create());
      forbidden(() -> reconciler.pods().inNamespace(apps).resource(new PodBuilder().withNewMetadata().withName("p").endMetadata()
          .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build()).create());
      forbidden(() -> reconciler.resources(Keycloak.class).inNamespace(apps).withName("kc").delete());
      forbidden(() -> reconciler.resources(KeycloakRealmImport.class).inAnyNamespace().list());
      forbidden(() -> reconciler.resources(CustomResourceDefinition.class).withName("certificates.cert-manager.io").get(),
          () -> reconciler.resources(CustomResourceDefinition.class).list());
      forbidden(() -> reconciler.genericKubernetesResources("monitoring.coreos.com/v1", "ServiceMonitor").inNamespace(apps).list());
      forbidden(() -> reconciler.rbac().clusterRoles().list());
      forbidden(() -> reconciler.namespaces().withName(apps).delete());
    }
  }

  @Test
  @Order(3)
  void realmSyncAppliesRealmImportsThroughTheKeycloakStatus() {
    admin.resources(KeycloakRealmImport.class).inNamespace(apps).resource(realmImport("realm", "kc")).create();
    admin.secrets().inNamespace(apps).resource(new SecretBuilder().withNewMetadata().withName("kc-admin").endMetadata()
        .addToStringData("username", "admin").addToStringData("password", "pw").build()).create();
    try (KubernetesClient realmSync = impersonate("realm-sync")) {
      allowed(() -> realmSync.resources(KeycloakRealmImport.class).inAnyNamespace().list());
      allowed(() -> watchOnce(() -> realmSync.resources(KeycloakRealmImport.class).inAnyNamespace()));
      allowed(() -> realmSync.resources(KeycloakRealmImport.class).inNamespace(apps).withName("realm").edit(r -> {
        r.getMetadata().setFinalizers(List.of("keycloak-gitops.io/realm-sync"));
        return r;
      }));
      allowed(() -> {
        KeycloakRealmImport current = realmSync.resources(KeycloakRealmImport.class).inNamespace(apps).withName("realm").get();
        KeycloakRealmImportStatus status = new KeycloakRealmImportStatus();
        status.observedGeneration = current.getMetadata().getGeneration();
        status.conditions.add(new Condition(KeycloakRealmImportStatus.DONE, Condition.TRUE, "Applied", "in sync", 1L));
        current.setStatus(status);
        return realmSync.resource(current).updateStatus();
      });
      allowed(() -> realmSync.resources(Keycloak.class).inAnyNamespace().list());
      allowed(() -> watchOnce(() -> realmSync.resources(Keycloak.class).inAnyNamespace()));
      allowed(() -> realmSync.resources(Keycloak.class).inNamespace(apps).withName("kc").get());
      allowed(() -> realmSync.secrets().inNamespace(apps).withName("kc-admin").get());
      allowed(() -> realmSync.v1().events().inNamespace(apps).resource(event("realm", "KeycloakRealmImport", apps)).create());
      leaderElection(realmSync, fullname + "-realm-sync", false);

      forbidden(() -> realmSync.secrets().inNamespace(apps).list());
      forbidden(() -> realmSync.secrets().inNamespace(apps).withName("kc-admin").edit(s -> {
        s.getMetadata().setLabels(Map.of("touched", "yes"));
        return s;
      }));
      forbidden(() -> realmSync.resources(Keycloak.class).inNamespace(apps).withName("kc").edit(k -> {
        k.getMetadata().setLabels(Map.of("touched", "yes"));
        return k;
      }));
      forbidden(() -> {
        Keycloak current = admin.resources(Keycloak.class).inNamespace(apps).withName("kc").get();
        return realmSync.resource(current).updateStatus();
      });
      forbidden(() -> realmSync.resources(KeycloakRealmImport.class).inNamespace(apps).withName("realm").delete());
      forbidden(() -> realmSync.apps().deployments().inNamespace(apps).list());
      forbidden(() -> realmSync.configMaps().inNamespace(apps).list());
    } finally {
      admin.resources(KeycloakRealmImport.class).inNamespace(apps).withName("realm").edit(r -> {
        r.getMetadata().setFinalizers(List.of());
        return r;
      });
    }
  }

  @Test
  @Order(4)
  void watchNamespacesConfineTheReconcilerAndRealmSyncToThem() {
    String other = cluster.createNamespace("kg-other");
    String scoped = "s" + release;
    ChartCluster.helm("install", scoped, Tools.chartDir().toString(), "--namespace", namespace,
        "--set", "webhook.failurePolicy=Ignore", "--set", "reconciler.watchNamespaces={" + apps + "}",
        "--set", "reconciler.manageServiceMonitors=true");
    String secret = kubeSystemSecret();
    try (KubernetesClient reconciler = impersonate(scoped + "-keycloak-gitops", "reconciler");
        KubernetesClient realmSync = impersonate(scoped + "-keycloak-gitops", "realm-sync");
        KubernetesClient webhook = impersonate(scoped + "-keycloak-gitops", "webhook")) {
      allowed(() -> reconciler.resources(Keycloak.class).inNamespace(apps).list());
      allowed(() -> reconciler.secrets().inNamespace(apps).list());
      assertThat(canI(reconciler, "create", "monitoring.coreos.com", "servicemonitors", apps)).isTrue();
      assertThat(canI(reconciler, "watch", "monitoring.coreos.com", "servicemonitors", apps)).isTrue();
      assertThat(canI(reconciler, "create", "monitoring.coreos.com", "servicemonitors", other)).isFalse();
      forbidden(() -> reconciler.resources(Keycloak.class).inNamespace(other).list());
      forbidden(() -> reconciler.resources(Keycloak.class).inAnyNamespace().list());
      forbidden(() -> reconciler.secrets().inNamespace(other).list());
      forbidden(() -> reconciler.secrets().inNamespace(namespace).list());

      allowed(() -> realmSync.resources(KeycloakRealmImport.class).inNamespace(apps).list());
      allowed(() -> realmSync.resources(Keycloak.class).inNamespace(apps).list());
      allowed(() -> realmSync.secrets().inNamespace(apps).withName("kc-admin").get());
      // Its own namespace: the ownership HMAC key (created once) and labelled Secrets for ${secret:} from Git.
      allowed(() -> realmSync.secrets().inNamespace(namespace).withName(scoped + "-keycloak-gitops-realm-sync-ownership-key").get());
      assertThat(canI(realmSync, "create", "", "secrets", namespace)).isTrue();
      forbidden(() -> realmSync.resources(KeycloakRealmImport.class).inAnyNamespace().list());
      forbidden(() -> realmSync.resources(KeycloakRealmImport.class).inNamespace(other).list());
      forbidden(() -> realmSync.secrets().inNamespace(other).withName("kc-admin").get());
      forbidden(() -> realmSync.secrets().inNamespace(apps).list());

      // The attack of hole 6: no ServiceAccount of the chart reads a Secret in kube-system.
      for (KubernetesClient component : List.of(reconciler, realmSync, webhook)) {
        forbidden(() -> component.secrets().inNamespace("kube-system").withName(secret).get(),
            () -> component.secrets().inNamespace("kube-system").list());
      }
    } finally {
      ChartCluster.helm("uninstall", scoped, "--namespace", namespace);
    }
  }

  @Test
  @Order(4)
  void clusterWideModeReachesKubeSystemSecretsOnlyAsDocumented() {
    String secret = kubeSystemSecret();
    try (KubernetesClient reconciler = impersonate("reconciler"); KubernetesClient realmSync = impersonate("realm-sync");
        KubernetesClient webhook = impersonate("webhook")) {
      forbidden(() -> webhook.secrets().inNamespace("kube-system").withName(secret).get(),
          () -> webhook.secrets().inNamespace("kube-system").list());
      forbidden(() -> realmSync.secrets().inNamespace("kube-system").list());
      // docs/chart.md says so plainly: without watchNamespaces the controllers reach Secrets in every namespace
      // (the reconciler writes each Keycloak's admin Secret; realm-sync reads it and the placeholder Secrets).
      allowed(() -> realmSync.secrets().inNamespace("kube-system").withName(secret).get());
      allowed(() -> reconciler.secrets().inNamespace("kube-system").withName(secret).get());
    }
  }

  /** A Secret in kube-system, the target of the RBAC attack. */
  private static String kubeSystemSecret() {
    String name = "kg-rbac-target";
    if (admin.secrets().inNamespace("kube-system").withName(name).get() == null) {
      admin.secrets().inNamespace("kube-system").resource(new SecretBuilder().withNewMetadata().withName(name)
          .endMetadata().addToStringData("token", "cluster-admin").build()).create();
    }
    return name;
  }

  @Test
  @Order(5)
  void upgradeKeepsTheCaBundleTheWebhookWrote() {
    ChartCluster.helm("upgrade", release, Tools.chartDir().toString(), "--namespace", namespace, "--reuse-values",
        "--set", "webhook.timeoutSeconds=7");
    ValidatingWebhookConfiguration validating = admin.admissionRegistration().v1().validatingWebhookConfigurations().withName(fullname).get();
    assertThat(validating.getWebhooks().get(0).getTimeoutSeconds()).isEqualTo(7);
    assertThat(validating.getWebhooks().get(0).getClientConfig().getCaBundle()).isEqualTo(CA_BUNDLE);
    assertThat(admin.admissionRegistration().v1().mutatingWebhookConfigurations().withName(fullname).get()
        .getWebhooks().get(0).getClientConfig().getCaBundle()).isEqualTo(CA_BUNDLE);
  }

  @Test
  @Order(6)
  void uninstallLeavesNoWebhookConfigurationOrClusterRbac() {
    ChartCluster.helm("uninstall", release, "--namespace", namespace);
    installed = false;
    String selector = "app.kubernetes.io/instance=" + release;
    assertThat(admin.admissionRegistration().v1().validatingWebhookConfigurations().withName(fullname).get()).isNull();
    assertThat(admin.admissionRegistration().v1().mutatingWebhookConfigurations().withName(fullname).get()).isNull();
    assertThat(admin.rbac().clusterRoles().withLabelSelector(selector).list().getItems()).isEmpty();
    assertThat(admin.rbac().clusterRoleBindings().withLabelSelector(selector).list().getItems()).isEmpty();
    assertThat(admin.serviceAccounts().inNamespace(namespace).withLabelSelector(selector).list().getItems()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------------------------

  private static KubernetesClient impersonate(String component) {
    return impersonate(fullname, component);
  }

  /** A client that acts as the component's ServiceAccount (the test's own client is system:masters). */
  private static KubernetesClient impersonate(String releaseFullname, String component) {
    Config config = Config.fromKubeconfig(cluster.kubeconfigYaml());
    config.setImpersonateUsername("system:serviceaccount:" + namespace + ":" + releaseFullname + "-" + component);
    config.setImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated");
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private static ValidatingWebhookConfiguration foreignConfiguration(String name) {
    return new ValidatingWebhookConfigurationBuilder().withNewMetadata().withName(name).endMetadata()
        .addNewWebhook().withName("foreign.example.com").withAdmissionReviewVersions("v1").withSideEffects("None")
        .withFailurePolicy("Ignore").withNewClientConfig().withUrl("https://127.0.0.1:1/validate").endClientConfig()
        .addNewRule().withApiGroups("example.com").withApiVersions("v1").withOperations("CREATE").withResources("widgets")
        .endRule().endWebhook().build();
  }

  /**
   * Leader election as JOSDK/fabric8 does it: create the Lease, read it, renew it; with {@code onlyItsOwn}, never
   * another Lease of the namespace. Never a Lease outside the release namespace.
   */
  private static void leaderElection(KubernetesClient client, String lease, boolean onlyItsOwn) {
    // JOSDK's LeaderElectionManager.checkLeaseAccess: the rules (unnamed, or naming this lease) on leases in the
    // lease namespace must add up to get, create and update.
    SelfSubjectRulesReview review = new SelfSubjectRulesReview();
    review.setSpec(new SelfSubjectRulesReviewSpecBuilder().withNamespace(namespace).build());
    List<String> verbs = client.resource(review).create().getStatus().getResourceRules().stream()
        .filter(rule -> rule.getApiGroups().contains("coordination.k8s.io") && rule.getResources().contains("leases"))
        .filter(rule -> rule.getResourceNames().isEmpty() || rule.getResourceNames().contains(lease))
        .flatMap(rule -> rule.getVerbs().stream()).toList();
    assertThat(verbs).contains("get", "create", "update");
    var leases = client.leases().inNamespace(namespace);
    allowed(() -> leases.resource(new LeaseBuilder().withNewMetadata().withName(lease).endMetadata().withNewSpec()
        .withHolderIdentity("pod-1").withLeaseDurationSeconds(15).endSpec().build()).create());
    allowed(() -> leases.withName(lease).get());
    allowed(() -> leases.withName(lease).edit(l -> {
      l.getSpec().setRenewTime(ZonedDateTime.now());
      return l;
    }));
    allowed(() -> leases.resource(leases.withName(lease).get()).update());
    allowed(() -> client.v1().events().inNamespace(namespace).resource(event(lease, "Lease", namespace)).create());
    String foreign = "foreign-" + lease;
    admin.leases().inNamespace(namespace).resource(new LeaseBuilder().withNewMetadata().withName(foreign).endMetadata()
        .withNewSpec().withHolderIdentity("someone-else").endSpec().build()).create();
    if (onlyItsOwn) {
      forbidden(() -> leases.withName(foreign).get());
      forbidden(() -> leases.withName(foreign).edit(l -> {
        l.getSpec().setHolderIdentity("stolen");
        return l;
      }));
    }
    forbidden(() -> client.leases().inNamespace(apps).withName(lease).get());
    forbidden(() -> client.leases().inAnyNamespace().list());
  }

  /** A SelfSubjectAccessReview, as the reconciler makes for ServiceMonitors. */
  private static boolean canI(KubernetesClient client, String verb, String group, String resource, String namespace) {
    SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder().withNewSpec().withNewResourceAttributes()
        .withGroup(group).withResource(resource).withVerb(verb).withNamespace(namespace).endResourceAttributes()
        .endSpec().build();
    return Boolean.TRUE.equals(client.resource(review).create().getStatus().getAllowed());
  }

  private static <T> Object watchOnce(Supplier<? extends io.fabric8.kubernetes.client.dsl.Watchable<T>> target) {
    try (var watch = target.get().watch(new Watcher<T>() {
      @Override
      public void eventReceived(Action action, T resource) {}

      @Override
      public void onClose(WatcherException cause) {}
    })) {
      return watch;
    }
  }

  private static io.fabric8.kubernetes.api.model.Event event(String name, String kind, String namespace) {
    return new EventBuilder().withNewMetadata().withGenerateName(name + "-").endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder().withKind(kind).withName(name).withNamespace(namespace).build())
        .withReason("Test").withMessage("RBAC check").withType("Normal").build();
  }

  private static Keycloak keycloak(String name) {
    Keycloak keycloak = Serialization.unmarshal(Fixtures.read("upstream/keycloak-basic.yaml"), Keycloak.class);
    keycloak.setApiVersion("k8s.keycloak.org/v2beta1");
    keycloak.getMetadata().setName(name);
    return keycloak;
  }

  private static KeycloakRealmImport realmImport(String name, String keycloak) {
    KeycloakRealmImport realm = Serialization.unmarshal(Fixtures.read("upstream/realm-import-basic.yaml"), KeycloakRealmImport.class);
    realm.setApiVersion("k8s.keycloak.org/v2beta1");
    realm.getMetadata().setName(name);
    realm.getSpec().keycloakCRName = keycloak;
    return realm;
  }

  private static void allowed(Supplier<?> call) {
    try {
      call.get();
    } catch (KubernetesClientException e) {
      throw new AssertionError("expected to be allowed, got HTTP " + e.getCode() + ": " + e.getMessage(), e);
    }
  }

  @SafeVarargs
  private static void forbidden(Supplier<?>... calls) {
    for (Supplier<?> call : calls) {
      try {
        call.get();
        throw new AssertionError("expected 403, but the call succeeded");
      } catch (KubernetesClientException e) {
        assertThat(e.getCode()).as(e.getMessage()).isEqualTo(403);
      }
    }
  }
}
