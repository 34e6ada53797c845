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
  void serviceMonitorScrapesTheManagementPort() {
    var monitor = new KeycloakServiceMonitorDependentResource().desired(TestKeycloaks.model("""
        http: {tlsSecret: tls}
        serviceMonitor: {interval: 15s, labels: {release: prom}}
        """));
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
    assertThat(monitor.getMetadata().getName()).isEqualTo("kc");
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prom");
    assertThat(monitor.getSpec().selector.getMatchLabels()).containsEntry("app.kubernetes.io/instance", "kc");
    assertThat(monitor.getSpec().namespaceSelector.matchNames).containsExactly(TestKeycloaks.NAMESPACE);
    assertThat(monitor.getSpec().endpoints).singleElement().satisfies(endpoint -> {
      assertThat(endpoint.port).isEqualTo("management");
      assertThat(endpoint.path).isEqualTo("/metrics");
      assertThat(endpoint.scheme).isEqualTo("https");
      assertThat(endpoint.interval).isEqualTo("15s");
      assertThat(endpoint.scrapeTimeout).isEqualTo("10s");
      assertThat(endpoint.tlsConfig.insecureSkipVerify).isTrue();
    });
    assertThat(KeycloakServiceMonitorDependentResource.EnabledCondition.holds(
        TestKeycloaks.model("serviceMonitor: {enabled: false}"))).isFalse();
  }
}
