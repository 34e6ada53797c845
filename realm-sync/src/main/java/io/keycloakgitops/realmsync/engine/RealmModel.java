package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A realm in the shape of a Keycloak export, cut into keyed collections so that the file (desired) and the server
 * (live) can be compared object by object. A {@code null} collection means the file does not declare it: that type
 * is then left alone entirely (no compare, no prune). Live models keep the server's {@code id}s.
 */
public final class RealmModel {
  /** Top-level realm fields that are collections handled object by object, not realm settings. */
  /** Top-level realm fields that are collections handled object by object, not realm settings. */
  public static final Set<String> COLLECTIONS = RealmCollection.realmFields();
  /** Declared realm fields realm-sync does not manage; a plan warns about them. */
  public static final Set<String> UNSUPPORTED = Set.of("federatedUsers",
      "clientTemplates", "applications", "oauthClients", "applicationScopeMappings", "social", "socialProviders",
      "protocolMappers");
  public static final String CLIENT_OWNER = "client:";
  public static final String SCOPE_OWNER = "client-scope:";

  public final String name;
  /** The realm's internal id (live models only). */
  public final String id;
  public final ObjectNode settings;
  public final Map<String, ObjectNode> clientScopes;
  public final Map<String, ObjectNode> clients;
  public final Map<String, ObjectNode> realmRoles;
  public final Map<String, Map<String, ObjectNode>> clientRoles;
  /** Groups flattened by path ({@code /parent/child}), without their {@code subGroups}. */
  public final Map<String, ObjectNode> groups;
  /** Users by lower-case username, without service-account users. */
  public final Map<String, ObjectNode> users;
  /** Service-account users by the clientId they belong to. */
  public final Map<String, ObjectNode> serviceAccounts;
  public final Map<String, ObjectNode> identityProviders;
  public final Map<String, Map<String, ObjectNode>> identityProviderMappers;
  /** Top-level flows and sub-flows by alias. */
  public final Map<String, ObjectNode> flows;
  public final Map<String, ObjectNode> authenticatorConfigs;
  public final Map<String, ObjectNode> requiredActions;
  /** Components by provider type, then name (sub-components stay inside). */
  public final Map<String, Map<String, ObjectNode>> components;
  public final List<String> defaultGroups;
  public final List<String> defaultDefaultClientScopes;
  public final List<String> defaultOptionalClientScopes;
  /** Organizations by name, their domains in name order (the server keeps none). */
  public final Map<String, ObjectNode> organizations;
  /** Localization texts by locale: an object of key to text. */
  public final Map<String, ObjectNode> localizationTexts;
  /** Role scope mappings by owner ({@code client:<clientId>} or {@code client-scope:<name>}). */
  public final Map<String, Set<RoleRef>> scopeMappings;

  private RealmModel(ObjectNode rep) {
    this.name = Json.text(rep, "realm");
    this.id = Json.text(rep, "id");
    this.settings = Json.without(rep, COLLECTIONS);
    this.settings.remove(UNSUPPORTED);
    this.clientScopes = keyed(rep, RealmCollection.CLIENT_SCOPES);
    this.clients = keyed(rep, RealmCollection.CLIENTS);
    JsonNode roles = rep.get("roles");
    this.realmRoles = roles == null ? null : keyed(roles.get("realm"), RealmCollection.REALM_ROLES.keyField());
    this.clientRoles = roles == null || roles.get("client") == null ? null : byClient(roles.get("client"));
    this.groups = rep.has("groups") ? flattenGroups(rep.get("groups")) : null;
    if (rep.has("users")) {
      this.users = new LinkedHashMap<>();
      this.serviceAccounts = new LinkedHashMap<>();
      for (ObjectNode user : Json.objects(rep.get("users"))) {
        String owner = Json.text(user, "serviceAccountClientId");
        if (owner != null) {
          serviceAccounts.put(owner, user);
        } else if (Json.text(user, "username") != null) {
          users.put(user.get("username").asText().toLowerCase(Locale.ROOT), user);
        }
      }
    } else {
      this.users = null;
      this.serviceAccounts = null;
    }
    this.identityProviders = keyed(rep, RealmCollection.IDENTITY_PROVIDERS);
    this.identityProviderMappers = rep.has("identityProviderMappers") ? idpMappers(rep.get("identityProviderMappers")) : null;
    this.flows = keyed(rep, RealmCollection.FLOWS);
    this.authenticatorConfigs = keyed(rep, RealmCollection.AUTHENTICATOR_CONFIGS);
    this.requiredActions = keyed(rep, RealmCollection.REQUIRED_ACTIONS);
    this.components = rep.has("components") ? componentsByType(rep.get("components")) : null;
    this.defaultGroups = rep.has("defaultGroups") ? Json.strings(rep.get("defaultGroups")) : null;
    this.defaultDefaultClientScopes = rep.has("defaultDefaultClientScopes")
        ? Json.strings(rep.get("defaultDefaultClientScopes")) : null;
    this.defaultOptionalClientScopes = rep.has("defaultOptionalClientScopes")
        ? Json.strings(rep.get("defaultOptionalClientScopes")) : null;
    this.scopeMappings = rep.has("scopeMappings") || rep.has("clientScopeMappings")
        ? scopeMappings(rep.get("scopeMappings"), rep.get("clientScopeMappings")) : null;
    this.organizations = rep.has("organizations") ? organizations(rep.get("organizations")) : null;
    this.localizationTexts = rep.has("localizationTexts") ? localizationTexts(rep.get("localizationTexts")) : null;
  }

