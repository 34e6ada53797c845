package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites a declared realm into the form Keycloak stores, where the two differ, so that a value Keycloak
 * normalises, drops or moves is not planned as a change forever. Each rewrite is reported once as a plan warning
 * ("Keycloak stores X as Y"), never as a change. Runs on the file as parsed, before server ids are stripped (an
 * export names override flows by id).
 */
public final class StoredForm {
  private static final Set<String> SAML_MAPPER_DROPS = Set.of("consentRequired", "consentText");
  private static final String OVERRIDES = "authenticationFlowBindingOverrides";

  private final List<String> notes = new ArrayList<>();

  private StoredForm() {}

  /** Rewrites {@code rep} in place; returns the warnings, one per kind of rewrite and object. */
  public static List<String> normalize(ObjectNode rep) {
    var form = new StoredForm();
    form.overrideIdsToAliases(rep);
    for (ObjectNode client : Json.objects(rep.get("clients"))) {
      form.client(client);
    }
    for (ObjectNode scope : Json.objects(rep.get("clientScopes"))) {
      form.samlMappers("client scope \"" + Json.text(scope, "name") + "\"", scope);
    }
    return List.copyOf(new LinkedHashSet<>(form.notes));
  }

  private void client(ObjectNode client) {
    String label = "client \"" + Json.text(client, "clientId") + "\"";
    samlMappers(label, client);
    if (Json.bool(client, "publicClient") && client.has("secret")) {
      client.remove("secret");
      notes.add("Keycloak stores " + label + " without its \"secret\": a public client has none");
    }
    if (client.get("authorizationSettings") instanceof ObjectNode authz) {
      for (ObjectNode resource : Json.objects(authz.get("resources"))) {
        resourceUris(label, resource);
      }
    }
  }

  /** SAML protocol mappers have no consent screen: Keycloak drops consentRequired and consentText. */
  private void samlMappers(String owner, ObjectNode parent) {
    boolean samlOwner = "saml".equals(Json.text(parent, "protocol"));
    for (ObjectNode mapper : Json.objects(parent.get("protocolMappers"))) {
      String protocol = Json.text(mapper, "protocol");
      boolean saml = protocol == null ? samlOwner : "saml".equals(protocol);
      if (saml && SAML_MAPPER_DROPS.stream().anyMatch(mapper::has)) {
        boolean meaningful = Json.bool(mapper, "consentRequired") || !Json.isEmpty(mapper.get("consentText"));
        mapper.remove(SAML_MAPPER_DROPS);
        if (meaningful) {
          notes.add("Keycloak stores SAML protocol mapper \"" + Json.text(mapper, "name") + "\" of " + owner
              + " without consentRequired/consentText");
        }
      }
    }
  }

  /** A resource's legacy single {@code uri} is stored as the list {@code uris}. */
  private void resourceUris(String owner, ObjectNode resource) {
    JsonNode uri = resource.remove("uri");
    if (uri == null || uri.isNull() || uri.asText().isEmpty()) {
      return;
    }
    ArrayNode uris = resource.withArray("uris");
    if (!Json.strings(uris).contains(uri.asText())) {
      uris.add(uri.asText());
    }
    notes.add("Keycloak stores \"uri\" of authorization resource \"" + Json.text(resource, "name") + "\" of " + owner
        + " as \"uris\"");
  }

  /** Exports name override flows by id; files and realm-sync name them by alias. */
  private void overrideIdsToAliases(ObjectNode rep) {
    Map<String, String> aliasById = new HashMap<>();
    for (ObjectNode flow : Json.objects(rep.get("authenticationFlows"))) {
      if (Json.text(flow, "id") != null && Json.text(flow, "alias") != null) {
        aliasById.put(Json.text(flow, "id"), Json.text(flow, "alias"));
      }
    }
    if (aliasById.isEmpty()) {
      return;
    }
    for (ObjectNode client : Json.objects(rep.get("clients"))) {
      if (client.get(OVERRIDES) instanceof ObjectNode overrides) {
        overrides.properties().forEach(e -> {
          String alias = aliasById.get(e.getValue().asText());
          if (alias != null) {
            e.setValue(Json.NODES.textNode(alias));
          }
        });
      }
    }
  }
}
