package io.keycloakgitops.realmsync.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.keycloakgitops.realmsync.engine.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * What Keycloak gives a new realm and new objects, captured from the supported server version (see the
 * CaptureDefaults tool in the tests): {@code export} leaves these out, so an exported file holds only what was
 * changed. The realm name inside is the token {@value #REALM_TOKEN}.
 */
public final class Defaults {
  public static final String PROBE = "keycloak-gitops-probe";
  public static final String REALM_TOKEN = "${realm}";
  private static final String RESOURCE = "/io/keycloakgitops/realmsync/keycloak-defaults.json";

  private final ObjectNode root;

  private Defaults(ObjectNode root) {
    this.root = root;
  }

  public static Defaults load() {
    try (InputStream in = Defaults.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      return new Defaults((ObjectNode) Json.MAPPER.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String keycloakVersion() {
    return Json.text(root, "keycloakVersion");
  }

  /** A new realm named {@code realm}, in canonical export shape. */
  public ObjectNode realm(String realm) {
    return (ObjectNode) substitute(root.get("realm").deepCopy(), REALM_TOKEN, realm);
  }

  /** A new object of {@code kind} (client, clientScope, role, group, user, identityProvider, flow). */
  public ObjectNode fresh(String kind) {
    return (ObjectNode) root.path("fresh").path(kind).deepCopy();
  }

  /** Replaces {@code from} by {@code to} in every string and object key. */
  public static JsonNode substitute(JsonNode node, String from, String to) {
    if (node instanceof ObjectNode object) {
      var out = Json.object();
      object.properties().forEach(e -> out.set(e.getKey().replace(from, to), substitute(e.getValue(), from, to)));
      return out;
    }
    if (node instanceof ArrayNode array) {
      var out = Json.array();
      array.forEach(item -> out.add(substitute(item, from, to)));
      return out;
    }
    return node.isTextual() ? TextNode.valueOf(node.textValue().replace(from, to)) : node;
  }
}