  public static RealmModel of(ObjectNode rep) {
    return new RealmModel(rep);
  }

  /**
   * A copy limited to the changed objects of {@code delta}; see {@link Incremental#restrict}. A {@code live} copy
   * keeps what the delta does not touch whole: it is context (ids, default groups, flows), and the planner only
   * compares collections the restricted file declares.
   */
  RealmModel(RealmModel base, Incremental.Delta delta, boolean live) {
    this.name = base.name;
    this.id = base.id;
    this.settings = live || delta.settings() ? base.settings : Json.object();
    this.clientScopes = delta.filter(RealmCollection.CLIENT_SCOPES, base.clientScopes, live);
    this.clients = delta.filter(RealmCollection.CLIENTS, base.clients, live);
    this.realmRoles = delta.filter(RealmCollection.REALM_ROLES, base.realmRoles, live);
    this.clientRoles = delta.filterNested(RealmCollection.CLIENT_ROLES, base.clientRoles, live);
    this.groups = delta.filter(RealmCollection.GROUPS, base.groups, live);
    this.users = delta.filter(RealmCollection.USERS, base.users, live);
    this.serviceAccounts = delta.filter(RealmCollection.SERVICE_ACCOUNTS, base.serviceAccounts, live);
    this.identityProviders = delta.filter(RealmCollection.IDENTITY_PROVIDERS, base.identityProviders, live);
    this.identityProviderMappers = delta.filterNested(RealmCollection.IDENTITY_PROVIDER_MAPPERS, base.identityProviderMappers, live);
    this.flows = delta.filter(RealmCollection.FLOWS, base.flows, live);
    this.authenticatorConfigs = delta.filter(RealmCollection.AUTHENTICATOR_CONFIGS, base.authenticatorConfigs, live);
    this.requiredActions = delta.filter(RealmCollection.REQUIRED_ACTIONS, base.requiredActions, live);
    this.components = delta.filterNested(RealmCollection.COMPONENTS, base.components, live);
    this.defaultGroups = live || delta.has(RealmCollection.DEFAULT_GROUPS) ? base.defaultGroups : null;
    this.defaultDefaultClientScopes = live || delta.has(RealmCollection.DEFAULT_SCOPES) ? base.defaultDefaultClientScopes : null;
    this.defaultOptionalClientScopes = live || delta.has(RealmCollection.DEFAULT_SCOPES) ? base.defaultOptionalClientScopes : null;
    this.scopeMappings = delta.filter(RealmCollection.SCOPE_MAPPINGS, base.scopeMappings, live);
    this.organizations = delta.filter(RealmCollection.ORGANIZATIONS, base.organizations, live);
    this.localizationTexts = delta.filter(RealmCollection.LOCALIZATION_TEXTS, base.localizationTexts, live);
  }

  /** Flows that are not used as a sub-flow by another flow (or say they are top level). */
  public static Set<String> topLevelFlowAliases(Map<String, ObjectNode> flows) {
    var subFlows = new HashSet<String>();
    flows.values().forEach(flow -> Json.objects(flow.get("authenticationExecutions")).forEach(e -> {
      if (Json.text(e, "flowAlias") != null) {
        subFlows.add(Json.text(e, "flowAlias"));
      }
    }));
    var out = new LinkedHashSet<String>();
    flows.forEach((alias, flow) -> {
      JsonNode topLevel = flow.get("topLevel");
      if (topLevel != null ? topLevel.asBoolean() : !subFlows.contains(alias)) {
        out.add(alias);
      }
    });
    return out;
  }

  /** Declared top-level fields that realm-sync ignores. */
  public static List<String> unsupportedFields(ObjectNode rep) {
    return UNSUPPORTED.stream().filter(rep::has).sorted().toList();
  }

  /** A collection read from its one array field, by its key field. */
  private static Map<String, ObjectNode> keyed(ObjectNode rep, RealmCollection collection) {
    return keyed(rep.get(collection.jsonKeys().get(0)), collection.keyField());
  }

