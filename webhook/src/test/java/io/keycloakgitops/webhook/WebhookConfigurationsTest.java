package io.keycloakgitops.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookConfigurationsTest {
  private static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

  @Test
  void bothConfigurationsFollowTheRules() {
    var configurations = WebhookConfigurations.forUrl("https://127.0.0.1:9443/", PEM, "keycloak-gitops");
    ValidatingWebhook validating = configurations.validating().getWebhooks().getFirst();
    MutatingWebhook mutating = configurations.mutating().getWebhooks().getFirst();
    assertThat(configurations.validating().getMetadata().getName()).isEqualTo("keycloak-gitops")
        .isEqualTo(configurations.mutating().getMetadata().getName());
    assertThat(validating.getClientConfig().getUrl()).isEqualTo("https://127.0.0.1:9443/validate");
    assertThat(mutating.getClientConfig().getUrl()).isEqualTo("https://127.0.0.1:9443/mutate");
    assertThat(new String(Base64.getDecoder().decode(validating.getClientConfig().getCaBundle()),
        StandardCharsets.UTF_8)).isEqualTo(PEM);
    for (var webhook : List.of(
        new Fields(validating.getFailurePolicy(), validating.getSideEffects(), validating.getTimeoutSeconds(),
            validating.getMatchPolicy(), validating.getNamespaceSelector().getMatchExpressions().getFirst().getValues(),
            validating.getRules().getFirst().getResources(), validating.getRules().getFirst().getOperations()),
        new Fields(mutating.getFailurePolicy(), mutating.getSideEffects(), mutating.getTimeoutSeconds(),
            mutating.getMatchPolicy(), mutating.getNamespaceSelector().getMatchExpressions().getFirst().getValues(),
            mutating.getRules().getFirst().getResources(), mutating.getRules().getFirst().getOperations()))) {
      assertThat(webhook).isEqualTo(new Fields("Fail", "None", 5, "Equivalent", List.of("kube-system", "keycloak-gitops"),
          List.of("keycloaks", "keycloakrealmimports"), List.of("CREATE", "UPDATE")));
    }
    assertThat(mutating.getReinvocationPolicy()).isEqualTo("IfNeeded");
    assertThat(validating.getAdmissionReviewVersions()).containsExactly("v1");
  }

  record Fields(String failurePolicy, String sideEffects, Integer timeout, String matchPolicy, List<String> excluded,
      List<String> resources, List<String> operations) {}

  @Test
  void inTheClusterTheServiceIsCalled() {
    var configurations = WebhookConfigurations.forService("kg", "kg-system", "kg-webhook", 443, null);
    var service = configurations.mutating().getWebhooks().getFirst().getClientConfig().getService();
    assertThat(service.getNamespace()).isEqualTo("kg-system");
    assertThat(service.getPath()).isEqualTo("/mutate");
    assertThat(configurations.mutating().getWebhooks().getFirst().getClientConfig().getCaBundle()).isNull();
    assertThat(configurations.validating().getWebhooks().getFirst().getNamespaceSelector().getMatchExpressions()
        .getFirst().getValues()).containsExactly("kube-system", "kg-system");
  }

  @Test
  void aTestCanNarrowThemToItsNamespaces() {
    var narrowed = WebhookConfigurations.forUrl("https://127.0.0.1:1", PEM, null)
        .onlyInNamespacesLabelled(Map.of("test", "a1"));
    for (var selector : List.of(narrowed.validating().getWebhooks().getFirst().getNamespaceSelector(),
        narrowed.mutating().getWebhooks().getFirst().getNamespaceSelector())) {
      assertThat(selector.getMatchLabels()).containsExactly(Map.entry("test", "a1"));
      assertThat(selector.getMatchExpressions().getFirst().getValues()).containsExactly("kube-system");
    }
  }

  @Test
  void theServingCertificateNamesTheServiceAndTheBindAddress() {
    var config = WebhookConfig.loopback().withServiceName("svc").withCluster(null, "ns", null, null);
    assertThat(WebhookServer.dnsNames(config))
        .containsExactly("svc", "svc.ns", "svc.ns.svc", "svc.ns.svc.cluster.local", "localhost");
    assertThat(WebhookServer.ipAddresses("127.0.0.1")).containsExactly("127.0.0.1");
    assertThat(WebhookServer.ipAddresses("0.0.0.0")).isEmpty();
    assertThat(WebhookServer.dnsNames(config.withBindAddress("0.0.0.0"))).doesNotContain("localhost");
  }
}
