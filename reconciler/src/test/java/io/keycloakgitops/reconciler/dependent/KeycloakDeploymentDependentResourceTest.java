package io.keycloakgitops.reconciler.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.keycloakgitops.reconciler.TestKeycloaks;
import io.keycloakgitops.reconciler.model.KeycloakModel;
import io.keycloakgitops.reconciler.model.KeycloakNames;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class KeycloakDeploymentDependentResourceTest {
  private final KeycloakDeploymentDependentResource dependent = new KeycloakDeploymentDependentResource();

  private Deployment desired(String spec) {
    return dependent.desired(TestKeycloaks.model(spec));
  }

  private static Container keycloak(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> c.getName().equals("keycloak")).findFirst().orElseThrow();
  }

  private static Map<String, VolumeMount> mounts(Deployment deployment) {
    return keycloak(deployment).getVolumeMounts().stream()
        .collect(Collectors.toMap(VolumeMount::getMountPath, m -> m));
  }

  private static Volume volume(Deployment deployment, String name) {
    return deployment.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getName().equals(name))
        .findFirst().orElseThrow();
  }

  private static String env(Deployment deployment, String name) {
    return keycloak(deployment).getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue)
        .findFirst().orElse(null);
  }

  @Test
  void deploymentSelectsThePodsByTheSharedLabels() {
    var deployment = desired("instances: 3");
    assertThat(deployment.getMetadata().getName()).isEqualTo("kc");
    assertThat(deployment.getMetadata().getNamespace()).isEqualTo(TestKeycloaks.NAMESPACE);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
    var selector = deployment.getSpec().getSelector().getMatchLabels();
    assertThat(selector).isEqualTo(KeycloakNames.selectorLabels(TestKeycloaks.withSpec("{}")));
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(selector);
  }

  @Test
  void theDefaultImageStartsWithoutOptimizedAndDiscoversPeersThroughTheHeadlessService() {
    var container = keycloak(desired("{}"));
    assertThat(container.getImage()).isEqualTo("quay.io/keycloak/keycloak:26.5.6");
    assertThat(container.getArgs()).containsExactly("start", "-Djgroups.dns.query=kc-discovery.identity",
        "-Djgroups.bind.address=$(POD_IP)");
  }

  @Test
  void aPrebuiltImageStartsOptimizedWithAReadOnlyRootFilesystem() {
    var deployment = desired("image: registry.example/keycloak:26-custom");
    var container = keycloak(deployment);
    assertThat(container.getImage()).isEqualTo("registry.example/keycloak:26-custom");
    assertThat(container.getArgs()).startsWith("start", "--optimized");
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(mounts(deployment)).containsKeys("/tmp", "/opt/keycloak/data/tmp",
        "/opt/keycloak/data/transaction-logs");
    assertThat(volume(deployment, "tmp").getEmptyDir()).isNotNull();
  }

  @Test
  void aNonOptimizedStartKeepsAWritableRootBecauseItRebuildsTheServer() {
    assertThat(keycloak(desired("{}")).getSecurityContext().getReadOnlyRootFilesystem()).isFalse();
  }

  @Test
  void tlsMountsTheCertificateAndProbesOverHttps() {
    var deployment = desired("http: {tlsSecret: kc-tls}");
    assertThat(volume(deployment, "keycloak-tls-certificates").getSecret().getSecretName()).isEqualTo("kc-tls");
    assertThat(mounts(deployment).get("/mnt/certificates").getReadOnly()).isTrue();
    var container = keycloak(deployment);
    var probes = List.of(container.getStartupProbe(), container.getReadinessProbe(), container.getLivenessProbe());
    for (var probe : probes) {
      assertThat(probe.getHttpGet().getScheme()).isEqualTo("HTTPS");
      assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("management");
    }
    assertThat(container.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly("https:8443", "management:9000", "jgroups:7800");
  }

  @Test
  void probesUseTheManagementPortPathsAndSpecOverrides() {
    var container = keycloak(desired("""
        httpManagement: {port: 9100}
        readinessProbe: {periodSeconds: 20, failureThreshold: 5}
        additionalOptions:
          - {name: http-relative-path, value: /auth}
        """));
    assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/auth/health/started");
    assertThat(container.getStartupProbe().getPeriodSeconds()).isEqualTo(1);
    assertThat(container.getStartupProbe().getFailureThreshold()).isEqualTo(600);
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/auth/health/ready");
    assertThat(container.getReadinessProbe().getPeriodSeconds()).isEqualTo(20);
    assertThat(container.getReadinessProbe().getFailureThreshold()).isEqualTo(5);
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/auth/health/live");
    assertThat(container.getLivenessProbe().getHttpGet().getScheme()).isEqualTo("HTTP");
    assertThat(container.getPorts()).anyMatch(p -> p.getName().equals("management") && p.getContainerPort() == 9100);
  }

  @Test
  void theCacheConfigMapIsMountedAndPassedAsTheCacheConfigFile() {
    var deployment = desired("cache: {configMapFile: {name: kc-cache, key: cache-ispn.xml}}");
    var volume = volume(deployment, "keycloak-cache-config").getConfigMap();
    assertThat(volume.getName()).isEqualTo("kc-cache");
    assertThat(volume.getItems()).singleElement().satisfies(item -> {
      assertThat(item.getKey()).isEqualTo("cache-ispn.xml");
      assertThat(item.getPath()).isEqualTo("cache-ispn.xml");
    });
    assertThat(mounts(deployment)).containsKey("/opt/keycloak/conf/cache");
    assertThat(env(deployment, "KC_CACHE_CONFIG_FILE")).isEqualTo("cache/cache-ispn.xml");
  }

  @Test
  void truststoresAreMountedUnderTheConfTruststoresDirectory() {
    var deployment = dependent.desired(TestKeycloaks.model(TestKeycloaks.fixture("upstream/keycloak-full.yaml")));
    assertThat(volume(deployment, "truststore-secret-corporate").getSecret().getSecretName()).isEqualTo("corporate-ca");
    var partners = volume(deployment, "truststore-configmap-partners").getConfigMap();
    assertThat(partners.getName()).isEqualTo("partner-cas");
    assertThat(partners.getOptional()).isTrue();
    assertThat(mounts(deployment)).containsKeys("/opt/keycloak/conf/truststores/secret-corporate",
        "/opt/keycloak/conf/truststores/configmap-partners");
  }

  @Test
  void schedulingComesFromTheSpecAndTopologySpreadDefaultsToZoneAndHostname() {
    var defaults = desired("{}").getSpec().getTemplate().getSpec();
    assertThat(defaults.getTopologySpreadConstraints()).extracting(c -> c.getTopologyKey())
        .containsExactly("topology.kubernetes.io/zone", "kubernetes.io/hostname");
    assertThat(defaults.getTopologySpreadConstraints()).allSatisfy(c -> {
      assertThat(c.getMaxSkew()).isEqualTo(1);
      assertThat(c.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway");
      assertThat(c.getLabelSelector().getMatchLabels()).containsEntry("app.kubernetes.io/instance", "kc");
    });

    var pod = dependent.desired(TestKeycloaks.model(TestKeycloaks.fixture("upstream/keycloak-full.yaml")))
        .getSpec().getTemplate().getSpec();
    assertThat(pod.getPriorityClassName()).isEqualTo("high");
    assertThat(pod.getTolerations()).singleElement().satisfies(t -> assertThat(t.getValue()).isEqualTo("identity"));
    assertThat(pod.getTopologySpreadConstraints()).singleElement()
        .satisfies(c -> assertThat(c.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone"));
    assertThat(pod.getAffinity().getNodeAffinity()).isNotNull();
    assertThat(pod.getImagePullSecrets()).extracting(r -> r.getName()).containsExactly("regcred");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
  }

  @Test
  void resourcesComeFromTheSpecOrSensibleDefaults() {
    var defaults = keycloak(desired("{}")).getResources();
    assertThat(defaults.getLimits()).containsEntry("memory", new Quantity("2Gi"));
    var custom = keycloak(desired("resources: {requests: {cpu: 500m}, limits: {memory: 3Gi}}")).getResources();
    assertThat(custom.getRequests()).containsOnlyKeys("cpu");
    assertThat(custom.getLimits()).containsEntry("memory", new Quantity("3Gi"));
  }

  @Test
  void aStoppingPodServesFiveSecondsMoreUnlessThePodTemplateSaysOtherwise() {
    var container = keycloak(desired(""));
    assertThat(container.getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(5L);
    var own = keycloak(desired("""
        unsupported:
          podTemplate:
            spec:
              containers:
                - name: keycloak
                  lifecycle: {preStop: {sleep: {seconds: 20}}}
        """));
    assertThat(own.getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(20L);
  }

  @Test
  void podTemplateIsTheBaseWithTheGeneratedFieldsMergedIn() {
    var deployment = desired("""
        image: registry.example/kc:1
        unsupported:
          podTemplate:
            metadata:
              labels: {sidecar.istio.io/inject: "false", app: not-keycloak}
              annotations: {example.com/owner: team}
            spec:
              terminationGracePeriodSeconds: 90
              containers:
                - name: keycloak
                  image: ignored/by:design
                  workingDir: /opt/keycloak
                  env: [{name: EXTRA, value: "1"}, {name: KC_CACHE, value: local}]
                  volumeMounts: [{name: themes, mountPath: /opt/keycloak/themes/custom}]
                - name: log-shipper
                  image: fluent/fluent-bit:3
              volumes:
                - name: themes
                  configMap: {name: kc-themes}
        """);
    var template = deployment.getSpec().getTemplate();
    assertThat(template.getMetadata().getLabels()).containsEntry("sidecar.istio.io/inject", "false")
        .containsEntry("app", "keycloak");
    assertThat(template.getMetadata().getAnnotations()).containsEntry("example.com/owner", "team");
    assertThat(template.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(90L);
    var container = keycloak(deployment);
    assertThat(container.getImage()).isEqualTo("registry.example/kc:1");
    assertThat(container.getWorkingDir()).isEqualTo("/opt/keycloak");
    assertThat(env(deployment, "EXTRA")).isEqualTo("1");
    assertThat(env(deployment, "KC_CACHE")).as("generated options win over the base").isEqualTo("ispn");
    assertThat(mounts(deployment)).containsKeys("/opt/keycloak/themes/custom", "/tmp");
    assertThat(volume(deployment, "themes").getConfigMap().getName()).isEqualTo("kc-themes");
    assertThat(template.getSpec().getContainers()).extracting(Container::getName)
        .containsExactly("keycloak", "log-shipper");
  }

  @Test
  void theKeycloakContainerIsTheNamedOneElseAnUnnamedFirstOneElseANewOne() {
    var unnamed = desired("unsupported: {podTemplate: {spec: {containers: [{image: custom}]}}}")
        .getSpec().getTemplate().getSpec().getContainers();
    assertThat(unnamed).extracting(Container::getName).containsExactly("keycloak");
    var sidecar = desired("unsupported: {podTemplate: {spec: {containers: [{name: sidecar, image: busybox}]}}}")
        .getSpec().getTemplate().getSpec().getContainers();
    assertThat(sidecar).extracting(Container::getName).containsExactly("sidecar", "keycloak");
    assertThat(sidecar.getFirst().getImage()).as("a sidecar stays a sidecar").isEqualTo("busybox");
  }

  @Test
  void everyContainerIsHardenedWhateverThePodTemplateLeavesUnset() {
    var deployment = desired("""
        unsupported:
          podTemplate:
            spec:
              initContainers: [{name: init, image: busybox}]
              containers: [{name: keycloak}, {name: sidecar, image: busybox}]
        """);
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var contexts = Stream.concat(pod.getInitContainers().stream(), pod.getContainers().stream())
        .map(Container::getSecurityContext).toList();
    assertThat(contexts).hasSize(3).allSatisfy(KeycloakDeploymentDependentResourceTest::assertHardened);
  }

  @Test
  void anExplicitWeakeningInThePodTemplateStaysVisibleForTheWebhookToDeny() {
    var deployment = desired("""
        unsupported:
          podTemplate:
            spec:
              containers: [{name: keycloak, securityContext: {allowPrivilegeEscalation: true}}]
        """);
    var context = keycloak(deployment).getSecurityContext();
    assertThat(context.getAllowPrivilegeEscalation()).isTrue();
    assertThat(context.getCapabilities().getDrop()).containsExactly("ALL");
  }

  @Test
  void fullFixtureIsHardenedToo() {
    var pod = dependent.desired(TestKeycloaks.model(TestKeycloaks.fixture("upstream/keycloak-full.yaml")))
        .getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers()).allSatisfy(c -> assertHardened(c.getSecurityContext()));
  }

  private static void assertHardened(SecurityContext context) {
    assertThat(context.getAllowPrivilegeEscalation()).isFalse();
    assertThat(context.getPrivileged()).isFalse();
    assertThat(context.getCapabilities().getDrop()).containsExactly("ALL");
  }

  @Test
  void theContentDigestRollsThePodsAndIsAbsentWhenUnknown() {
    KeycloakModel model = TestKeycloaks.model("{}");
    assertThat(dependent.desired(model).getSpec().getTemplate().getMetadata().getAnnotations())
        .doesNotContainKey(KeycloakNames.CONFIG_DIGEST_ANNOTATION);
    var a = dependent.desired(model.withClusterFacts("aaa", false)).getSpec().getTemplate();
    var b = dependent.desired(model.withClusterFacts("bbb", false)).getSpec().getTemplate();
    assertThat(a.getMetadata().getAnnotations()).containsEntry(KeycloakNames.CONFIG_DIGEST_ANNOTATION, "aaa");
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void updateStrategyIsRollingOneAtATimeOrRecreate() {
    var model = TestKeycloaks.model("{}");
    var rolling = dependent.desired(model).getSpec().getStrategy();
    assertThat(rolling.getType()).isEqualTo("RollingUpdate");
    assertThat(rolling.getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
    assertThat(rolling.getRollingUpdate().getMaxSurge().getIntVal()).isEqualTo(1);
    var recreate = dependent.desired(model.withClusterFacts(null, true)).getSpec().getStrategy();
    assertThat(recreate.getType()).isEqualTo("Recreate");
    assertThat(recreate.getRollingUpdate()).isNull();
  }

  @Test
  void anExplicitRevisionIsRecordedOnTheDeployment() {
    assertThat(desired("update: {strategy: Explicit, revision: r7}").getMetadata().getAnnotations())
        .containsEntry(KeycloakNames.UPDATE_REVISION_ANNOTATION, "r7");
  }

  @Test
  void buildingIsPureAndLeavesTheCrUntouched() {
    Keycloak keycloak = TestKeycloaks.fixture("upstream/keycloak-full.yaml");
    String before = Serialization.asYaml(keycloak);
    var first = dependent.desired(TestKeycloaks.model(keycloak));
    var second = dependent.desired(TestKeycloaks.model(keycloak));
    assertThat(first).isEqualTo(second);
    assertThat(Serialization.asYaml(keycloak)).isEqualTo(before);
  }
}
