package io.keycloakgitops.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keycloakgitops.testsupport.Fixtures;
import io.keycloakgitops.webhook.rules.Review;

/** Test objects written as YAML. */
public final class Manifests {
  private Manifests() {}

  public static ObjectNode yaml(String yaml) {
    try {
      return (ObjectNode) Json.YAML.readTree(yaml);
    } catch (Exception e) {
      throw new IllegalArgumentException(yaml, e);
    }
  }

  public static ObjectNode fixture(String name) {
    return yaml(Fixtures.read(name));
  }

  /** A v2beta1 Keycloak named "kc" with the given spec. */
  public static ObjectNode keycloak(String specYaml) {
    return yaml("apiVersion: k8s.keycloak.org/v2beta1\nkind: Keycloak\nmetadata:\n  name: kc\n  namespace: team\nspec:\n"
        + specYaml.indent(2));
  }

  /** A Keycloak that passes every rule: TLS at the pod, a hostname. */
  public static ObjectNode validKeycloak() {
    return keycloak("http:\n  tlsSecret: kc-tls\nhostname:\n  hostname: sso.example.com\n");
  }

  public static Review create(JsonNode object) {
    String kind = object.path("kind").asText();
    return new Review(Review.GROUP, kind, "CREATE", "team", object, null);
  }

  public static Review update(JsonNode object, JsonNode stored) {
    return new Review(Review.GROUP, object.path("kind").asText(), "UPDATE", "team", object, stored);
  }
}
