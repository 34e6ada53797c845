package io.keycloakgitops.webhook.mutation;

import static io.keycloakgitops.webhook.Manifests.create;
import static io.keycloakgitops.webhook.Manifests.fixture;
import static io.keycloakgitops.webhook.Manifests.keycloak;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import io.keycloakgitops.webhook.Manifests;
import io.keycloakgitops.webhook.rules.PodSecurityCases;
import io.keycloakgitops.webhook.rules.Review;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DefaulterTest {

  /** Every fixture, every PSS case as a podTemplate, and some odd shapes. */
  static Stream<ObjectNode> objects() {
    var objects = new ArrayList<ObjectNode>();
    for (String name : List.of("upstream/keycloak-basic.yaml", "upstream/keycloak-full.yaml")) {
      objects.add(fixture(name));
    }
    objects.add(keycloak("{}"));
    objects.add(Manifests.yaml("apiVersion: k8s.keycloak.org/v2beta1\nkind: Keycloak\nmetadata:\n  name: bare\n"));
    objects.add(keycloak("ingress:\n  tlsSecret: edge\nhttp:\n  httpEnabled: true\n"));
    objects.add(keycloak("instances: wrong-type\nnetworkPolicy: []\nunsupported:\n  podTemplate:\n    spec:\n"
        + "      containers: not-a-list\n"));
    for (PodSecurityCases.Case c : PodSecurityCases.ALL) {
      objects.add(keycloak("unsupported:\n  podTemplate:\n" + c.templateYaml().indent(4)));
    }
    return objects.stream();
  }

  @ParameterizedTest
  @MethodSource("objects")
  void mutatingAMutatedObjectChangesNothing(ObjectNode object) {
    var first = Defaulter.mutate(create(object));
    var second = Defaulter.mutate(create(first.object()));
    assertThat(second.patch()).isEmpty();
    assertThat(second.object()).isEqualTo(first.object());
  }

  @ParameterizedTest
  @MethodSource("objects")
  void thePatchTurnsTheInputIntoTheDefaultedObjectAndOnlyAdds(ObjectNode object) {
    var result = Defaulter.mutate(create(object));
    assertThat(JsonPatch.apply(result.patch(), object)).isEqualTo(result.object());
    assertThat(result.patch()).allSatisfy(op -> assertThat(op.path("op").asText()).isEqualTo("add"));
  }

  @ParameterizedTest
  @MethodSource("objects")
  void whatTheUserSetIsKept(ObjectNode object) {
    JsonNode defaulted = Defaulter.mutate(create(object)).object();
    assertContains(defaulted, object, "");
  }

  @Test
  void defaultsAnEmptySpec() {
    var result = Defaulter.mutate(create(keycloak("{}")));
    JsonNode spec = result.object().path("spec");
    assertThat(spec.path("instances").asInt()).isEqualTo(1);
    assertThat(spec.path("networkPolicy").path("enabled").asBoolean()).isTrue();
    assertThat(spec.path("ingress").path("enabled").isBoolean()).isTrue();
    assertThat(spec.path("ingress").path("enabled").asBoolean()).isFalse();
    assertThat(spec.path("automountServiceAccountToken").asBoolean(true)).isFalse();
    assertThat(spec.has("proxy")).isFalse();
    JsonNode pod = spec.path("unsupported").path("podTemplate").path("spec");
    assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
    JsonNode keycloak = pod.path("containers").get(0);
    assertThat(keycloak.path("name").asText()).isEqualTo("keycloak");
    assertThat(keycloak.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
    assertThat(keycloak.path("securityContext").path("privileged").asBoolean(true)).isFalse();
    assertThat(keycloak.path("securityContext").path("capabilities").path("drop").get(0).asText()).isEqualTo("ALL");
    assertThat(result.warnings()).singleElement().asString().startsWith("spec.ingress.enabled: defaulted to false");
  }

  @Test
  void writesOutTheKeycloakContainerTheReconcilerWillUse() {
    JsonNode unnamed = Defaulter.mutate(create(keycloak(
        "unsupported:\n  podTemplate:\n    spec:\n      containers: [{image: custom}]\n"))).object();
    assertThat(unnamed.at("/spec/unsupported/podTemplate/spec/containers")).singleElement()
        .satisfies(c -> assertThat(c.path("name").asText()).isEqualTo("keycloak"));
    JsonNode sidecar = Defaulter.mutate(create(keycloak(
        "unsupported:\n  podTemplate:\n    spec:\n      containers: [{name: sidecar, image: busybox}]\n"))).object();
    assertThat(sidecar.at("/spec/unsupported/podTemplate/spec/containers")).extracting(c -> c.path("name").asText())
        .containsExactly("sidecar", "keycloak");
  }

  @Test
  void setsProxyHeadersOnlyForAnEdgeTerminatedIngress() {
    var edge = Defaulter.mutate(create(keycloak("ingress:\n  tlsSecret: edge\nhttp:\n  httpEnabled: true\n")));
    assertThat(edge.object().path("spec").path("proxy").path("headers").asText()).isEqualTo("xforwarded");
    assertThat(edge.object().path("spec").path("ingress").path("enabled").asBoolean()).isTrue();

    var passthrough = Defaulter.mutate(create(keycloak("ingress:\n  tlsSecret: edge\nhttp:\n  tlsSecret: pod\n")));
    assertThat(passthrough.object().path("spec").has("proxy")).isFalse();

    var userChoice = Defaulter.mutate(create(keycloak("ingress:\n  tlsSecret: edge\nproxy:\n  headers: forwarded\n")));
    assertThat(userChoice.object().path("spec").path("proxy").path("headers").asText()).isEqualTo("forwarded");
  }

  @Test
  void neverOverwritesAnExplicitWeakeningSoTheValidatorCanDenyIt() {
    var result = Defaulter.mutate(create(keycloak("instances: 3\nnetworkPolicy:\n  enabled: false\n"
        + "unsupported:\n  podTemplate:\n    spec:\n      securityContext:\n        runAsNonRoot: false\n")));
    JsonNode spec = result.object().path("spec");
    assertThat(spec.path("instances").asInt()).isEqualTo(3);
    assertThat(spec.path("networkPolicy").path("enabled").asBoolean()).isFalse();
    assertThat(spec.path("unsupported").path("podTemplate").path("spec").path("securityContext")
        .path("runAsNonRoot").asBoolean()).isFalse();
  }

  @Test
  void leavesOtherKindsAlone() {
    var realmImport = fixture("upstream/realm-import-basic.yaml");
    var result = Defaulter.mutate(new Review(Review.GROUP, Review.REALM_IMPORT, "CREATE", "team", realmImport, null));
    assertThat(result.changed()).isFalse();
    assertThat(result.warnings()).isEmpty();
  }

  /** Every field of {@code expected} is in {@code actual} with the same value (lists compared by index). */
  private static void assertContains(JsonNode actual, JsonNode expected, String path) {
    if (expected.isObject()) {
      assertThat(actual.isObject()).as(path).isTrue();
      expected.properties().forEach(f -> assertContains(actual.path(f.getKey()), f.getValue(), path + "." + f.getKey()));
    } else if (expected.isArray()) {
      assertThat(actual.isArray()).as(path).isTrue();
      for (int i = 0; i < expected.size(); i++) {
        assertContains(actual.get(i), expected.get(i), path + "[" + i + "]");
      }
    } else {
      assertThat(actual).as(path).isEqualTo(expected);
    }
  }
}