  private static Map<String, ObjectNode> keyed(JsonNode array, String keyField) {
    if (array == null || array.isNull()) {
      return null;
    }
    var out = new LinkedHashMap<String, ObjectNode>();
    for (ObjectNode item : Json.objects(array)) {
      String key = Json.text(item, keyField);
      if (key != null) {
        out.put(key, item);
      }
    }
    return out;
  }

  private static Map<String, ObjectNode> organizations(JsonNode organizations) {
    var out = keyed(organizations, RealmCollection.ORGANIZATIONS.keyField());
    out.replaceAll((name, organization) -> {
      if (!(organization.get("domains") instanceof ArrayNode domains)) {
        return organization;
      }
      var sorted = organization.deepCopy();
      var byName = new ArrayList<>(Json.objects(domains));
      byName.sort(Comparator.comparing(d -> String.valueOf(Json.text(d, "name"))));
      sorted.set("domains", Json.NODES.arrayNode().addAll(byName));
      return sorted;
    });
    return out;
  }

  private static Map<String, ObjectNode> localizationTexts(JsonNode texts) {
    var out = new LinkedHashMap<String, ObjectNode>();
    Json.fields(texts).forEach(e -> {
      if (e.getValue() instanceof ObjectNode byKey) {
        out.put(e.getKey(), byKey);
      }
    });
    return out;
  }

  private static Map<String, Map<String, ObjectNode>> byClient(JsonNode clientRoles) {
    var out = new LinkedHashMap<String, Map<String, ObjectNode>>();
    clientRoles.properties().forEach(e -> out.put(e.getKey(), keyed(e.getValue(), "name")));
    return out;
  }

  private static Map<String, ObjectNode> flattenGroups(JsonNode groups) {
    var out = new LinkedHashMap<String, ObjectNode>();
    addGroups(out, "", groups);
    return out;
  }

  private static void addGroups(Map<String, ObjectNode> out, String parentPath, JsonNode groups) {
    for (ObjectNode group : Json.objects(groups)) {
      String name = Json.text(group, "name");
      if (name == null) {
        continue;
      }
      String path = parentPath + "/" + name;
      var flat = Json.without(group, List.of("subGroups"));
      flat.put("path", path);
      out.put(path, flat);
      addGroups(out, path, group.get("subGroups"));
    }
  }

  private static Map<String, Map<String, ObjectNode>> idpMappers(JsonNode mappers) {
    var out = new LinkedHashMap<String, Map<String, ObjectNode>>();
    for (ObjectNode mapper : Json.objects(mappers)) {
      String alias = Json.text(mapper, "identityProviderAlias");
      String name = Json.text(mapper, "name");
      if (alias != null && name != null) {
        out.computeIfAbsent(alias, k -> new LinkedHashMap<>()).put(name, mapper);
      }
    }
    return out;
  }

  /** By provider type, then {@code name} — plus the sub-type, since names repeat across sub-types. */
  private static Map<String, Map<String, ObjectNode>> componentsByType(JsonNode components) {
    var out = new LinkedHashMap<String, Map<String, ObjectNode>>();
    if (components != null && components.isObject()) {
      components.properties().forEach(e -> {
        var byKey = new LinkedHashMap<String, ObjectNode>();
        for (ObjectNode component : Json.objects(e.getValue())) {
          if (Json.text(component, "name") != null) {
            byKey.put(Representations.componentName(component), component);
          }
        }
        out.put(e.getKey(), byKey);
      });
    }
    return out;
  }

  private static Map<String, Set<RoleRef>> scopeMappings(JsonNode realmMappings, JsonNode clientMappings) {
    var out = new LinkedHashMap<String, Set<RoleRef>>();
    for (ObjectNode mapping : Json.objects(realmMappings)) {
      String owner = owner(mapping);
      if (owner != null) {
        var roles = out.computeIfAbsent(owner, k -> new LinkedHashSet<>());
        Json.strings(mapping.get("roles")).forEach(r -> roles.add(RoleRef.realm(r)));
      }
    }
    if (clientMappings != null && clientMappings.isObject()) {
      clientMappings.properties().forEach(e -> {
        for (ObjectNode mapping : Json.objects(e.getValue())) {
          String owner = owner(mapping);
          if (owner != null) {
            var roles = out.computeIfAbsent(owner, k -> new LinkedHashSet<>());
            Json.strings(mapping.get("roles")).forEach(r -> roles.add(new RoleRef(e.getKey(), r)));
          }
        }
      });
    }
    return out;
  }

  private static String owner(JsonNode mapping) {
    if (mapping.hasNonNull("client")) {
      return CLIENT_OWNER + mapping.get("client").asText();
    }
    if (mapping.hasNonNull("clientScope")) {
      return SCOPE_OWNER + mapping.get("clientScope").asText();
    }
    return null;
  }
}
