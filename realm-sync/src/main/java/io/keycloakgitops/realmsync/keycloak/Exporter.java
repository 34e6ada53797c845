package io.keycloakgitops.realmsync.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.keycloakgitops.realmsync.engine.BuiltIns;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.engine.RealmApi;
import io.keycloakgitops.realmsync.engine.RealmCollection;
import io.keycloakgitops.realmsync.engine.Representations;
import io.keycloakgitops.realmsync.engine.SecretPolicy;
import io.keycloakgitops.realmsync.engine.SyncState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * Writes a live realm as a realm file to start a repository from: ids and read-only fields removed, secrets
 * masked ({@code **********}, which realm-sync treats as "keep what the server has"), keys and collections sorted,
 * and everything a new realm has anyway left out — built-in objects that were not changed, fields at their
 * defaults. Planning the result against the same server finds nothing to do.
 */
public final class Exporter {
  /** Fields that describe the server's bookkeeping, not configuration. */
  private static final Set<String> NOT_CONFIGURATION = Set.of("access", "userProfileMetadata", "subGroupCount",
      "createdTimestamp", "totp", "disableableCredentialTypes", "types", "autheticatorFlow", "authenticatorConfigId",
      "path", "keycloakVersion", "clientRole", "containerId", "origin");
  /** Fields the realm schema requires next to an object's key. */
  private static final Set<String> REQUIRED = Set.of("providerId", "protocolMapper", "identityProviderAlias",
      "identityProviderMapper");
  /** Key material that differs between any two realms, so it never says whether a key provider was changed. */
  private static final Set<String> KEY_MATERIAL = Set.of("privateKey", "certificate", "secret", "kid", "publicKey");
  /** When the client secret was generated: changes with every secret, says nothing about configuration. */
  private static final String SECRET_ROTATION_TIME = "client.secret.creation.time";
  private static final String LOCALIZATION_TEXTS = "localizationTexts";
  /**
   * Authenticator settings whose names look secret but hold none: the credential types a conditional-credential
   * step checks ({@code "credentials": "otp"}). Masked, they could not be restored from the export.
   */
  private static final Set<String> AUTHENTICATOR_SETTINGS_NOT_SECRET = Set.of("credentials");
  /**
   * Realm fields written even at the captured default: {@code enabled} defaults to true only for realms created
   * enabled, as the defaults were; a realm created from a file without it is disabled.
   */
  private static final Set<String> ALWAYS_WRITTEN = Set.of("realm", "enabled");

  private Exporter() {}

  /** Reads and exports {@code realm}; null if it does not exist. */
  public static ObjectNode export(RealmApi api, ExecutorService readers, Defaults defaults) {
    ObjectNode live = LiveReader.read(api, readers, ReadSpec.everything());
    return live == null ? null : stripDefaults(canonicalize(live, api.realm()), defaults.realm(api.realm()), defaults);
  }

  /** The live realm as a file would hold it, before defaults are stripped. */
  public static ObjectNode canonicalize(ObjectNode live, String realm) {
    var rep = (ObjectNode) Representations.stripIds(live.deepCopy());
    clean(rep);
    if (rep.get("attributes") instanceof ObjectNode attributes) {
      attributes.remove(SyncState.ATTRIBUTE);
    }
    mask(rep, Set.of());
    String defaultRole = BuiltIns.defaultRoleName(realm);
    var users = Json.array();
    for (ObjectNode user : Json.objects(rep.get("users"))) {
      var realmRoles = Json.strings(user.get("realmRoles"));
      realmRoles.remove(defaultRole);
      if (user.has("realmRoles")) {
        user.set("realmRoles", Json.array(realmRoles));
      }
      boolean serviceAccount = user.has("serviceAccountClientId");
      if (serviceAccount) {
        user.retain("username", "serviceAccountClientId", "realmRoles", "clientRoles");
        if (realmRoles.isEmpty() && Json.isEmpty(user.get("clientRoles"))) {
          continue;
        }
      }
      users.add(user);
    }
    if (rep.has("users")) {
      rep.set("users", users);
    }
    for (ObjectNode client : Json.objects(rep.get("clients"))) {
      if (client.get("attributes") instanceof ObjectNode attributes) {
        attributes.remove(SECRET_ROTATION_TIME);
      }
      if (Json.bool(client, "serviceAccountsEnabled") && client.has("defaultClientScopes")) {
        var scopes = Json.strings(client.get("defaultClientScopes"));
        scopes.remove("service_account");
        client.set("defaultClientScopes", Json.array(scopes));
      }
    }
    for (ObjectNode flow : Json.objects(rep.get("authenticationFlows"))) {
      Json.objects(flow.get("authenticationExecutions")).forEach(e -> e.remove("id"));
    }
    dropEmptyScopeMappings(rep);
    sortCollections(rep);
    return (ObjectNode) Json.canonical(rep);
  }

