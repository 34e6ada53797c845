package io.keycloakgitops.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.keycloakgitops.schemas.Schemas;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The generated CRDs on the real API server: upstream manifests round-trip unchanged; bad types are rejected. */
class CrdRoundTripIT {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static TestCluster cluster;
  private static String namespace;

  @BeforeAll
  static void installCrds() {
    cluster = TestCluster.shared();
    cluster.installCrds();
    namespace = cluster.createNamespace("crd");
  }

  @Test
  void crdsAreEstablishedWithBothVersionsAndTheScaleSubresource() {
    CustomResourceDefinition crd = cluster.client().apiextensions().v1().customResourceDefinitions().withName(Schemas.KEYCLOAK_CRD).get();
    assertThat(crd.getSpec().getVersions()).extracting(v -> v.getName() + ":" + v.getServed() + ":" + v.getStorage())
        .containsExactlyInAnyOrder("v2beta1:true:true", "v2alpha1:true:false");
    assertThat(crd.getSpec().getVersions().get(0).getSubresources().getScale().getSpecReplicasPath()).isEqualTo(".spec.instances");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("kc");
  }

  @ParameterizedTest
  @ValueSource(strings = {"keycloak-basic.yaml", "keycloak-full.yaml", "realm-import-basic.yaml", "realm-import-full.yaml"})
  void upstreamManifestsAreStoredAndReadBackUnchanged(String fixture) throws Exception {
    String yaml = Fixtures.read("upstream/" + fixture);
    JsonNode sent = YAML.readTree(yaml);
    KubernetesClient client = cluster.client();
    GenericKubernetesResource created = client.resource(Serialization.unmarshal(yaml, GenericKubernetesResource.class)).inNamespace(namespace).create();

    GenericKubernetesResource readBack = client.genericKubernetesResources(sent.get("apiVersion").asText(), sent.get("kind").asText())
        .inNamespace(namespace).withName(created.getMetadata().getName()).get();
    JsonNode spec = Serialization.jsonMapper().valueToTree(readBack.getAdditionalProperties().get("spec"));
    assertThat(spec).isEqualTo(sent.get("spec"));
    assertThat(readBack.getApiVersion()).isEqualTo(sent.get("apiVersion").asText());
  }

  @Test
  void apiServerAndEtcdListenOnLoopbackOnly() {
    ProcessHandle jvm = ProcessHandle.current();
    assertThat(jvm.descendants().filter(p -> p.info().command().orElse("").matches(".*/(kube-apiserver|etcd-real)$")))
        .hasSize(2)
        .allSatisfy(p -> {
          assertThat(Listeners.listeningCount(p)).isPositive();
          assertThat(Listeners.nonLoopback(p)).isEmpty();
        });
  }

  @Test
  void aWrongTypeIsRejectedByTheCrdSchemaWithItsFieldPath() {
    String yaml = """
        apiVersion: k8s.keycloak.org/v2beta1
        kind: Keycloak
        metadata:
          name: wrong-type
        spec:
          instances: three
        """;
    assertThatThrownBy(() -> cluster.client().resource(Serialization.unmarshal(yaml, GenericKubernetesResource.class)).inNamespace(namespace).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.instances");
  }

  @Test
  void kubectlScaleWorksThroughTheScaleSubresource() {
    String yaml = """
        apiVersion: k8s.keycloak.org/v2beta1
        kind: Keycloak
        metadata:
          name: scalable
        spec:
          instances: 1
        """;
    assertThat(cluster.kubectlWithInput(yaml, "apply", "-n", namespace, "-f", "-").ok()).isTrue();
    ProcessResult scale = cluster.kubectl("scale", "-n", namespace, "keycloak/scalable", "--replicas=3");
    assertThat(scale.ok()).as(scale.toString()).isTrue();
    GenericKubernetesResource kc = cluster.client().genericKubernetesResources("k8s.keycloak.org/v2beta1", "Keycloak").inNamespace(namespace).withName("scalable").get();
    assertThat(((java.util.Map<?, ?>) kc.getAdditionalProperties().get("spec")).get("instances")).isEqualTo(3);
  }
}
