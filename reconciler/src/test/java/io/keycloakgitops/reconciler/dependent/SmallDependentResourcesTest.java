package io.keycloakgitops.reconciler.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.keycloakgitops.reconciler.TestKeycloaks;
import java.util.HashSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The admin Secret, the PodDisruptionBudget and the ServiceMonitor. */
class SmallDependentResourcesTest {

  @Test
  void adminSecretHoldsTheSuppliedPasswordAndTheTempAdmin() {
    var secret = new KeycloakAdminSecretDependentResource().desired(TestKeycloaks.model("{}"), () -> "s3cret");
    assertThat(secret.getMetadata().getName()).isEqualTo("kc-initial-admin");
    assertThat(secret.getType()).isEqualTo("kubernetes.io/basic-auth");
    assertThat(secret.getStringData()).isEqualTo(Map.of("username", "temp-admin", "password", "s3cret"));
  }

  @Test
  void generatedPasswordsAreLongAndDistinct() {
    var passwords = new HashSet<String>();
    for (int i = 0; i < 100; i++) {
      passwords.add(KeycloakAdminSecretDependentResource.randomPassword());
    }
    assertThat(passwords).hasSize(100).allSatisfy(p -> assertThat(p).hasSize(32).matches("[A-Za-z0-9]+"));
  }

  @Test
  void adminSecretOnlyWithoutANamedOne() {
    assertThat(KeycloakAdminSecretDependentResource.GeneratedCondition.holds(TestKeycloaks.model("{}"))).isTrue();
    assertThat(KeycloakAdminSecretDependentResource.GeneratedCondition.holds(
        TestKeycloaks.model("bootstrapAdmin: {user: {secret: mine}}"))).isFalse();
  }

  @Test
  void podDisruptionBudgetFromTwoInstances() {
    assertThat(KeycloakPodDisruptionBudgetDependentResource.HighAvailabilityCondition.holds(
        TestKeycloaks.model("instances: 1"))).isFalse();
    assertThat(KeycloakPodDisruptionBudgetDependentResource.HighAvailabilityCondition.holds(
        TestKeycloaks.model("instances: 2"))).isTrue();
    var pdb = new KeycloakPodDisruptionBudgetDependentResource().desired(TestKeycloaks.model("instances: 3"));
    assertThat(pdb.getMetadata().getName()).isEqualTo("kc");
    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(pdb.getSpec().getSelector().getMatchLabels()).containsEntry("app.kubernetes.io/instance", "kc");
  }

  @Test
  @SuppressWarnings("unchecked")
  void serviceMonitorScrapesTheManagementPort() {
    var monitor = new KeycloakServiceMonitorDependentResource().desired(TestKeycloaks.model("""
        http: {tlsSecret: tls}
        serviceMonitor: {interval: 15s, labels: {release: prom}}
        """));
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prom");
    var spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
    var endpoint = ((java.util.List<Map<String, Object>>) spec.get("endpoints")).getFirst();
    assertThat(endpoint).containsEntry("port", "management").containsEntry("path", "/metrics")
        .containsEntry("scheme", "https").containsEntry("interval", "15s").containsEntry("scrapeTimeout", "10s");
    assertThat(KeycloakServiceMonitorDependentResource.EnabledCondition.holds(
        TestKeycloaks.model("serviceMonitor: {enabled: false}"))).isFalse();
  }
}
