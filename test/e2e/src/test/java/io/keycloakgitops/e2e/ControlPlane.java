package io.keycloakgitops.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.keycloakgitops.reconciler.KeycloakOperator;
import io.keycloakgitops.reconciler.ReconcilerConfig;
import io.keycloakgitops.testsupport.ProcessResult;
import io.keycloakgitops.testsupport.TestCluster;
import io.keycloakgitops.webhook.WebhookConfig;
import io.keycloakgitops.webhook.WebhookConfigurations;
import io.keycloakgitops.webhook.WebhookServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/**
 * keycloak-gitops installed on the real API server the way the chart installs it: the chart's CRDs, the webhook
 * with self-managed TLS (CA in a Secret of its own namespace, caBundle published to its configurations), and the
 * reconciler. The webhook configurations only select namespaces labelled for this run, so other tests sharing
 * the API server are not affected.
 */
final class ControlPlane implements AutoCloseable {
  static final String WEBHOOK_CONFIG = "keycloak-gitops-e2e";

  final TestCluster cluster;
  final String systemNamespace;
  final Map<String, String> namespaceLabels;
  final WebhookServer webhook;
  final WebhookConfigurations webhookConfigurations;
  final KeycloakOperator reconciler;
  /** Where the reconciler works. */
  final String tenantNamespace;
  /** Admission applies here too, but the reconciler does not watch it (see GitOpsStoryIT). */
  final String serverNamespace;

  private ControlPlane(TestCluster cluster, String runLabel) {
    this.cluster = cluster;
    applyChartCrds(cluster);
    KubernetesClient client = cluster.client();
    systemNamespace = cluster.createNamespace("keycloak-gitops-system");
    namespaceLabels = Map.of("keycloak-gitops.io/e2e", runLabel);
    webhook = WebhookServer.start(WebhookConfig.loopback()
        .withCluster(cluster.newClient(), systemNamespace, "keycloak-gitops-webhook-tls", WEBHOOK_CONFIG).validated());
    webhookConfigurations = WebhookConfigurations.forUrl(WEBHOOK_CONFIG, webhook.baseUrl(), webhook.caBundlePem(), systemNamespace)
        .onlyInNamespacesLabelled(namespaceLabels);
    webhookConfigurations.apply(client);
    tenantNamespace = cluster.createNamespace("identity", namespaceLabels);
    serverNamespace = cluster.createNamespace("identity-local", namespaceLabels);
    reconciler = KeycloakOperator.start(client, ReconcilerConfig.defaults().withNamespaces(java.util.Set.of(tenantNamespace)));
  }

  static ControlPlane install(TestCluster cluster, String runLabel) {
    return new ControlPlane(cluster, runLabel);
  }

  /** `kubectl apply` of the CRDs exactly as shipped in chart/crds (server-side: the Keycloak CRD is too large for
   * the client-side last-applied annotation). */
  private static void applyChartCrds(TestCluster cluster) {
    Path crds = chartCrds();
    ProcessResult result = cluster.kubectl("apply", "--server-side", "--force-conflicts", "-f", crds.toString());
    if (!result.ok()) {
      throw new IllegalStateException("applying " + crds + " failed: " + result);
    }
    cluster.awaitCrdsEstablished();
  }

  static Path chartCrds() {
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("chart/crds"))) {
        return dir.resolve("chart/crds");
      }
    }
    throw new IllegalStateException("chart/crds not found above " + Paths.get("").toAbsolutePath());
  }

  @Override
  public void close() {
    reconciler.close();
    webhookConfigurations.delete(cluster.client());
    webhook.close();
  }
}
