package io.keycloakgitops.webhook.mutation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;
import io.keycloakgitops.schemas.keycloak.KeycloakFacts;
import io.keycloakgitops.schemas.keycloak.KeycloakSpec;
import io.keycloakgitops.schemas.keycloak.PodHardening;
import io.keycloakgitops.webhook.Json;
import io.keycloakgitops.webhook.rules.KeycloakSpecs;
import io.keycloakgitops.webhook.rules.Review;
import io.keycloakgitops.webhook.rules.TlsRule;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * The mutating webhook's defaults for a Keycloak CR. It only fills fields that are absent (never overwrites what
 * the user set), so mutating a mutated object changes nothing; that makes {@code reinvocationPolicy: IfNeeded}
 * safe. Values of the wrong type are left alone for the schema rule to deny. Every default is listed in
 * docs/webhook.md with its reason.
 */
public final class Defaulter {
  public static final String PROXY_HEADERS = "xforwarded";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Plain "add" operations: easier to read in an audit log than copy/move ops that point elsewhere. */
  private static final EnumSet<DiffFlags> PLAIN_ADDS = DiffFlags.dontNormalizeOpIntoMoveAndCopy();

  private Defaulter() {}

  /** The defaulted object, the RFC 6902 patch from the input to it (empty when nothing changed) and warnings. */
  public record Result(JsonNode object, ArrayNode patch, List<String> warnings) {
    public boolean changed() {
      return !patch.isEmpty();
    }
  }

  public static Result mutate(Review review) {
    JsonNode original = review.object();
    if (!review.isKeycloak() || original == null || !original.isObject()) {
      return new Result(original, NODES.arrayNode(), List.of());
    }
    ObjectNode object = original.deepCopy();
    var warnings = new ArrayList<String>();
    ObjectNode spec = child(object, "spec");
    if (spec != null) {
      defaultSpec(object, spec, warnings);
    }
    return new Result(object, (ArrayNode) JsonDiff.asJson(original, object, PLAIN_ADDS), warnings);
  }

  private static void defaultSpec(ObjectNode object, ObjectNode spec, List<String> warnings) {
    putIfAbsent(spec, "instances", NODES.numberNode(1));
    if (!spec.has("ingress")) {
      spec.putObject("ingress").put("enabled", false);
      warnings.add("spec.ingress.enabled: defaulted to false (no Ingress); add spec.ingress to expose Keycloak");
    } else {
      ObjectNode ingress = child(spec, "ingress");
      if (ingress != null) {
        // Upstream semantics: an ingress section means an ingress. Written out so everyone reads the same.
        putIfAbsent(ingress, "enabled", NODES.booleanNode(true));
      }
    }
    ObjectNode networkPolicy = child(spec, "networkPolicy");
    if (networkPolicy != null) {
      putIfAbsent(networkPolicy, "enabled", NODES.booleanNode(true));
    }
    if (edgeTerminated(object)) {
      ObjectNode proxy = child(spec, "proxy");
      if (proxy != null) {
        putIfAbsent(proxy, "headers", NODES.textNode(PROXY_HEADERS));
      }
    }
    putIfAbsent(spec, "automountServiceAccountToken", NODES.booleanNode(false));
    ObjectNode unsupported = child(spec, "unsupported");
    ObjectNode template = unsupported == null ? null : child(unsupported, "podTemplate");
    if (template != null) {
      hardenTemplate(template);
    }
  }

  private static boolean edgeTerminated(ObjectNode object) {
    KeycloakSpec spec = KeycloakSpecs.withoutPodTemplate(object);
    return spec != null && TlsRule.edgeTerminated(spec); // a spec of the wrong shape: the schema rule denies it
  }

  /**
   * Writes the hardened security context values (the ones the reconciler applies anyway) into the CR's pod
   * template where absent, for the Keycloak container too, so the stored object shows what will run.
   */
  private static void hardenTemplate(ObjectNode template) {
    ObjectNode podSpec = child(template, "spec");
    if (podSpec == null) {
      return;
    }
    JsonNode containers = podSpec.path("containers");
    if (!containers.isMissingNode() && !containers.isArray()) {
      return;
    }
    ArrayNode list = containers.isArray() ? (ArrayNode) containers : podSpec.putArray("containers");
    PodTemplateSpec typed;
    try {
      typed = Json.MAPPER.treeToValue(template, PodTemplateSpec.class);
    } catch (Exception e) {
      return; // the validating webhook denies a template that is not one
    }
    // The reconciler's choice of the Keycloak container, written out: a name for an unnamed first one, else a new one.
    int keycloak = KeycloakFacts.keycloakContainerIndex(typed.getSpec().getContainers());
    if (keycloak < 0) {
      list.addObject().put("name", KeycloakFacts.CONTAINER);
      typed.getSpec().getContainers().add(new ContainerBuilder().withName(KeycloakFacts.CONTAINER).build());
    } else if (list.get(keycloak) instanceof ObjectNode container) {
      putIfAbsent(container, "name", NODES.textNode(KeycloakFacts.CONTAINER));
    }
    fillAbsent(template, Json.MAPPER.valueToTree(PodHardening.hardenInPlace(typed)));
  }

  /** Copies into {@code target} what {@code source} has and {@code target} lacks; lists pair up by index. */
  static void fillAbsent(JsonNode target, JsonNode source) {
    if (target instanceof ObjectNode object && source.isObject()) {
      for (Map.Entry<String, JsonNode> field : source.properties()) {
        JsonNode existing = object.get(field.getKey());
        if (existing == null) {
          object.set(field.getKey(), field.getValue().deepCopy());
        } else {
          fillAbsent(existing, field.getValue());
        }
      }
    } else if (target instanceof ArrayNode array && source.isArray()) {
      for (int i = 0; i < Math.min(array.size(), source.size()); i++) {
        fillAbsent(array.get(i), source.get(i));
      }
    }
  }

  private static void putIfAbsent(ObjectNode object, String field, JsonNode value) {
    if (!object.has(field)) {
      object.set(field, value);
    }
  }

  /** The object at {@code field}, created when absent; null when something else is there. */
  private static ObjectNode child(ObjectNode parent, String field) {
    JsonNode existing = parent.get(field);
    if (existing == null) {
      return parent.putObject(field);
    }
    return existing instanceof ObjectNode object ? object : null;
  }
}
