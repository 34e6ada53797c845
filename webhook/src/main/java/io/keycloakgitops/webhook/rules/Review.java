package io.keycloakgitops.webhook.rules;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the rules judge: an object of a kind, under an operation, in a namespace; {@code oldObject} is the stored
 * object on UPDATE (null otherwise). Built from an AdmissionReview or, offline, from a manifest.
 */
public record Review(String group, String kind, String operation, String namespace, JsonNode object,
    JsonNode oldObject) {
  public static final String GROUP = "k8s.keycloak.org";
  public static final String KEYCLOAK = "Keycloak";
  public static final String REALM_IMPORT = "KeycloakRealmImport";

  public boolean isKeycloak() {
    return GROUP.equals(group) && KEYCLOAK.equals(kind);
  }

  public boolean isRealmImport() {
    return GROUP.equals(group) && REALM_IMPORT.equals(kind);
  }

  public boolean isUpdate() {
    return "UPDATE".equals(operation) && oldObject != null;
  }

  /** "Keycloak/name" for messages; generateName objects have no name yet. */
  public String displayName() {
    String name = object == null ? "" : object.path("metadata").path("name").asText("");
    if (name.isEmpty() && object != null) {
      name = object.path("metadata").path("generateName").asText("") + "*";
    }
    return kind + "/" + name;
  }
}
