package io.keycloakgitops.webhook.admission;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers AdmissionReviews (admission.k8s.io/v1): the envelope is read by a streaming parser and checked strictly,
 * and anything malformed is a {@link BadRequestException}; objects of our kinds go to the validator or the
 * defaulter; other kinds are allowed with a warning without building their trees. The answer is fabric8's model.
 * Independent of HTTP, so it is unit-tested without a server.
 */
public final class AdmissionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(AdmissionHandler.class);
  public static final String API_VERSION = "admission.k8s.io/v1";
  public static final String KIND = "AdmissionReview";
  /** The API server rejects larger request bodies itself, so a bigger review cannot be genuine. */
  public static final int MAX_BODY_BYTES = 3 * 1024 * 1024;
  /**
   * JSON tokens per review. etcd stores objects of at most 1.5 MiB, so an UPDATE carries at most 3 MiB of two
   * objects; real CRs and realms stay far below one token per 6 bytes. Denser bodies (a million empty objects)
   * would make a tree 30 times their size: the limit keeps a tree within {@link #MAX_TREE_BYTES}.
   */
  public static final long MAX_TOKENS = 500_000;
  /** What a tree of {@link #MAX_TOKENS} tokens costs at most on the heap (about 65 bytes a token, measured). */
  public static final long MAX_TREE_BYTES = MAX_TOKENS * 65;
  /** Parsers with the token limit; trees are built by {@link Json#MAPPER}. */
  private static final JsonFactory LIMITED = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxTokenCount(MAX_TOKENS).build()).build();
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
    String endpointName = endpoint.name().toLowerCase(Locale.ROOT);
    Envelope request;
    try {
      request = Envelope.parse(body);
    } catch (BadRequestException e) {
      metrics.request(endpointName, "", "", e.status() == 413 ? "too_large" : "bad_request");
      throw e;
    }
    var review = new Review(request.group, request.kind, request.operation, request.namespace, request.object,
        request.oldObject);
    AdmissionResponse response;
    String result;
    if (!request.checked()) {
      response = allowed(request, List.of());
      result = "allowed";
    } else if (!review.isKeycloak() && !review.isRealmImport()) {
      response = allowed(request, List.of("keycloak-gitops webhook: " + request.group + "/" + request.kind
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
    metrics.request(endpointName, request.kind, request.operation, result);
    if (LOG.isDebugEnabled()) {
      LOG.debug("{} {} {} {} in {}: {}{}", endpointName, request.operation, review.displayName(), request.uid,
          request.namespace, result, request.dryRun ? " (dry run)" : "");
    }
    var answer = new AdmissionReview();
    answer.setResponse(response);
    return answer;
  }

  /**
   * The answer as JSON, written field by field: the same document Jackson makes of fabric8's model, at a fraction
   * of the cost (the model's serializers were a measurable share of a request in the /validate profile).
   */
  public byte[] serialize(AdmissionReview review) {
    AdmissionResponse response = review.getResponse();
    var out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = Json.MAPPER.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("apiVersion", API_VERSION);
      json.writeStringField("kind", KIND);
      json.writeObjectFieldStart("response");
      json.writeStringField("uid", response.getUid());
      json.writeBooleanField("allowed", Boolean.TRUE.equals(response.getAllowed()));
      if (response.getPatchType() != null) {
        json.writeStringField("patchType", response.getPatchType());
        json.writeStringField("patch", response.getPatch());
      }
      if (response.getStatus() != null) {
        json.writeFieldName("status");
        Json.MAPPER.writeValue(json, response.getStatus());
      }
      if (response.getWarnings() != null && !response.getWarnings().isEmpty()) {
        json.writeArrayFieldStart("warnings");
        for (String warning : response.getWarnings()) {
          json.writeString(warning);
        }
        json.writeEndArray();
      }
      json.writeEndObject();
      json.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize the AdmissionReview response", e);
    }
    return out.toByteArray();
  }

  /**
   * The request as far as the webhook needs it, read in one streaming pass over the body. The objects become JSON
   * trees (the rules read them as such, and the patch must be computed against exactly what came in) only for a
   * CREATE or UPDATE of a kind that is ours; everything else (userInfo, options, the objects of other kinds or
   * operations) is skipped without allocating. The token limit bounds the tree a hostile body can make.
   */
  static final class Envelope {
    String apiVersion;
    String envelopeKind;
    boolean hasRequest;
    String uid;
    String group = "";
    String kind;
    String operation = "";
    String namespace;
    boolean dryRun;
    JsonNode object;
    JsonNode oldObject;
    /** Whether the objects were JSON objects, also when skipped. */
    boolean objectPresent;
    boolean oldObjectPresent;

    boolean checked() {
      return operation.equals("CREATE") || operation.equals("UPDATE");
    }

    /** Whether the objects are worth a tree; before kind and operation are seen, assume so. */
    private boolean wantsObjects() {
      boolean ours = kind == null || Review.GROUP.equals(group)
          && (Review.KEYCLOAK.equals(kind) || Review.REALM_IMPORT.equals(kind));
      return ours && (operation.isEmpty() || checked());
    }

    static Envelope parse(byte[] body) throws BadRequestException {
      if (body.length > MAX_BODY_BYTES) {
        throw BadRequestException.tooLarge("request body larger than " + MAX_BODY_BYTES + " bytes");
      }
      var envelope = new Envelope();
      try (JsonParser parser = LIMITED.createParser(body)) {
        parser.setCodec(Json.MAPPER);
        if (parser.nextToken() != JsonToken.START_OBJECT) {
          throw new BadRequestException("the body must be a JSON object: an AdmissionReview");
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          JsonToken value = parser.nextToken();
          switch (field) {
            case "apiVersion" -> envelope.apiVersion = text(parser, value);
            case "kind" -> envelope.envelopeKind = text(parser, value);
            case "request" -> {
              if (value == JsonToken.START_OBJECT) {
                envelope.hasRequest = true;
                envelope.readRequest(parser);
              } else {
                parser.skipChildren();
              }
            }
            default -> parser.skipChildren();
          }
        }
      } catch (StreamConstraintsException e) {
        throw BadRequestException.tooLarge("request too complex: " + jacksonMessage(e));
      } catch (JsonProcessingException e) {
        throw new BadRequestException("malformed JSON: " + jacksonMessage(e) + location(e));
      } catch (IOException e) {
        throw new BadRequestException("unreadable body: " + e.getMessage());
      }
      return envelope.checkedEnvelope();
    }

    private void readRequest(JsonParser parser) throws IOException, BadRequestException {
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "uid" -> uid = text(parser, value);
          case "kind" -> readKind(parser, value);
          case "operation" -> operation = value == JsonToken.VALUE_STRING ? parser.getText() : "";
          case "namespace" -> namespace = text(parser, value);
          case "dryRun" -> {
            if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE && value != JsonToken.VALUE_NULL) {
              throw new BadRequestException("not an AdmissionReview: request.dryRun must be a boolean");
            }
            dryRun = value == JsonToken.VALUE_TRUE;
          }
          case "object" -> {
            objectPresent = value == JsonToken.START_OBJECT;
            object = tree(parser);
          }
          case "oldObject" -> {
            oldObjectPresent = value == JsonToken.START_OBJECT;
            oldObject = tree(parser);
          }
          default -> parser.skipChildren();
        }
      }
    }

    private JsonNode tree(JsonParser parser) throws IOException {
      if (!wantsObjects()) {
        parser.skipChildren();
        return null;
      }
      if (parser.currentToken() != JsonToken.START_OBJECT) {
        parser.skipChildren();
        return null;
      }
      return parser.readValueAsTree();
    }

    private void readKind(JsonParser parser, JsonToken value) throws IOException {
      if (value != JsonToken.START_OBJECT) {
        parser.skipChildren();
        return;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken token = parser.nextToken();
        switch (field) {
          case "group" -> group = token == JsonToken.VALUE_STRING ? parser.getText() : "";
          case "kind" -> kind = text(parser, token);
          default -> parser.skipChildren();
        }
      }
    }

    private Envelope checkedEnvelope() throws BadRequestException {
      if (!API_VERSION.equals(apiVersion)) {
        throw new BadRequestException("apiVersion must be " + API_VERSION + ", not \"" + orEmpty(apiVersion) + "\"");
      }
      if (!KIND.equals(envelopeKind)) {
        throw new BadRequestException("kind must be " + KIND + ", not \"" + orEmpty(envelopeKind) + "\"");
      }
      if (!hasRequest) {
        throw new BadRequestException("request is missing");
      }
      if (uid == null || uid.isBlank()) {
        throw new BadRequestException("request.uid is missing");
      }
      if (kind == null) {
        throw new BadRequestException("request.kind is missing");
      }
      if (checked() && !objectPresent) {
        throw new BadRequestException("request.object must be an object for " + operation);
      }
      if (operation.equals("UPDATE") && !oldObjectPresent) {
        throw new BadRequestException("request.oldObject must be an object for UPDATE");
      }
      return this;
    }

    private static String text(JsonParser parser, JsonToken value) throws IOException {
      if (value == JsonToken.VALUE_STRING) {
        return parser.getText();
      }
      parser.skipChildren();
      return null;
    }

    private static String orEmpty(String text) {
      return text == null ? "" : text;
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

  private static AdmissionResponse allowed(Envelope request, List<String> warnings) {
    return new AdmissionResponseBuilder().withUid(request.uid).withAllowed(true)
        .withWarnings(warnings.isEmpty() ? null : limit(warnings)).build();
  }

  /** A denial shaped like the API server's own validation errors: 422 Invalid, one cause per field. */
  private static AdmissionResponse denied(Envelope request, Review review, Findings findings) {
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
    return new AdmissionResponseBuilder().withUid(request.uid).withAllowed(false).withStatus(status)
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
