package io.keycloakgitops.reconciler.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.keycloakgitops.reconciler.ReconcilerConfig;
import io.keycloakgitops.reconciler.TestKeycloaks;
import io.keycloakgitops.reconciler.model.ServerSettings.UpdateStrategy;
import org.junit.jupiter.api.Test;

class ServerSettingsTest {

  private static ServerSettings settings(String spec) {
    return TestKeycloaks.model(spec).settings();
  }

  @Test
  void anEmptySpecGetsTheDocumentedDefaults() {
    var settings = settings("{}");
    assertThat(settings.image()).isEqualTo(ReconcilerConfig.DEFAULT_IMAGE);
    assertThat(settings.optimized()).isFalse();
    assertThat(settings.instances()).isEqualTo(1);
    assertThat(settings.tls()).isFalse();
    assertThat(settings.httpEnabled()).isTrue();
    assertThat(settings.httpPort()).isEqualTo(8080);
    assertThat(settings.managementPort()).isEqualTo(9000);
    assertThat(settings.ingressEnabled()).isFalse();
    assertThat(settings.networkPolicyEnabled()).isTrue();
    assertThat(settings.serviceMonitorEnabled()).isTrue();
    assertThat(settings.adminSecret()).isEqualTo("kc-initial-admin");
    assertThat(settings.generatedAdminSecret()).isTrue();
    assertThat(settings.updateStrategy()).isEqualTo(UpdateStrategy.ROLLING);
  }

  @Test
  void theConfiguredDefaultImageIsUsedWithoutSpecImage() {
    var keycloak = TestKeycloaks.withSpec("{}");
    var settings = ServerSettings.of(keycloak, ReconcilerConfig.defaults().withDefaultImage("registry/kc:1"));
    assertThat(settings.image()).isEqualTo("registry/kc:1");
  }

  @Test
  void aCustomImageStartsOptimizedUnlessStartOptimizedSaysOtherwise() {
    assertThat(settings("image: registry/custom:1").optimized()).isTrue();
    assertThat(settings("image: registry/custom:1\nstartOptimized: false").optimized()).isFalse();
    assertThat(settings("startOptimized: true").optimized()).isTrue();
  }

  @Test
  void tlsDisablesPlainHttpUnlessHttpEnabled() {
    assertThat(settings("http: {tlsSecret: tls}").httpEnabled()).isFalse();
    assertThat(settings("http: {tlsSecret: tls, httpEnabled: true}").httpEnabled()).isTrue();
    assertThat(settings("http: {httpEnabled: false}").httpEnabled()).as("no TLS: http is the only way in").isTrue();
  }

  @Test
  void internalUrlUsesTheServingSchemePortAndRelativePath() {
    var keycloak = TestKeycloaks.withSpec("""
        http: {tlsSecret: tls, httpsPort: 8543}
        additionalOptions:
          - {name: http-relative-path, value: /auth/}
        """);
    var settings = TestKeycloaks.model(keycloak).settings();
    assertThat(settings.internalUrl(keycloak)).isEqualTo("https://kc-service.identity.svc:8543/auth");
    assertThat(settings.managementRelativePath()).isEqualTo("/auth");
    assertThat(TestKeycloaks.withSpec("{}")).satisfies(plain -> assertThat(
        TestKeycloaks.model(plain).settings().internalUrl(plain)).isEqualTo("http://kc-service.identity.svc:8080"));
  }

  @Test
  void aManagementRelativePathOverridesTheHttpOne() {
    var settings = settings("""
        additionalOptions:
          - {name: http-relative-path, value: auth}
          - {name: http-management-relative-path, value: /}
        """);
    assertThat(settings.relativePath()).isEqualTo("/auth");
    assertThat(settings.managementRelativePath()).isEmpty();
  }

  @Test
  void aNamedBootstrapSecretReplacesTheGeneratedOne() {
    var settings = settings("bootstrapAdmin: {user: {secret: my-admin}}");
    assertThat(settings.adminSecret()).isEqualTo("my-admin");
    assertThat(settings.generatedAdminSecret()).isFalse();
  }

  @Test
  void updateStrategies() {
    assertThat(settings("update: {strategy: RecreateOnImageChange}").updateStrategy())
        .isEqualTo(UpdateStrategy.RECREATE_ON_IMAGE_CHANGE);
    assertThat(settings("update: {strategy: Auto}").updateStrategy())
        .isEqualTo(UpdateStrategy.RECREATE_ON_IMAGE_CHANGE);
    assertThat(settings("update: {strategy: Explicit, revision: '1'}").updateStrategy())
        .isEqualTo(UpdateStrategy.EXPLICIT);
  }

  @Test
  void optionalResourcesCanBeSwitchedOff() {
    var settings = settings("""
        ingress: {enabled: false}
        networkPolicy: {enabled: false}
        serviceMonitor: {enabled: false}
        """);
    assertThat(settings.ingressEnabled()).isFalse();
    assertThat(settings.networkPolicyEnabled()).isFalse();
    assertThat(settings.serviceMonitorEnabled()).isFalse();
  }
}