  /** Clients and scopes without role scope mappings need no entry. */
  private static void dropEmptyScopeMappings(ObjectNode rep) {
    var lists = new ArrayList<ArrayNode>();
    if (rep.get("scopeMappings") instanceof ArrayNode realmMappings) {
      lists.add(realmMappings);
    }
    if (rep.get("clientScopeMappings") instanceof ObjectNode clientMappings) {
      clientMappings.forEach(list -> {
        if (list instanceof ArrayNode array) {
          lists.add(array);
        }
      });
    }
    for (ArrayNode list : lists) {
      for (int i = list.size() - 1; i >= 0; i--) {
        if (Json.isEmpty(list.get(i).get("roles"))) {
          list.remove(i);
        }
      }
    }
  }

  private static void clean(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.remove(NOT_CONFIGURATION);
      object.properties().forEach(e -> {
        if (!isDataMap(e.getKey())) {
          clean(e.getValue());
        }
      });
    } else if (node instanceof ArrayNode array) {
      array.forEach(Exporter::clean);
    }
  }

  private static boolean isDataMap(String field) {
    return Set.of("attributes", "config", "smtpServer", "browserSecurityHeaders", "authenticationFlowBindingOverrides",
        LOCALIZATION_TEXTS).contains(field);
  }

  /** Secrets become {@code **********}: the file then leaves them as they are on the server. Texts are not secrets. */
  private static void mask(JsonNode node, Set<String> notSecret) {
    if (node instanceof ObjectNode object) {
      object.properties().forEach(e -> {
        JsonNode value = e.getValue();
        if (e.getKey().equals(LOCALIZATION_TEXTS)) {
          return;
        }
        boolean text = value.isTextual() || value.isArray() && value.size() == 1 && value.get(0).isTextual();
        if (text && SecretPolicy.sensitiveName(e.getKey()) && !notSecret.contains(e.getKey())
            && !Representations.masked(value)) {
          e.setValue(value.isArray() ? Json.array(List.of(Json.MASKED)) : TextNode.valueOf(Json.MASKED));
        } else {
          mask(value, e.getKey().equals("authenticatorConfig") ? AUTHENTICATOR_SETTINGS_NOT_SECRET : notSecret);
        }
      });
    } else if (node instanceof ArrayNode array) {
      array.forEach(item -> mask(item, notSecret));
    }
  }

  private static void sortCollections(ObjectNode rep) {
    for (RealmCollection collection : RealmCollection.values()) {
      // Service accounts share the users array, which is in username order.
      if (collection.keyField() != null && collection != RealmCollection.SERVICE_ACCOUNTS) {
        sortBy(rep, collection.jsonKeys().get(0), o -> Json.text(o, collection.keyField()));
      }
    }
    sortBy(rep, "identityProviderMappers", o -> Json.text(o, "identityProviderAlias") + "/" + Json.text(o, "name"));
    if (rep.get("roles") instanceof ObjectNode roles) {
      sortBy(roles, "realm", o -> Json.text(o, "name"));
      if (roles.get("client") instanceof ObjectNode clientRoles) {
        clientRoles.properties().forEach(e -> sortBy(clientRoles, e.getKey(), o -> Json.text(o, "name")));
      }
    }
    if (rep.get("components") instanceof ObjectNode components) {
      components.properties().forEach(e -> sortBy(components, e.getKey(), Representations::componentName));
    }
    sortGroups(rep.get("groups"));
    for (ObjectNode client : Json.objects(rep.get("clients"))) {
      sortBy(client, "protocolMappers", o -> Json.text(o, "name"));
      if (client.get("authorizationSettings") instanceof ObjectNode authz) {
        List.of("resources", "policies", "scopes").forEach(f -> sortBy(authz, f, o -> Json.text(o, "name")));
      }
    }
    Json.objects(rep.get("clientScopes")).forEach(s -> sortBy(s, "protocolMappers", o -> Json.text(o, "name")));
    for (ObjectNode organization : Json.objects(rep.get("organizations"))) {
      sortBy(organization, "domains", o -> Json.text(o, "name"));
      sortBy(organization, "identityProviders", o -> Json.text(o, "alias"));
      sortBy(organization, "members", o -> Json.text(o, "username"));
    }
    sortBy(rep, "scopeMappings", Exporter::ownerOf);
    if (rep.get("clientScopeMappings") instanceof ObjectNode mappings) {
      mappings.properties().forEach(e -> sortBy(mappings, e.getKey(), Exporter::ownerOf));
    }
    sortScalarArrays(rep);
  }

  private static String ownerOf(JsonNode mapping) {
    return mapping.has("client") ? "client:" + Json.text(mapping, "client") : "scope:" + Json.text(mapping, "clientScope");
  }

  private static void sortGroups(JsonNode groups) {
    for (ObjectNode group : Json.objects(groups)) {
      sortBy(group, "subGroups", o -> Json.text(o, "name"));
      sortGroups(group.get("subGroups"));
    }
  }

  private static void sortBy(ObjectNode parent, String field, Function<ObjectNode, String> key) {
    if (parent.get(field) instanceof ArrayNode array) {
      var items = new ArrayList<>(Json.objects(array));
      items.sort(Comparator.comparing(key, Comparator.nullsFirst(Comparator.naturalOrder())));
      var sorted = Json.array();
      items.forEach(sorted::add);
      parent.set(field, sorted);
    }
  }

  /** Lists of plain values are sets to Keycloak (and to the compare): sorted for stable diffs. */
  private static void sortScalarArrays(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.properties().forEach(e -> {
        JsonNode value = e.getValue();
        if (value instanceof ArrayNode array && array.size() > 1 && allScalars(array)) {
          var values = new ArrayList<String>();
          array.forEach(v -> values.add(v.asText()));
          if (array.get(0).isTextual()) {
            values.sort(Comparator.naturalOrder());
            e.setValue(Json.array(values));
          }
        } else {
          sortScalarArrays(value);
        }
      });
    } else if (node instanceof ArrayNode array) {
      array.forEach(Exporter::sortScalarArrays);
    }
  }

  private static boolean allScalars(ArrayNode array) {
    for (JsonNode item : array) {
      if (!item.isValueNode()) {
        return false;
      }
    }
    return true;
  }

  // ---- defaults ----------------------------------------------------------------------------------------------

  /** Leaves out what a new realm has anyway: unchanged built-in objects and fields at their defaults. */
  static ObjectNode stripDefaults(ObjectNode rep, ObjectNode defaultRealm, Defaults defaults) {
    var out = rep.deepCopy();
    for (var entry : Json.fields(defaultRealm)) {
      String field = entry.getKey();
      if (ALWAYS_WRITTEN.contains(field) || !out.has(field)) {
        continue;
      }
      switch (field) {
        case "clients" -> {
          stripObjects(out, field, "clientId", entry.getValue(), defaults.fresh("client"));
          keepScopeListsTogether(rep, out);
        }
        case "clientScopes" -> {
          // Keycloak refuses to create a client scope without a protocol ("Unexpected protocol"), default or not.
          var freshScope = defaults.fresh("clientScope");
          freshScope.remove("protocol");
          stripObjects(out, field, "name", entry.getValue(), freshScope);
        }
        case "identityProviders" -> stripObjects(out, field, "alias", entry.getValue(), defaults.fresh("identityProvider"));
        case "authenticationFlows" -> stripObjects(out, field, "alias", entry.getValue(), defaults.fresh("flow"));
        case "authenticatorConfig", "requiredActions" -> stripObjects(out, field, "alias", entry.getValue(), null);
        case "users" -> stripObjects(out, field, "username", entry.getValue(), defaults.fresh("user"));
        case "roles" -> stripRoles(out, entry.getValue(), defaults.fresh("role"));
        case "components" -> stripComponents(out, entry.getValue());
        case "groups" -> {
          for (ObjectNode group : Json.objects(out.get("groups"))) {
            stripGroup(group, defaults.fresh("group"));
          }
        }
        case "scopeMappings" -> stripListEntries(out, field, entry.getValue());
        case "clientScopeMappings" -> {
          if (out.get(field) instanceof ObjectNode mappings) {
            entry.getValue().properties().forEach(e -> stripListEntries(mappings, e.getKey(), e.getValue()));
            dropIfEmpty(out, field);
          }
        }
        default -> stripField(out, field, entry.getValue());
      }
    }
    keepOtpPolicyType(rep, out);
    // Fresh-object defaults also apply to objects of collections a new realm has none of (groups, users, IdPs).
    stripFresh(out, RealmCollection.IDENTITY_PROVIDERS, defaults.fresh("identityProvider"));
    stripFresh(out, RealmCollection.USERS, defaults.fresh("user"));
    List.of("clients", "clientScopes", "authenticationFlows", "authenticatorConfig", "requiredActions", "users",
        "identityProviders", "identityProviderMappers", "groups", "scopeMappings", "defaultGroups").forEach(f -> dropIfEmpty(out, f));
    return (ObjectNode) Json.canonical(out);
  }

  /**
   * Keycloak gives a new client the realm's default scopes only when it declares neither list: a client keeping one
   * list keeps the other too, even at its default, or it would be created without those scopes.
   */
  private static void keepScopeListsTogether(ObjectNode rep, ObjectNode out) {
    var lists = List.of("defaultClientScopes", "optionalClientScopes");
    for (ObjectNode client : Json.objects(out.get("clients"))) {
      if (lists.stream().anyMatch(client::has)) {
        JsonNode live = find(rep.get("clients"), "clientId", Json.text(client, "clientId"));
        lists.forEach(f -> {
          if (!client.has(f) && live != null && live.has(f)) {
            client.set(f, live.get(f).deepCopy());
          }
        });
      }
    }
  }

  private static JsonNode find(JsonNode array, String field, String value) {
    for (ObjectNode item : Json.objects(array)) {
      if (value.equals(Json.text(item, field))) {
        return item;
      }
    }
    return null;
  }

  /** Keycloak reads a realm's OTP policy fields only with {@code otpPolicyType}: it stays when one of them does. */
  private static void keepOtpPolicyType(ObjectNode rep, ObjectNode out) {
    boolean otpPolicy = out.properties().stream().anyMatch(e -> e.getKey().startsWith("otpPolicy"));
    if (otpPolicy && rep.has("otpPolicyType")) {
      out.set("otpPolicyType", rep.get("otpPolicyType"));
    }
  }

  /** Removes {@code field} when it equals the default; for data maps, the keys that equal it. */
  private static void stripField(ObjectNode object, String field, JsonNode defaultValue) {
    JsonNode value = object.get(field);
    if (value == null) {
      return;
    }
    if (value.equals(defaultValue)) {
      object.remove(field);
    } else if (value instanceof ObjectNode map && defaultValue instanceof ObjectNode defaults && isDataMap(field)) {
      defaults.properties().forEach(e -> {
        if (e.getValue().equals(map.get(e.getKey()))) {
          map.remove(e.getKey());
        }
      });
      if (map.isEmpty()) {
        object.remove(field);
      }
    }
  }

  /** Fields of {@code object} equal to {@code defaults}' removed, except the key and what the schema requires. */
  private static void stripFields(ObjectNode object, ObjectNode defaults, String keyField) {
    if (defaults == null) {
      return;
    }
    for (var entry : Json.fields(defaults)) {
      if (!entry.getKey().equals(keyField) && !REQUIRED.contains(entry.getKey())) {
        stripField(object, entry.getKey(), entry.getValue());
      }
    }
  }

  /**
   * Built-in objects are dropped when unchanged, or reduced to their changed fields; other objects lose the fields a
   * new object of the kind has by default.
   */
  private static void stripObjects(ObjectNode rep, String field, String keyField, JsonNode builtIns, ObjectNode fresh) {
    var builtInByKey = new java.util.HashMap<String, ObjectNode>();
    Json.objects(builtIns).forEach(o -> builtInByKey.put(Json.text(o, keyField), o));
    var kept = Json.array();
    for (ObjectNode object : Json.objects(rep.get(field))) {
      ObjectNode builtIn = builtInByKey.get(Json.text(object, keyField));
      if (builtIn != null) {
        if (object.equals(builtIn)) {
          continue;
        }
        stripFields(object, builtIn, keyField);
        if (object.size() <= 1) {
          continue;
        }
      } else {
        stripFields(object, fresh, keyField);
      }
      kept.add(object);
    }
    rep.set(field, kept);
  }

  private static void stripFresh(ObjectNode rep, RealmCollection collection, ObjectNode fresh) {
    if (fresh != null) {
      Json.objects(rep.get(collection.jsonKeys().get(0))).forEach(o -> stripFields(o, fresh, collection.keyField()));
    }
  }

  private static void stripRoles(ObjectNode rep, JsonNode defaultRoles, ObjectNode freshRole) {
    if (!(rep.get("roles") instanceof ObjectNode roles)) {
      return;
    }
    if (roles.has("realm")) {
      var wrapper = Json.object().set("realm", roles.get("realm"));
      stripObjects((ObjectNode) wrapper, "realm", "name", defaultRoles.get("realm"), freshRole);
      roles.set("realm", wrapper.get("realm"));
      dropIfEmpty(roles, "realm");
    }
    if (roles.get("client") instanceof ObjectNode clients) {
      for (String clientId : fieldNames(clients)) {
        stripObjects(clients, clientId, "name", defaultRoles.path("client").get(clientId), freshRole);
        dropIfEmpty(clients, clientId);
      }
      dropIfEmpty(roles, "client");
    }
    dropIfEmpty(rep, "roles");
  }

  private static void stripGroup(ObjectNode group, ObjectNode freshGroup) {
    stripFields(group, freshGroup, "name");
    for (ObjectNode child : Json.objects(group.get("subGroups"))) {
      stripGroup(child, freshGroup);
    }
  }

  /** Built-in components (realm keys, registration policies) are dropped unless changed beyond their key material. */
  private static void stripComponents(ObjectNode rep, JsonNode defaults) {
    if (!(rep.get("components") instanceof ObjectNode components)) {
      return;
    }
    for (String type : fieldNames(components)) {
      var defaultByKey = new java.util.HashMap<String, ObjectNode>();
      Json.objects(defaults.get(type)).forEach(c -> defaultByKey.put(Representations.componentName(c), c));
      var kept = Json.array();
      for (ObjectNode component : Json.objects(components.get(type))) {
        ObjectNode builtIn = defaultByKey.get(Representations.componentName(component));
        if (builtIn == null || !withoutKeyMaterial(component).equals(withoutKeyMaterial(builtIn))) {
          kept.add(component);
        }
      }
      components.set(type, kept);
      dropIfEmpty(components, type);
    }
    dropIfEmpty(rep, "components");
  }

  private static JsonNode withoutKeyMaterial(ObjectNode component) {
    var copy = component.deepCopy();
    if (copy.get("config") instanceof ObjectNode config) {
      config.remove(KEY_MATERIAL);
    }
    return copy;
  }

  private static void stripListEntries(ObjectNode parent, String field, JsonNode defaults) {
    if (parent.get(field) instanceof ArrayNode array) {
      var kept = Json.array();
      array.forEach(item -> {
        boolean isDefault = false;
        for (JsonNode d : defaults) {
          isDefault |= d.equals(item);
        }
        if (!isDefault) {
          kept.add(item);
        }
      });
      parent.set(field, kept);
      dropIfEmpty(parent, field);
    }
  }

  private static void dropIfEmpty(ObjectNode parent, String field) {
    JsonNode value = parent.get(field);
    if (value != null && value.isContainerNode() && value.isEmpty()) {
      parent.remove(field);
    }
  }

  private static List<String> fieldNames(ObjectNode object) {
    var out = new ArrayList<String>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
