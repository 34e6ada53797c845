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
  private static final String KEY_PROVIDER = "org.keycloak.keys.KeyProvider";
  private static final String REALM_CLIENT = "realm_client";
  private static final String OVERRIDES = "authenticationFlowBindingOverrides";

  private final List<String> notes = new ArrayList<>();

  private StoredForm() {}

  /** Rewrites {@code rep} in place; returns the warnings, one per kind of rewrite and object. */
  public static List<String> normalize(ObjectNode rep) {
    var form = new StoredForm();
    form.legacyClients(rep);
    form.legacyRealmKeys(rep);
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
    if (client.get("attributes") instanceof ObjectNode attributes) {
      // Read-only: Keycloak marks its own admin clients (realm-management, broker, <realm>-realm in master) itself.
      attributes.remove(REALM_CLIENT);
    }
    if (Json.bool(client, "publicClient") && client.has("secret")) {
      client.remove("secret");
      notes.add("Keycloak stores " + label + " without its \"secret\": a public client has none");
    }
    if (client.get("authorizationSettings") instanceof ObjectNode authz) {
      for (ObjectNode resource : Json.objects(authz.get("resources"))) {
        resourceUris(label, resource);
      }
      for (ObjectNode policy : Json.objects(authz.get("policies"))) {
        roleDefaults(label, policy);
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

  /**
   * Keycloak's import still reads the names of its first versions: {@code applications} and {@code oauthClients}
   * (whose {@code name} is the clientId; OAuth clients ask for consent and have no full scope), roles and composites
   * under {@code application}, and {@code applicationScopeMappings}. They are read the same way here.
   */
  private void legacyClients(ObjectNode rep) {
    legacyClientList(rep, "applications", false);
    legacyClientList(rep, "oauthClients", true);
    if (rep.get("roles") instanceof ObjectNode roles && roles.remove("application") instanceof ObjectNode byClient) {
      mergeInto(roles.with("client"), byClient);
      notes.add("Keycloak stores roles.application as roles.client");
    }
    if (rep.get("roles") instanceof ObjectNode roles) {
      var all = new ArrayList<>(Json.objects(roles.get("realm")));
      Json.fields(roles.get("client")).forEach(e -> all.addAll(Json.objects(e.getValue())));
      for (ObjectNode role : all) {
        if (role.get("composites") instanceof ObjectNode composites
            && composites.remove("application") instanceof ObjectNode byClient) {
          mergeInto(composites.with("client"), byClient);
          notes.add("Keycloak stores composites.application as composites.client");
        }
      }
    }
    if (rep.remove("applicationScopeMappings") instanceof ObjectNode mappings) {
      mergeInto(rep.with("clientScopeMappings"), mappings);
      notes.add("Keycloak stores applicationScopeMappings as clientScopeMappings");
    }
  }

  private void legacyClientList(ObjectNode rep, String field, boolean oauth) {
    if (!(rep.remove(field) instanceof ArrayNode legacy)) {
      return;
    }
    ArrayNode clients = rep.withArray("clients");
    for (ObjectNode app : Json.objects(legacy)) {
      var client = app.deepCopy();
      if (!client.has("clientId") && client.has("name")) {
        client.set("clientId", client.remove("name"));
      }
      if (oauth) {
        client.put("consentRequired", true);
        if (!client.has("fullScopeAllowed")) {
          client.put("fullScopeAllowed", false);
        }
      }
      clients.add(client);
    }
    notes.add("Keycloak stores " + field + " as clients");
  }

  private static void mergeInto(ObjectNode target, ObjectNode byClient) {
    byClient.properties().forEach(e -> {
      if (e.getValue() instanceof ArrayNode items) {
        target.withArray(e.getKey()).addAll(items);
      }
    });
  }

  /**
   * A realm-level {@code privateKey} (with {@code certificate}; {@code publicKey} follows from it) is stored as two
   * key providers, {@code rsa} for signatures and {@code rsa-enc} for encryption, as Keycloak's import does.
   */
  private void legacyRealmKeys(ObjectNode rep) {
    JsonNode privateKey = rep.remove("privateKey");
    JsonNode certificate = rep.remove("certificate");
    rep.remove(List.of("publicKey", "codeSecret"));
    if (privateKey == null || privateKey.asText().isEmpty()) {
      return;
    }
    ArrayNode keyProviders = rep.with("components").withArray(KEY_PROVIDER);
    for (String provider : List.of("rsa", "rsa-enc")) {
      boolean declared = Json.objects(keyProviders).stream().anyMatch(c -> provider.equals(Json.text(c, "name")));
      if (declared) {
        continue;
      }
      var component = keyProviders.addObject();
      component.put("name", provider);
      component.put("providerId", provider);
      var config = component.putObject("config");
      config.putArray("privateKey").add(privateKey.asText());
      if (certificate != null && !certificate.asText().isEmpty()) {
        config.putArray("certificate").add(certificate.asText());
      }
      config.putArray("priority").add("100");
    }
    notes.add("Keycloak stores the realm's privateKey and certificate as key providers \"rsa\" and \"rsa-enc\"");
  }

  /** A role policy's role without {@code required} is stored with {@code "required": false}. */
  private void roleDefaults(String owner, ObjectNode policy) {
    if (!"role".equals(Json.text(policy, "type")) || !(policy.get("config") instanceof ObjectNode config)
        || !config.path("roles").isTextual()) {
      return;
    }
    JsonNode roles;
    try {
      roles = Json.read(config.get("roles").asText());
    } catch (RuntimeException e) {
      return;
    }
    boolean added = false;
    for (ObjectNode role : Json.objects(roles)) {
      if (!role.has("required")) {
        role.put("required", false);
        added = true;
      }
    }
    if (added) {
      config.put("roles", Json.write(roles));
      notes.add("Keycloak stores the roles of role policy \"" + Json.text(policy, "name") + "\" of " + owner
          + " with \"required\": false where not given");
    }
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
