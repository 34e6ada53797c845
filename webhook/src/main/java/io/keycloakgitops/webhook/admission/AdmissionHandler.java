package io.keycloakgitops.webhook.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.keycloakgitops.webhook.Json;
import io.keycloakgitops.webhook.mutation.Defaulter;
import io.keycloakgitops.webhook.rules.FieldError;
import io.keycloakgitops.webhook.rules.Findings;
import io.keycloakgitops.webhook.rules.NamespacePolicy;
import io.keycloakgitops.webhook.rules.Review;
import io.keycloakgitops.webhook.rules.Validator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers AdmissionReviews (admission.k8s.io/v1, fabric8's model): the envelope is checked strictly and anything
 * malformed is a {@link BadRequestException}; objects of our kinds go to the validator or the defaulter; other
 * kinds are allowed with a warning. Independent of HTTP, so it is unit-tested without a server.
 */
public final class AdmissionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(AdmissionHandler.class);
  public static final String API_VERSION = "admission.k8s.io/v1";
  public static final String KIND = "AdmissionReview";
  /** The API server rejects larger request bodies itself, so a bigger review cannot be genuine. */
  public static final int MAX_BODY_BYTES = 3 * 1024 * 1024;
  /** The API server may truncate longer warnings. */
  static final int MAX_WARNING_LENGTH = 256;
  static final int MAX_WARNINGS = 20;

  public enum Endpoint { VALIDATE, MUTATE }

  private final Validator validator;
  private final Supplier<NamespacePolicy> policy;
  private final WebhookMetrics metrics;

  public AdmissionHandler(Validator validator, Supplier<NamespacePolicy> policy, WebhookMetrics metrics) {
    this.validator = validator;
    this.policy = policy;
    this.metrics = metrics;
  }

  /** The response AdmissionReview for a request body. */
  public AdmissionReview handle(Endpoint endpoint, byte[] body) throws BadRequestException {
    String endpointName = endpoint.name().toLowerCase();
    Parsed parsed;
    try {
      parsed = parse(body);
    } catch (BadRequestException e) {
      metrics.request(endpointName, "", "", "bad_request");
      throw e;
    }
    AdmissionRequest request = parsed.review.getRequest();
    GroupVersionKind kind = request.getKind();
    var review = new Review(kind.getGroup(), kind.getKind(), request.getOperation(), request.getNamespace(),
        parsed.object, parsed.oldObject);
    AdmissionResponse response;
    String result;
    boolean checked = request.getOperation().equals("CREATE") || request.getOperation().equals("UPDATE");
    if (!checked) {
      response = allowed(request, List.of());
      result = "allowed";
    } else if (!review.isKeycloak() && !review.isRealmImport()) {
      response = allowed(request, List.of("keycloak-gitops webhook: " + kind.getGroup() + "/" + kind.getKind()
          + " is not a kind it checks; allowed unchecked"));
      result = "allowed";
    } else if (endpoint == Endpoint.VALIDATE) {
      Findings findings = validator.validate(review, policy.get().rulesFor(review.namespace()));
      response = findings.allowed() ? allowed(request, findings.warnings()) : denied(request, review, findings);
      result = findings.allowed() ? "allowed" : "denied";
      if (!findings.allowed()) {
        new LinkedHashSet<>(findings.errors().stream().map(FieldError::rule).toList()).forEach(metrics::denial);
      }
    } else {
      Defaulter.Result defaulted = Defaulter.mutate(review);
      response = allowed(request, defaulted.warnings());
      if (defaulted.changed()) {
        byte[] patch = defaulted.patch().toString().getBytes(StandardCharsets.UTF_8);
        response.setPatch(Base64.getEncoder().encodeToString(patch));
        response.setPatchType("JSONPatch");
      }
      result = defaulted.changed() ? "patched" : "allowed";
    }
    metrics.request(endpointName, kind.getKind(), request.getOperation(), result);
    LOG.debug("{} {} {} {} in {}: {}{}", endpointName, request.getOperation(), review.displayName(), request.getUid(),
        request.getNamespace(), result, Boolean.TRUE.equals(request.getDryRun()) ? " (dry run)" : "");
    var answer = new AdmissionReview();
    answer.setResponse(response);
    return answer;
  }

  public byte[] serialize(AdmissionReview review) {
    try {
      return Json.MAPPER.writeValueAsBytes(review);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize the AdmissionReview response", e);
    }
  }

  private record Parsed(AdmissionReview review, JsonNode object, JsonNode oldObject) {}

  private static Parsed parse(byte[] body) throws BadRequestException {
    if (body.length > MAX_BODY_BYTES) {
      throw new BadRequestException("request body larger than " + MAX_BODY_BYTES + " bytes");
    }
    JsonNode tree;
    try {
      tree = Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new BadRequestException("malformed JSON: " + jacksonMessage(e) + location(e));
    } catch (IOException e) {
      throw new BadRequestException("unreadable body: " + e.getMessage());
    }
    if (!(tree instanceof ObjectNode envelope)) {
      throw new BadRequestException("the body must be a JSON object: an AdmissionReview");
    }
    if (!API_VERSION.equals(envelope.path("apiVersion").asText())) {
      throw new BadRequestException("apiVersion must be " + API_VERSION + ", not \"" + envelope.path("apiVersion").asText() + "\"");
    }
    if (!KIND.equals(envelope.path("kind").asText())) {
      throw new BadRequestException("kind must be " + KIND + ", not \"" + envelope.path("kind").asText() + "\"");
    }
    if (!(envelope.get("request") instanceof ObjectNode request)) {
      throw new BadRequestException("request is missing");
    }
    if (!request.path("uid").isTextual() || request.path("uid").asText().isBlank()) {
      throw new BadRequestException("request.uid is missing");
    }
    if (!request.path("kind").path("kind").isTextual()) {
      throw new BadRequestException("request.kind is missing");
    }
    String operation = request.path("operation").asText();
    // Objects stay JSON: the rules read them as such, and the patch must be computed against exactly what came in.
    JsonNode object = request.remove("object");
    JsonNode oldObject = request.remove("oldObject");
    request.remove("options");
    if ((operation.equals("CREATE") || operation.equals("UPDATE")) && (object == null || !object.isObject())) {
      throw new BadRequestException("request.object must be an object for " + operation);
    }
    if (operation.equals("UPDATE") && (oldObject == null || !oldObject.isObject())) {
      throw new BadRequestException("request.oldObject must be an object for UPDATE");
    }
    try {
      return new Parsed(Json.MAPPER.treeToValue(envelope, AdmissionReview.class), object,
          oldObject == null || oldObject.isNull() ? null : oldObject);
    } catch (JsonProcessingException e) {
      throw new BadRequestException("not an AdmissionReview: " + jacksonMessage(e));
    }
  }

  /** Jackson's message without its "(start marker at [Source: ...])" and similar asides. */
  private static String jacksonMessage(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    int aside = message.indexOf(" (start marker at");
    message = aside < 0 ? message : message.substring(0, aside);
    int source = message.indexOf(" at [Source:");
    return source < 0 ? message : message.substring(0, source);
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
        + e.getLocation().getColumnNr();
  }

  private static AdmissionResponse allowed(AdmissionRequest request, List<String> warnings) {
    return new AdmissionResponseBuilder().withUid(request.getUid()).withAllowed(true)
        .withWarnings(warnings.isEmpty() ? null : limit(warnings)).build();
  }

  /** A denial shaped like the API server's own validation errors: 422 Invalid, one cause per field. */
  private static AdmissionResponse denied(AdmissionRequest request, Review review, Findings findings) {
    List<String> messages = findings.errors().stream().map(FieldError::toString).toList();
    String name = review.object().path("metadata").path("name").asText("");
    String summary = review.kind() + " \"" + name + "\" is invalid: "
        + (messages.size() == 1 ? messages.getFirst() : "[" + String.join(", ", messages) + "]");
    List<StatusCause> causes = findings.errors().stream()
        .map(error -> new StatusCause(error.field(), error.message(), error.type().causeType))
        .toList();
    Status status = new StatusBuilder().withStatus("Failure").withCode(422).withReason("Invalid").withMessage(summary)
        .withNewDetails().withGroup(review.group()).withKind(review.kind()).withName(name).withCauses(causes)
        .endDetails().build();
    return new AdmissionResponseBuilder().withUid(request.getUid()).withAllowed(false).withStatus(status)
        .withWarnings(findings.warnings().isEmpty() ? null : limit(findings.warnings())).build();
  }

  static List<String> limit(List<String> warnings) {
    var limited = new ArrayList<String>();
    for (String warning : warnings.subList(0, Math.min(warnings.size(), MAX_WARNINGS))) {
      limited.add(warning.length() <= MAX_WARNING_LENGTH ? warning : warning.substring(0, MAX_WARNING_LENGTH - 3) + "...");
    }
    if (warnings.size() > MAX_WARNINGS) {
      limited.add("... and " + (warnings.size() - MAX_WARNINGS) + " more warnings");
    }
    return limited;
  }
}
