package io.keycloakgitops.webhook.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.keycloakgitops.schemas.keycloak.KeycloakSpec;
import io.keycloakgitops.webhook.Json;

/**
 * Typed views of a Keycloak CR's JSON. The pod template is read apart from the rest of the spec: it is by far the
 * largest part, and only the pod-security rule and the pod defaults need it.
 */
public final class KeycloakSpecs {
  private KeycloakSpecs() {}

  /** The spec without {@code unsupported} (so without the pod template); null when it has the wrong shape. */
  public static KeycloakSpec withoutPodTemplate(JsonNode object) {
    JsonNode spec = object.path("spec");
    if (spec.isMissingNode() || spec.isNull()) {
      return new KeycloakSpec();
    }
    if (!(spec instanceof ObjectNode fields)) {
      return null;
    }
    ObjectNode shallow = Json.MAPPER.createObjectNode();
    fields.properties().forEach(field -> {
      if (!field.getKey().equals("unsupported")) {
        shallow.set(field.getKey(), field.getValue());
      }
    });
    return read(shallow, KeycloakSpec.class);
  }

  /**
   * {@code spec.unsupported.podTemplate}; null when absent. Throws {@link IllegalArgumentException}, with the
   * decoder's reason, when it does not decode as a PodTemplateSpec.
   */
  public static PodTemplateSpec podTemplate(JsonNode object) {
    JsonNode template = object.path("spec").path("unsupported").path("podTemplate");
    if (template.isMissingNode() || template.isNull()) {
      return null;
    }
    try {
      PodTemplateSpec typed = Json.MAPPER.treeToValue(template, PodTemplateSpec.class);
      if (typed == null) {
        throw new IllegalArgumentException("not an object");
      }
      return typed;
    } catch (JsonProcessingException | IllegalArgumentException e) {
      String reason = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
      throw new IllegalArgumentException(reason == null ? e.getClass().getSimpleName() : reason.lines().findFirst()
          .orElse(""), e);
    }
  }

  static <T> T read(JsonNode node, Class<T> type) {
    try {
      return Json.MAPPER.treeToValue(node, type);
    } catch (Exception e) {
      return null;
    }
  }
}
