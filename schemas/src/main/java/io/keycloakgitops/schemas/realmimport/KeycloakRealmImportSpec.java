package io.keycloakgitops.schemas.realmimport;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** Upstream-compatible KeycloakRealmImport spec; realm-sync applies it through the admin API, no Job. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeycloakRealmImportSpec {
  @Required
  @JsonPropertyDescription("Name of the Keycloak CR (same namespace) whose server receives the realm.")
  public String keycloakCRName;

  @Required
  @PreserveUnknownFields
  @JsonPropertyDescription("The realm representation, as exported by Keycloak.")
  public ObjectNode realm;

  @JsonPropertyDescription("Values for ${NAME} placeholders in the realm, taken from Secrets.")
  public Map<String, Placeholder> placeholders;

  public ResourceRequirements resources;

  public Map<String, String> labels;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Placeholder {
    public SecretKeySelector secret;
  }
}
