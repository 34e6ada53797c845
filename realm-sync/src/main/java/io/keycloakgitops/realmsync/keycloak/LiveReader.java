package io.keycloakgitops.realmsync.keycloak;

import static io.keycloakgitops.realmsync.engine.Futures.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.engine.Paths;
import io.keycloakgitops.realmsync.engine.RealmApi;
import io.keycloakgitops.realmsync.engine.RealmModel;
import io.keycloakgitops.realmsync.engine.Representations;
import io.keycloakgitops.realmsync.engine.RoleRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * Reads a live realm into the shape of a realm export (with the server's ids), using the cheapest calls: one list
 * per collection, and per-object calls — in parallel — only for the parts the file declares. Memberships are read
 * from whichever side is smaller: per group and per role, or per user.
 */
public final class LiveReader {
  private static final Set<String> CHILDLESS_COMPONENT_TYPES = Set.of("org.keycloak.keys.KeyProvider",
      "org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy");

  private final RealmApi api;
  private final ExecutorService pool;
  private final ReadSpec spec;
  private final RealmModel d;
  private final Map<String, String> clientIdByUuid = new HashMap<>();

  private LiveReader(RealmApi api, ExecutorService pool, ReadSpec spec) {
    this.api = api;
    this.pool = pool;
    this.spec = spec;
    this.d = spec.desired();
  }

  /** The realm in export shape, or null if it does not exist. */
  public static ObjectNode read(RealmApi api, ExecutorService pool, ReadSpec spec) {
    return new LiveReader(api, pool, spec).run();
  }

  private ObjectNode run() {
    var realm = api.find("");
    if (realm.isEmpty()) {
      return null;
    }
    var rep = (ObjectNode) realm.get();
    boolean wantsFlows = spec.wants(d == null ? null : d.flows) || spec.wants(d == null ? null : d.authenticatorConfigs)
        || d != null && d.clients != null;
    var clients = async(() -> pagedBy(spec.clientAndRolePageSize(), "/clients"));
    var scopes = async(() -> spec.wants(d == null ? null : anyOf(d.clientScopes, d.defaultDefaultClientScopes,
        d.defaultOptionalClientScopes, d.scopeMappings)) ? api.get("/client-scopes") : null);
    var roles = async(() -> spec.wants(d == null ? null : d.realmRoles)
        ? pagedBy(spec.clientAndRolePageSize(), "/roles", "briefRepresentation", false) : null);
    var topGroups = async(() -> spec.wants(d == null ? null : anyOf(d.groups, d.defaultGroups))
        ? paged("/groups", "briefRepresentation", false) : null);
    var users = async(() -> spec.wants(d == null ? null : d.users) ? paged("/users", "briefRepresentation", false) : null);
    var flows = async(() -> wantsFlows ? api.get("/authentication/flows") : null);
    var requiredActions = async(() -> spec.wants(d == null ? null : d.requiredActions)
        ? api.get("/authentication/required-actions") : null);
    var components = async(() -> spec.wants(d == null ? null : d.components)
        ? api.get("/components", "parent", Json.text(rep, "id")) : null);
    var idps = async(() -> spec.wants(d == null ? null : anyOf(d.identityProviders, d.identityProviderMappers))
        ? api.get("/identity-provider/instances", "briefRepresentation", false) : null);
    boolean usersDeclareGroups = spec.anyDeclares(d == null ? null : d.users, u -> u.has("groups"));
    var defaultGroups = async(() -> spec.wants(d == null ? null : d.defaultGroups) || usersDeclareGroups
        ? api.get("/default-groups") : null);
    var defaultScopes = async(() -> spec.wants(d == null ? null : d.defaultDefaultClientScopes)
        ? api.get("/default-default-client-scopes") : null);
    var optionalScopes = async(() -> spec.wants(d == null ? null : d.defaultOptionalClientScopes)
        ? api.get("/default-optional-client-scopes") : null);
    // The organization endpoints answer only once the realm enables organizations: until then there are none.
    var organizations = async(() -> !spec.wants(d == null ? null : d.organizations) ? null
        : Json.bool(rep, "organizationsEnabled") ? readOrganizations() : Json.array());
    var localizationTexts = async(() -> spec.wants(d == null ? null : d.localizationTexts) ? readLocalizationTexts() : null);

    JsonNode clientList = join(clients);
    clientList.forEach(c -> clientIdByUuid.put(Json.text(c, "id"), Json.text(c, "clientId")));
    JsonNode flowList = join(flows) == null ? null : withUnlistedFlows(join(flows));
    ObjectNode flowParts = flowList == null ? null : readFlows(flowList);
    ObjectNode clientRoles = readClientRoles(clientList);
    ArrayNode groupTree = join(topGroups) == null ? null : readGroupTree((ArrayNode) join(topGroups));

    var out = rep.deepCopy();
    out.remove(RealmModel.COLLECTIONS.stream().filter(f -> !f.equals("realm") && !f.equals("id")).toList());
    out.set("clients", withClientParts(clientList, flowList));
    if (join(scopes) != null) {
      out.set("clientScopes", join(scopes));
    }
    var roleSection = out.putObject("roles");
    if (join(roles) != null) {
      roleSection.set("realm", join(roles));
    }
    roleSection.set("client", clientRoles);
    readComposites(roleSection);
    if (groupTree != null) {
      out.set("groups", groupTree);
    }
    if (join(users) != null) {
      var userList = (ArrayNode) join(users);
      readMemberships(userList, groupTree, join(roles), Json.text(rep.path("defaultRole"), "name"));
      userList.addAll(readServiceAccounts(clientList));
      out.set("users", userList);
    } else if (d != null && d.serviceAccounts != null) {
      out.set("users", readServiceAccounts(clientList));
    }
    if (flowParts != null) {
      out.set("authenticationFlows", flowParts.get("flows"));
      out.set("authenticatorConfig", flowParts.get("configs"));
    }
    if (join(requiredActions) != null) {
      out.set("requiredActions", join(requiredActions));
    }
    if (join(components) != null) {
      out.set("components", readComponents(join(components)));
    }
    if (join(idps) != null) {
      out.set("identityProviders", join(idps));
      out.set("identityProviderMappers", readIdpMappers(join(idps)));
    }
    if (join(defaultGroups) != null) {
      out.set("defaultGroups", Json.array(Json.objects(join(defaultGroups)).stream().map(g -> Json.text(g, "path")).toList()));
    }
    if (join(defaultScopes) != null) {
      out.set("defaultDefaultClientScopes", names(join(defaultScopes)));
    }
    if (join(optionalScopes) != null) {
      out.set("defaultOptionalClientScopes", names(join(optionalScopes)));
    }
    readScopeMappings(out, clientList, join(scopes));
    if (join(organizations) != null) {
      out.set("organizations", join(organizations));
    }
    if (join(localizationTexts) != null) {
      out.set("localizationTexts", join(localizationTexts));
    }
    return out;
  }

  // ---- organizations and localization texts ------------------------------------------------------------------

  /** Organizations with their identity providers (by alias) and members (username, membership type) as declared. */
  private ArrayNode readOrganizations() {
    var organizations = (ArrayNode) paged("/organizations", "briefRepresentation", false);
    var tasks = new ArrayList<Supplier<Void>>();
    for (ObjectNode organization : Json.objects(organizations)) {
      String base = "/organizations/" + Json.text(organization, "id");
      String name = Json.text(organization, "name");
      if (spec.declaresPart(d == null ? null : d.organizations, name, "identityProviders")) {
        tasks.add(() -> {
          organization.set("identityProviders", Json.array().addAll(Json.objects(api.get(base + "/identity-providers"))
              .stream().map(idp -> Representations.only(idp, "alias")).toList()));
          return null;
        });
      }
      if (spec.declaresPart(d == null ? null : d.organizations, name, "members")) {
        tasks.add(() -> {
          organization.set("members", Json.array().addAll(Json.objects(paged(base + "/members")).stream()
              .map(member -> Representations.only(member, "id", "username", "membershipType")).toList()));
          return null;
        });
      }
    }
    all(tasks);
    return organizations;
  }

  /** Per realm-specific locale, its texts. */
  private ObjectNode readLocalizationTexts() {
    var locales = Json.strings(api.get("/localization"));
    var texts = all(locales.stream().<Supplier<JsonNode>>map(locale -> () -> api.get("/localization/"
        + Paths.segment(locale))).toList());
    var out = Json.object();
    for (int i = 0; i < locales.size(); i++) {
      out.set(locales.get(i), texts.get(i));
    }
    return out;
  }

  // ---- clients -----------------------------------------------------------------------------------------------

  /** Flow overrides as aliases (files use aliases), and authorization settings where the file declares them. */
  private ArrayNode withClientParts(JsonNode clientList, JsonNode flows) {
    Map<String, String> aliasById = new HashMap<>();
    if (flows != null) {
      flows.forEach(f -> aliasById.put(Json.text(f, "id"), Json.text(f, "alias")));
    }
    var out = Json.array();
    var authz = new ArrayList<Supplier<Void>>();
    for (ObjectNode client : Json.objects(clientList)) {
      JsonNode overrides = client.get("authenticationFlowBindingOverrides");
      if (overrides != null && overrides.isObject()) {
        var aliases = Json.object();
        overrides.properties().forEach(e -> aliases.put(e.getKey(), aliasById.getOrDefault(e.getValue().asText(),
            e.getValue().asText())));
        client.set("authenticationFlowBindingOverrides", aliases);
      }
      String clientId = Json.text(client, "clientId");
      if (Json.bool(client, "authorizationServicesEnabled")
          && spec.declaresPart(d == null ? null : d.clients, clientId, "authorizationSettings")) {
        authz.add(() -> {
          client.set("authorizationSettings",
              api.get("/clients/" + Json.text(client, "id") + "/authz/resource-server/settings"));
          return null;
        });
      }
      out.add(client);
    }
    all(authz);
    return out;
  }

  private ObjectNode readClientRoles(JsonNode clientList) {
    var tasks = new LinkedHashMap<String, Supplier<JsonNode>>();
    for (JsonNode client : clientList) {
      String clientId = Json.text(client, "clientId");
      if (spec.contains(d == null || d.clientRoles == null ? null : d.clientRoles.keySet(), clientId)) {
        tasks.put(clientId, () -> api.get("/clients/" + Json.text(client, "id") + "/roles", "briefRepresentation", false));
      }
    }
    var out = Json.object();
    var results = all(new ArrayList<>(tasks.values()));
    var names = new ArrayList<>(tasks.keySet());
    for (int i = 0; i < names.size(); i++) {
      out.set(names.get(i), results.get(i));
    }
    return out;
  }

  /** Composites of composite roles the file manages composites of (or all, for export). */
  private void readComposites(ObjectNode roles) {
    var tasks = new ArrayList<Supplier<Void>>();
    for (ObjectNode role : Json.objects(roles.get("realm"))) {
      if (Json.bool(role, "composite") && spec.declaresPart(d == null ? null : d.realmRoles, Json.text(role, "name"),
          "composites", "composite")) {
        tasks.add(() -> composites(role));
      }
    }
    for (var entry : Json.fields(roles.get("client"))) {
      var declared = d == null || d.clientRoles == null ? null : d.clientRoles.get(entry.getKey());
      for (ObjectNode role : Json.objects(entry.getValue())) {
        if (Json.bool(role, "composite") && spec.declaresPart(declared, Json.text(role, "name"), "composites", "composite")) {
          tasks.add(() -> composites(role));
        }
      }
    }
    all(tasks);
  }

  private Void composites(ObjectNode role) {
    var refs = new LinkedHashSet<RoleRef>();
    for (JsonNode composite : api.get("/roles-by-id/" + Json.text(role, "id") + "/composites")) {
      refs.add(roleRef(composite));
    }
    var composites = Json.object();
    RoleRef.write(composites, "realm", "client", refs);
    role.set("composites", composites);
    return null;
  }

  private RoleRef roleRef(JsonNode role) {
    return Json.bool(role, "clientRole")
        ? new RoleRef(clientIdByUuid.getOrDefault(Json.text(role, "containerId"), Json.text(role, "containerId")),
            Json.text(role, "name"))
        : RoleRef.realm(Json.text(role, "name"));
  }

  // ---- groups and users --------------------------------------------------------------------------------------

  /** Walks the group tree level by level, each level's children fetched in parallel. */
  private ArrayNode readGroupTree(ArrayNode top) {
    List<ObjectNode> level = Json.objects(top);
    while (!level.isEmpty()) {
      var tasks = new ArrayList<Supplier<List<ObjectNode>>>();
      for (ObjectNode group : level) {
        if (group.path("subGroupCount").asInt(0) > 0) {
          tasks.add(() -> {
            var children = (ArrayNode) paged("/groups/" + Json.text(group, "id") + "/children", "briefRepresentation", false);
            group.set("subGroups", children);
            return Json.objects(children);
          });
        }
      }
      level = all(tasks).stream().flatMap(List::stream).toList();
    }
    return top;
  }

  private static void flatten(JsonNode groups, Map<String, ObjectNode> out) {
    for (ObjectNode group : Json.objects(groups)) {
      out.put(Json.text(group, "path"), group);
      flatten(group.get("subGroups"), out);
    }
  }

  /** Groups and role mappings of the users whose file entries declare them. */
  private void readMemberships(ArrayNode users, ArrayNode groupTree, JsonNode roleList, String defaultRole) {
    var selected = new ArrayList<ObjectNode>();
    boolean anyGroups = false;
    boolean anyRoles = false;
    boolean anyClientRoles = false;
    for (ObjectNode user : Json.objects(users)) {
      String username = Json.text(user, "username");
      boolean groups = spec.declaresPart(d == null ? null : d.users, username, "groups");
      boolean roles = spec.declaresPart(d == null ? null : d.users, username, "realmRoles", "clientRoles");
      if (groups || roles) {
        selected.add(user);
      }
      anyGroups |= groups;
      anyRoles |= roles;
      anyClientRoles |= spec.declaresPart(d == null ? null : d.users, username, "clientRoles");
    }
    if (selected.isEmpty()) {
      return;
    }
    Map<String, ObjectNode> byId = new HashMap<>();
    selected.forEach(u -> byId.put(Json.text(u, "id"), u));
    if (anyGroups) {
      var groups = new LinkedHashMap<String, ObjectNode>();
      if (groupTree != null) {
        flatten(groupTree, groups);
      }
      if (groupTree != null && groups.size() < selected.size()) {
        selected.forEach(u -> u.set("groups", Json.array()));
        all(groups.values().stream().<Supplier<Void>>map(group -> () -> {
          addMembers(paged("/groups/" + Json.text(group, "id") + "/members", "briefRepresentation", true), byId,
              "groups", Json.text(group, "path"));
          return null;
        }).toList());
      } else {
        all(selected.stream().<Supplier<Void>>map(user -> () -> {
          user.set("groups", Json.array(Json.objects(paged("/users/" + Json.text(user, "id") + "/groups",
              "briefRepresentation", true)).stream().map(g -> Json.text(g, "path")).toList()));
          return null;
        }).toList());
      }
    }
    if (anyRoles) {
      JsonNode realmRoles = anyClientRoles ? null : roleList != null ? roleList
          : pagedBy(spec.clientAndRolePageSize(), "/roles");
      if (realmRoles != null && realmRoles.size() < selected.size()) {
        selected.forEach(u -> u.set("realmRoles", Json.array()));
        // Every user holds the default role and a sync never takes it away, so its members (all the users, the
        // largest read of all) matter only when a file lists it.
        boolean defaultRoleDeclared = spec.anyDeclares(d == null ? null : d.users,
            u -> Json.strings(u.get("realmRoles")).contains(defaultRole));
        all(Json.objects(realmRoles).stream().filter(role -> defaultRoleDeclared
            || !Json.text(role, "name").equals(defaultRole)).<Supplier<Void>>map(role -> () -> {
          addMembers(paged("/roles/" + Paths.segment(Json.text(role, "name")) + "/users", "briefRepresentation", true),
              byId, "realmRoles", Json.text(role, "name"));
          return null;
        }).toList());
      } else {
        all(selected.stream().<Supplier<Void>>map(user -> () -> {
          setRoleMappings(user, api.get("/users/" + Json.text(user, "id") + "/role-mappings"));
          return null;
        }).toList());
      }
    }
  }

  private static void addMembers(JsonNode members, Map<String, ObjectNode> usersById, String field, String value) {
    for (JsonNode member : members) {
      ObjectNode user = usersById.get(Json.text(member, "id"));
      if (user != null) {
        synchronized (user) {
          user.withArray(field).add(value);
        }
      }
    }
  }

  private static void setRoleMappings(ObjectNode user, JsonNode mappings) {
    user.set("realmRoles", Json.array(Json.objects(mappings.get("realmMappings")).stream()
        .map(r -> Json.text(r, "name")).toList()));
    var clientRoles = user.putObject("clientRoles");
    for (var entry : Json.fields(mappings.get("clientMappings"))) {
      clientRoles.set(entry.getKey(), Json.array(Json.objects(entry.getValue().get("mappings")).stream()
          .map(r -> Json.text(r, "name")).toList()));
    }
  }

  /** Service-account users (with their role mappings) of the clients the file lists one for. */
  private ArrayNode readServiceAccounts(JsonNode clientList) {
    var tasks = new ArrayList<Supplier<ObjectNode>>();
    for (JsonNode client : clientList) {
      String clientId = Json.text(client, "clientId");
      if (Json.bool(client, "serviceAccountsEnabled")
          && spec.contains(d == null || d.serviceAccounts == null ? null : d.serviceAccounts.keySet(), clientId)) {
        tasks.add(() -> {
          var user = (ObjectNode) api.get("/clients/" + Json.text(client, "id") + "/service-account-user");
          user.put("serviceAccountClientId", clientId);
          setRoleMappings(user, api.get("/users/" + Json.text(user, "id") + "/role-mappings"));
          return user;
        });
      }
    }
    var out = Json.array();
    all(tasks).forEach(out::add);
    return out;
  }

  // ---- flows -------------------------------------------------------------------------------------------------

  /**
   * All flows in export form (top-level from the list, sub-flows fetched by id) with each execution's id and config
   * id, and the authenticator configs they use.
   */
  private ObjectNode readFlows(JsonNode topLevel) {
    var rowsByFlow = new LinkedHashMap<String, List<JsonNode>>();
    var subFlowIds = new LinkedHashMap<String, String>();
    var topLevelFlows = Json.objects(topLevel).stream()
        .filter(f -> spec.contains(d == null || d.flows == null ? null : d.flows.keySet(), Json.text(f, "alias"))
            || d != null && d.authenticatorConfigs != null)
        .toList();
    var rowLists = all(topLevelFlows.stream().<Supplier<JsonNode>>map(flow -> () ->
        api.get("/authentication/flows/" + Paths.segment(Json.text(flow, "alias")) + "/executions")).toList());
    for (int i = 0; i < topLevelFlows.size(); i++) {
      splitRows(Json.text(topLevelFlows.get(i), "alias"), rowLists.get(i), rowsByFlow, subFlowIds);
    }
    var flows = Json.array();
    topLevelFlows.forEach(flows::add);
    all(subFlowIds.values().stream().<Supplier<JsonNode>>map(id -> () -> api.get("/authentication/flows/" + id)).toList())
        .forEach(flows::add);
    var configIds = new LinkedHashSet<String>();
    for (ObjectNode flow : Json.objects(flows)) {
      attachExecutionIds(flow, rowsByFlow.getOrDefault(Json.text(flow, "alias"), List.of()), configIds);
    }
    var configs = Json.array();
    all(configIds.stream().<Supplier<JsonNode>>map(id -> () -> api.get("/authentication/config/" + id)).toList())
        .forEach(configs::add);
    var out = Json.object();
    out.set("flows", flows);
    out.set("configs", configs);
    return out;
  }

  /**
   * The flow list leaves out some built-in top-level flows (such as {@code saml ecp}) that exports contain: a
   * declared top-level flow missing from it is looked up through its executions, whose parent flow names its id.
   */
  private JsonNode withUnlistedFlows(JsonNode listed) {
    if (d == null || d.flows == null) {
      return listed;
    }
    var known = new HashSet<String>();
    listed.forEach(f -> known.add(Json.text(f, "alias")));
    var unlisted = RealmModel.topLevelFlowAliases(d.flows).stream().filter(a -> !known.contains(a)).toList();
    var found = all(unlisted.stream().<Supplier<JsonNode>>map(alias -> () -> {
      var rows = api.find("/authentication/flows/" + Paths.segment(alias) + "/executions");
      if (rows.isEmpty() || rows.get().isEmpty()) {
        return null;
      }
      String parent = Json.text(api.get("/authentication/executions/" + Json.text(rows.get().get(0), "id")), "parentFlow");
      return parent == null ? null : api.get("/authentication/flows/" + parent);
    }).toList());
    var out = ((ArrayNode) listed).deepCopy();
    found.stream().filter(java.util.Objects::nonNull).forEach(out::add);
    return out;
  }

  /** The executions endpoint lists a whole tree depth-first with levels; this cuts it into each flow's own rows. */
  private static void splitRows(String topAlias, JsonNode rows, Map<String, List<JsonNode>> byFlow,
      Map<String, String> subFlowIds) {
    var stack = new ArrayList<String>();
    stack.add(topAlias);
    for (JsonNode row : rows) {
      int level = row.path("level").asInt();
      while (stack.size() > level + 1) {
        stack.remove(stack.size() - 1);
      }
      byFlow.computeIfAbsent(stack.get(stack.size() - 1), k -> new ArrayList<>()).add(row);
      if (Json.bool(row, "authenticationFlow")) {
        String alias = Json.text(row, "displayName");
        subFlowIds.putIfAbsent(alias, Json.text(row, "flowId"));
        stack.add(alias);
      }
    }
  }

  private static void attachExecutionIds(ObjectNode flow, List<JsonNode> rows, Collection<String> configIds) {
    var unused = new ArrayList<>(rows);
    for (ObjectNode execution : Json.objects(flow.get("authenticationExecutions"))) {
      String flowAlias = Json.text(execution, "flowAlias");
      JsonNode row = unused.stream().filter(r -> flowAlias != null
          ? Json.bool(r, "authenticationFlow") && flowAlias.equals(Json.text(r, "displayName"))
          : !Json.bool(r, "authenticationFlow") && Json.text(execution, "authenticator") != null
              && Json.text(execution, "authenticator").equals(Json.text(r, "providerId"))).findFirst().orElse(null);
      if (row == null) {
        continue;
      }
      unused.remove(row);
      execution.put("id", Json.text(row, "id"));
      String configId = Json.text(row, "authenticationConfig");
      if (configId != null) {
        execution.put("authenticatorConfigId", configId);
        configIds.add(configId);
      }
    }
  }

  // ---- components, identity providers, scope mappings --------------------------------------------------------

  private ObjectNode readComponents(JsonNode components) {
    var out = Json.object();
    var tasks = new ArrayList<Supplier<Void>>();
    for (ObjectNode component : Json.objects(components)) {
      String type = Json.text(component, "providerType");
      out.withArray(type).add(component);
      if (CHILDLESS_COMPONENT_TYPES.contains(type)) {
        continue;
      }
      boolean declared = spec.all() || d.components != null && d.components.containsKey(type)
          && d.components.get(type) != null && d.components.get(type).values().stream()
              .anyMatch(c -> Json.text(c, "name").equals(Json.text(component, "name")) && c.has("subComponents"));
      if (declared) {
        tasks.add(() -> {
          var children = Json.object();
          for (JsonNode child : api.get("/components", "parent", Json.text(component, "id"))) {
            children.withArray(Json.text(child, "providerType")).add(child);
          }
          component.set("subComponents", children);
          return null;
        });
      }
    }
    all(tasks);
    return out;
  }

  private ArrayNode readIdpMappers(JsonNode idps) {
    var aliases = new ArrayList<String>();
    for (JsonNode idp : idps) {
      String alias = Json.text(idp, "alias");
      if (spec.all() || d.identityProviderMappers != null && (d.identityProviderMappers.containsKey(alias)
          || d.identityProviders != null && d.identityProviders.containsKey(alias))) {
        aliases.add(alias);
      }
    }
    var out = Json.array();
    all(aliases.stream().<Supplier<JsonNode>>map(alias -> () ->
        api.get("/identity-provider/instances/" + Paths.segment(alias) + "/mappers")).toList())
        .forEach(mappers -> mappers.forEach(out::add));
    return out;
  }

  /** Realm and client role scope mappings of the clients and client scopes the file lists mappings for. */
  private void readScopeMappings(ObjectNode out, JsonNode clientList, JsonNode scopeList) {
    if (!spec.all() && d.scopeMappings == null) {
      return;
    }
    var owners = new ArrayList<String[]>();
    for (JsonNode client : clientList) {
      String owner = RealmModel.CLIENT_OWNER + Json.text(client, "clientId");
      if (spec.contains(d == null ? null : d.scopeMappings.keySet(), owner)) {
        owners.add(new String[] {"client", Json.text(client, "clientId"), "/clients/" + Json.text(client, "id")});
      }
    }
    for (JsonNode scope : scopeList == null ? Json.array() : scopeList) {
      String owner = RealmModel.SCOPE_OWNER + Json.text(scope, "name");
      if (spec.contains(d == null ? null : d.scopeMappings.keySet(), owner)) {
        owners.add(new String[] {"clientScope", Json.text(scope, "name"), "/client-scopes/" + Json.text(scope, "id")});
      }
    }
    var results = all(owners.stream().<Supplier<JsonNode>>map(o -> () -> api.get(o[2] + "/scope-mappings")).toList());
    var realmMappings = out.putArray("scopeMappings");
    var clientMappings = out.putObject("clientScopeMappings");
    for (int i = 0; i < owners.size(); i++) {
      String[] owner = owners.get(i);
      JsonNode mappings = results.get(i);
      var realmNames = Json.objects(mappings.get("realmMappings")).stream().map(r -> Json.text(r, "name")).toList();
      var entry = Json.object();
      entry.put(owner[0], owner[1]);
      entry.set("roles", Json.array(realmNames));
      realmMappings.add(entry);
      for (var client : Json.fields(mappings.get("clientMappings"))) {
        var clientEntry = Json.object();
        clientEntry.put(owner[0], owner[1]);
        clientEntry.set("roles", Json.array(Json.objects(client.getValue().get("mappings")).stream()
            .map(r -> Json.text(r, "name")).toList()));
        clientMappings.withArray(client.getKey()).add(clientEntry);
      }
    }
  }

  // ---- plumbing ----------------------------------------------------------------------------------------------

  private JsonNode paged(String path, Object... query) {
    return pagedBy(spec.pageSize(), path, query);
  }

  private JsonNode pagedBy(int size, String path, Object... query) {
    var out = Json.array();
    for (int first = 0; ; first += size) {
      var args = new ArrayList<>(List.of(query));
      args.addAll(List.of("first", first, "max", size));
      JsonNode page = api.get(path, args.toArray());
      page.forEach(out::add);
      if (page.size() < size) {
        return out;
      }
    }
  }

  private static ArrayNode names(JsonNode array) {
    return Json.array(Json.objects(array).stream().map(o -> Json.text(o, "name")).toList());
  }

  private static Object anyOf(Object... declared) {
    for (Object value : declared) {
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  private <T> CompletableFuture<T> async(Supplier<T> task) {
    return CompletableFuture.supplyAsync(task, pool);
  }

  /**
   * Runs leaf tasks in parallel and waits. Only the reading thread fans out (tasks never wait on tasks), so the
   * bounded pool cannot deadlock.
   */
  private <T> List<T> all(List<Supplier<T>> tasks) {
    if (tasks.size() == 1) {
      var out = new ArrayList<T>();
      out.add(tasks.get(0).get());
      return out;
    }
    var futures = tasks.stream().map(this::async).toList();
    var out = new ArrayList<T>();
    futures.forEach(f -> out.add(join(f)));
    return out;
  }
}
