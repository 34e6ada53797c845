package io.keycloakgitops.webhook.admission;

import static io.keycloakgitops.webhook.Manifests.fixture;
import static io.keycloakgitops.webhook.Manifests.keycloak;
import static io.keycloakgitops.webhook.Manifests.validKeycloak;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.zjsonpatch.JsonPatch;
import io.keycloakgitops.webhook.Json;
import io.keycloakgitops.webhook.Manifests;
import io.keycloakgitops.webhook.Reviews;
import io.keycloakgitops.webhook.admission.AdmissionHandler.Endpoint;
import io.keycloakgitops.webhook.rules.NamespacePolicy;
import io.keycloakgitops.webhook.rules.Validator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AdmissionHandlerTest {
  static Validator validator;
  SimpleMeterRegistry registry;
  AdmissionHandler handler;

  @BeforeAll
  static void load() {
    validator = Validator.load();
  }

  @BeforeEach
  void setUp() {
    registry = new SimpleMeterRegistry();
    handler = new AdmissionHandler(validator, () -> NamespacePolicy.DEFAULT, new WebhookMetrics(registry));
  }

  static Stream<Arguments> badInput() {
    String review = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",";
    return Stream.of(
        Arguments.of("malformed JSON", "{\"apiVersion\":", "malformed JSON: "),
        Arguments.of("not JSON at all", "<xml/>", "malformed JSON: "),
        Arguments.of("an array", "[]", "the body must be a JSON object"),
        Arguments.of("empty body", "", "the body must be a JSON object"),
        Arguments.of("wrong apiVersion", "{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\"}",
            "apiVersion must be admission.k8s.io/v1, not \"admission.k8s.io/v1beta1\""),
        Arguments.of("wrong kind", "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"Review\"}",
            "kind must be AdmissionReview, not \"Review\""),
        Arguments.of("no request", review + "\"response\":{}}", "request is missing"),
        Arguments.of("no uid", review + "\"request\":{\"kind\":{\"kind\":\"Keycloak\"}}}", "request.uid is missing"),
        Arguments.of("blank uid", review + "\"request\":{\"uid\":\" \"}}", "request.uid is missing"),
        Arguments.of("no kind", review + "\"request\":{\"uid\":\"1\"}}", "request.kind is missing"),
        Arguments.of("CREATE without object", review + "\"request\":{\"uid\":\"1\",\"kind\":{\"kind\":\"Keycloak\"},"
            + "\"operation\":\"CREATE\"}}", "request.object must be an object for CREATE"),
        Arguments.of("UPDATE without oldObject", review + "\"request\":{\"uid\":\"1\",\"kind\":{\"kind\":\"Keycloak\"},"
            + "\"operation\":\"UPDATE\",\"object\":{}}}", "request.oldObject must be an object for UPDATE"),
        Arguments.of("wrong field type", review + "\"request\":{\"uid\":\"1\",\"kind\":{\"kind\":\"Keycloak\"},"
            + "\"operation\":\"CREATE\",\"object\":{},\"dryRun\":{\"a\":1}}}", "not an AdmissionReview: "));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInput")
  void badInputIsABadRequestWithAOneLineReason(String name, String body, String reason) {
    for (Endpoint endpoint : Endpoint.values()) {
      assertThatThrownBy(() -> handler.handle(endpoint, body.getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(BadRequestException.class)
          .hasMessageStartingWith(reason)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(300));
    }
    assertThat(registry.get("webhook.requests").tag("result", "bad_request").counters()).hasSize(2);
  }

  /** A Keycloak CREATE whose spec holds {@code count} empty objects: the densest tree per byte of JSON. */
  static byte[] dense(int count) {
    var body = new StringBuilder(count * 3 + 400).append("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":"
        + "\"AdmissionReview\",\"request\":{\"uid\":\"1\",\"kind\":{\"group\":\"k8s.keycloak.org\",\"version\":"
        + "\"v2beta1\",\"kind\":\"Keycloak\"},\"operation\":\"CREATE\",\"namespace\":\"team\",\"object\":{"
        + "\"apiVersion\":\"k8s.keycloak.org/v2beta1\",\"kind\":\"Keycloak\",\"metadata\":{\"name\":\"x\"},"
        + "\"spec\":{\"x\":[");
    for (int i = 0; i < count; i++) {
      body.append(i == 0 ? "{}" : ",{}");
    }
    return body.append("]}}}}").toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void bodiesOverTheSizeOrTokenLimitAre413() {
    byte[] huge = new byte[AdmissionHandler.MAX_BODY_BYTES + 1];
    Arrays.fill(huge, (byte) ' ');
    byte[] dense = dense(1_000_000);
    assertThat(dense.length).isLessThan(AdmissionHandler.MAX_BODY_BYTES);
    for (Endpoint endpoint : Endpoint.values()) {
      assertThatThrownBy(() -> handler.handle(endpoint, huge)).isInstanceOf(BadRequestException.class)
          .hasMessage("request body larger than 3145728 bytes")
          .satisfies(e -> assertThat(((BadRequestException) e).status()).isEqualTo(413));
      assertThatThrownBy(() -> handler.handle(endpoint, dense)).isInstanceOf(BadRequestException.class)
          .hasMessageStartingWith("request too complex: ").hasMessageContaining("500000")
          .satisfies(e -> assertThat(((BadRequestException) e).status()).isEqualTo(413));
    }
    assertThat(registry.get("webhook.requests").tag("result", "too_large").counters()).hasSize(2);
  }

  @Test
  void aDenseBodyUnderTheTokenLimitIsJudged() throws Exception {
    AdmissionResponse response = handler.handle(Endpoint.VALIDATE, dense(100_000)).getResponse();
    assertThat(response.getAllowed()).isFalse();
    assertThat(response.getStatus().getMessage()).contains("spec.x");
  }

  @Test
  void anUnexpectedKindIsAllowedWithAWarning() throws Exception {
    var configMap = Manifests.yaml("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
    var request = Reviews.request("CREATE", configMap, null, false);
    for (Endpoint endpoint : Endpoint.values()) {
      AdmissionResponse response = handler.handle(endpoint, Reviews.json(request)).getResponse();
      assertThat(response.getUid()).isEqualTo(request.getRequest().getUid());
      assertThat(response.getAllowed()).isTrue();
      assertThat(response.getPatch()).isNull();
      assertThat(response.getWarnings()).singleElement().asString().contains("/ConfigMap is not a kind it checks");
    }
  }

  @Test
  void aValidObjectIsAllowed() throws Exception {
    var response = handler.handle(Endpoint.VALIDATE, Reviews.create(validKeycloak())).getResponse();
    assertThat(response.getAllowed()).isTrue();
    assertThat(response.getStatus()).isNull();
    assertThat(response.getPatch()).isNull();
  }

  @Test
  void aDenialLooksLikeAnApiServerValidationError() throws Exception {
    var object = keycloak("http:\n  tlsSecret: kc-tls\nhostname:\n  hostname: sso\nunsupported:\n  podTemplate:\n"
        + "    spec:\n      hostNetwork: true\n      securityContext:\n        runAsUser: 0\n");
    var request = Reviews.request("CREATE", object, null, false);
    AdmissionReview answer = handler.handle(Endpoint.VALIDATE, Reviews.json(request));
    var response = answer.getResponse();
    assertThat(answer.getApiVersion()).isEqualTo("admission.k8s.io/v1");
    assertThat(answer.getKind()).isEqualTo("AdmissionReview");
    assertThat(response.getUid()).isEqualTo(request.getRequest().getUid());
    assertThat(response.getAllowed()).isFalse();
    assertThat(response.getPatch()).isNull();
    assertThat(response.getStatus().getCode()).isEqualTo(422);
    assertThat(response.getStatus().getReason()).isEqualTo("Invalid");
    assertThat(response.getStatus().getMessage()).startsWith("Keycloak \"kc\" is invalid: [spec.unsupported.podTemplate."
        + "spec.hostNetwork: Forbidden: violates PodSecurity \"baseline\" check \"hostNamespaces\"");
    assertThat(response.getStatus().getDetails().getCauses()).extracting("field").containsExactly(
        "spec.unsupported.podTemplate.spec.hostNetwork", "spec.unsupported.podTemplate.spec.securityContext.runAsUser");
    assertThat(registry.get("webhook.denials").tag("rule", "pod-security").counter().count()).isEqualTo(1);
    assertThat(registry.get("webhook.requests").tags("endpoint", "validate", "result", "denied").counter().count())
        .isEqualTo(1);
  }

  @Test
  void theWrittenAnswerIsWhatJacksonMakesOfTheModel() throws Exception {
    var denied = keycloak("http:\n  tlsSecret: kc-tls\nhostname:\n  hostname: sso\nunsupported:\n  podTemplate:\n"
        + "    spec:\n      hostNetwork: true\n");
    var configMap = Manifests.yaml("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
    List<AdmissionReview> answers = List.of(
        handler.handle(Endpoint.VALIDATE, Reviews.create(denied)),
        handler.handle(Endpoint.MUTATE, Reviews.create(fixture("upstream/keycloak-basic.yaml"))),
        handler.handle(Endpoint.VALIDATE, Reviews.create(configMap)),
        handler.handle(Endpoint.VALIDATE, Reviews.create(validKeycloak())));
    for (AdmissionReview answer : answers) {
      assertThat(Json.MAPPER.readTree(handler.serialize(answer))).isEqualTo(Json.MAPPER.valueToTree(answer));
    }
  }

  @Test
  void mutateReturnsAJsonPatchThatAppliesTheDefaults() throws Exception {
    ObjectNode object = fixture("upstream/keycloak-basic.yaml");
    var response = handler.handle(Endpoint.MUTATE, Reviews.create(object)).getResponse();
    assertThat(response.getAllowed()).isTrue();
    assertThat(response.getPatchType()).isEqualTo("JSONPatch");
    JsonNode patch = Json.MAPPER.readTree(Base64.getDecoder().decode(response.getPatch()));
    JsonNode patched = JsonPatch.apply(patch, object);
    assertThat(patched.path("spec").path("networkPolicy").path("enabled").asBoolean()).isTrue();
    assertThat(response.getWarnings()).anyMatch(w -> w.startsWith("spec.ingress.enabled: defaulted to false"));

    var again = handler.handle(Endpoint.MUTATE, Reviews.create(patched)).getResponse();
    assertThat(again.getPatch()).isNull();
    assertThat(again.getPatchType()).isNull();
  }

  @Test
  void dryRunGetsTheSameAnswer() throws Exception {
    var object = keycloak("{}");
    for (Endpoint endpoint : Endpoint.values()) {
      var real = handler.handle(endpoint, Reviews.json(Reviews.request("CREATE", object, null, false))).getResponse();
      var dry = handler.handle(endpoint, Reviews.json(Reviews.request("CREATE", object, null, true))).getResponse();
      assertThat(dry.getAllowed()).isEqualTo(real.getAllowed());
      assertThat(dry.getPatch()).isEqualTo(real.getPatch());
      assertThat(dry.getStatus()).isEqualTo(real.getStatus());
    }
  }

  @Test
  void updateRulesSeeTheStoredObject() throws Exception {
    ObjectNode stored = validKeycloak();
    ObjectNode updated = stored.deepCopy();
    ((ObjectNode) updated.path("spec")).put("instances", 0);
    var response = handler.handle(Endpoint.VALIDATE, Reviews.json(Reviews.request("UPDATE", updated, stored, false)))
        .getResponse();
    assertThat(response.getAllowed()).isFalse();
    assertThat(response.getStatus().getMessage()).contains("spec.instances: Forbidden: scaling to 0 stops Keycloak");
  }

  @Test
  void deleteIsAllowedUnchecked() throws Exception {
    var review = Reviews.request("DELETE", validKeycloak(), validKeycloak(), false);
    review.getRequest().setObject(null);
    assertThat(handler.handle(Endpoint.VALIDATE, Reviews.json(review)).getResponse().getAllowed()).isTrue();
  }

  @Test
  void warningsAreCappedInNumberAndLength() {
    var many = java.util.stream.IntStream.range(0, 30).mapToObj(i -> "w" + i + "x".repeat(300)).toList();
    List<String> limited = AdmissionHandler.limit(many);
    assertThat(limited).hasSize(AdmissionHandler.MAX_WARNINGS + 1).last().isEqualTo("... and 10 more warnings");
    assertThat(limited).allMatch(w -> w.length() <= AdmissionHandler.MAX_WARNING_LENGTH);
  }
}
