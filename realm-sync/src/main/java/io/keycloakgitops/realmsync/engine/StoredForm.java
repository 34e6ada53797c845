package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
  /** Dropped by Keycloak 12+: the first-broker-login flow's review-profile step took its place. */
  private static final List<String> IDP_DROPS = List.of("updateProfileFirstLoginMode", "updateProfileFirstLogin");
  private static final String LEGACY_HIDE_ON_LOGIN = "hideOnLoginPage";
  private static final String OIDC = "openid-connect";
  /** Built-in client scopes of another protocol than openid-connect. */
  private static final Set<String> BUILT_IN_SAML_SCOPES = Set.of("role_list", "saml_organization");
  /** Composites Keycloak gives every realm's default role before adding the legacy {@code defaultRoles}. */
  private static final List<String> DEFAULT_ROLE_COMPOSITES = List.of("offline_access", "uma_authorization");

  private final List<String> notes = new ArrayList<>();

  private StoredForm() {}

  /** Rewrites {@code rep} in place; returns the warnings, one per kind of rewrite and object. */
  public static List<String> normalize(ObjectNode rep) {
    var form = new StoredForm();
    form.legacyClients(rep);
    form.legacyRealmKeys(rep);
    form.overrideIdsToAliases(rep);
    form.legacyDefaultRoles(rep);
    Map<String, String> scopeProtocols = scopeProtocols(rep);
    for (ObjectNode client : Json.objects(rep.get("clients"))) {
      form.client(client);
      form.clientScopesOfItsProtocol(client, scopeProtocols);
    }
    for (ObjectNode idp : Json.objects(rep.get("identityProviders"))) {
      form.identityProvider(idp);
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

  /**
   * Keycloak 12+ stores no {@code updateProfileFirstLoginMode}, and moves the legacy {@code config.hideOnLoginPage}
   * to the provider's {@code hideOnLogin}.
   */
  private void identityProvider(ObjectNode idp) {
    String label = "identity provider \"" + Json.text(idp, "alias") + "\"";
    List<String> dropped = IDP_DROPS.stream().filter(idp::has).toList();
    if (!dropped.isEmpty()) {
      idp.remove(dropped);
      notes.add("Keycloak stores " + label + " without " + String.join("/", dropped));
    }
    if (idp.get("config") instanceof ObjectNode config && config.has(LEGACY_HIDE_ON_LOGIN)) {
      idp.put("hideOnLogin", Boolean.parseBoolean(config.remove(LEGACY_HIDE_ON_LOGIN).asText()));
      notes.add("Keycloak stores config.hideOnLoginPage of " + label + " as hideOnLogin");
    }
  }

  /** The protocol of each client scope the file declares, and of Keycloak's built-in ones. */
  private static Map<String, String> scopeProtocols(ObjectNode rep) {
    Map<String, String> protocols = new HashMap<>();
    BuiltIns.CLIENT_SCOPES.forEach(name -> protocols.put(name, BUILT_IN_SAML_SCOPES.contains(name) ? "saml" : OIDC));
    for (ObjectNode scope : Json.objects(rep.get("clientScopes"))) {
      String protocol = Json.text(scope, "protocol");
      protocols.put(Json.text(scope, "name"), protocol == null ? OIDC : protocol);
    }
    return protocols;
  }

  /**
   * Keycloak links a client only to client scopes of its own protocol and skips the others without an error (older
   * exports list the SAML scope {@code role_list} on OpenID Connect clients).
   */
  private void clientScopesOfItsProtocol(ObjectNode client, Map<String, String> scopeProtocols) {
    String protocol = Objects.requireNonNullElse(Json.text(client, "protocol"), OIDC);
    for (String field : List.of("defaultClientScopes", "optionalClientScopes")) {
      if (!(client.get(field) instanceof ArrayNode scopes)) {
        continue;
      }
      List<String> foreign = Json.strings(scopes).stream()
          .filter(name -> scopeProtocols.containsKey(name) && !protocol.equals(scopeProtocols.get(name))).toList();
      if (!foreign.isEmpty()) {
        client.set(field, Json.array(Json.strings(scopes).stream().filter(n -> !foreign.contains(n)).toList()));
        notes.add("Keycloak stores " + field + " of client \"" + Json.text(client, "clientId") + "\" without "
            + foreign + ": client scopes of another protocol than " + protocol);
      }
    }
  }

  /**
   * Before Keycloak 13 a realm listed {@code defaultRoles} (and a client its own); Keycloak's import makes them
   * composites of the realm's default role {@code default-roles-<realm>}, creating roles that do not exist. A file
   * that names its {@code defaultRole} already is a newer export: the legacy lists are ignored, as Keycloak does.
   */
  private void legacyDefaultRoles(ObjectNode rep) {
    JsonNode realmDefaults = rep.remove("defaultRoles");
    Map<String, JsonNode> clientDefaults = new java.util.LinkedHashMap<>();
    for (ObjectNode client : Json.objects(rep.get("clients"))) {
      if (client.has("defaultRoles")) {
        clientDefaults.put(Json.text(client, "clientId"), client.remove("defaultRoles"));
      }
    }
    if (realmDefaults == null && clientDefaults.isEmpty()) {
      return;
    }
    if (rep.has("defaultRole")) {
      notes.add("Keycloak ignores the legacy \"defaultRoles\" of a realm that names its \"defaultRole\"");
      return;
    }
    ObjectNode roles = rep.with("roles");
    ArrayNode realmRoles = roles.withArray("realm");
    String defaultRoleName = BuiltIns.defaultRoleName(Json.text(rep, "realm"));
    ObjectNode defaultRole = namedOrAdded(realmRoles, defaultRoleName);
    ObjectNode composites = defaultRole.with("composites");
    var realmNames = new LinkedHashSet<>(DEFAULT_ROLE_COMPOSITES);
    realmNames.addAll(Json.strings(composites.get("realm")));
    if (realmDefaults != null) {
      realmNames.addAll(Json.strings(realmDefaults).stream().map(String::strip).toList());
    }
    realmNames.forEach(name -> namedOrAdded(realmRoles, name));
    composites.set("realm", Json.array(List.copyOf(realmNames)));
    clientDefaults.forEach((clientId, names) -> {
      var clientNames = new LinkedHashSet<>(Json.strings(composites.path("client").get(clientId)));
      clientNames.addAll(Json.strings(names).stream().map(String::strip).toList());
      ArrayNode clientRoles = roles.with("client").withArray(clientId);
      clientNames.forEach(name -> namedOrAdded(clientRoles, name));
      composites.with("client").set(clientId, Json.array(List.copyOf(clientNames)));
    });
    notes.add("Keycloak stores the legacy \"defaultRoles\" as composites of the realm's default role \""
        + defaultRoleName + "\"");
  }

  private static ObjectNode namedOrAdded(ArrayNode roles, String name) {
    return Json.objects(roles).stream().filter(r -> name.equals(Json.text(r, "name"))).findFirst()
        .orElseGet(() -> roles.addObject().put("name", name));
  }
}
