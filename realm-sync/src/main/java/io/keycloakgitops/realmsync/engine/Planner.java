package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Computes the plan that makes a live realm match its file: per object, create what is missing, update only the
 * declared fields that differ, delete what realm-sync owns and the file dropped. Pure: it reads two models and
 * returns changes whose actions run later against the admin API.
 */
public final class Planner {
  static final int REALM_EARLY = 0;
  static final int FLOW_CREATE = 10;
  static final int FLOW_EXECUTIONS = 11;
  static final int SCOPE = 20;
  static final int SCOPE_PARTS = 21;
  static final int REALM_DEFAULT_SCOPES = 22;
  static final int CLIENT = 30;
  static final int CLIENT_PARTS = 31;
  static final int ROLE = 40;
  /** Client roles with realm roles: composites may cross, and one partialImport takes both. */
  static final int CLIENT_ROLE = ROLE;
  static final int COMPOSITES = 42;
  static final int GROUP = 50;
  static final int GROUP_ROLES = 51;
  static final int DEFAULT_GROUPS = 52;
  static final int USER = 60;
  static final int USER_PARTS = 61;
  static final int SERVICE_ACCOUNT = 62;
  static final int IDP = 70;
  static final int IDP_MAPPER = 71;
  static final int REQUIRED_ACTION = 80;
  static final int COMPONENT = 90;
  static final int AUTHORIZATION = 95;
  static final int SCOPE_MAPPING = 96;
  static final int REALM_LATE = 98;
  static final int DELETE_COMPONENT = 100;
  static final int DELETE_IDP_MAPPER = 101;
  static final int DELETE_IDP = 102;
  static final int DELETE_USER = 103;
  static final int DELETE_GROUP = 104;
  static final int DELETE_CLIENT_ROLE = 105;
  static final int DELETE_ROLE = 106;
  static final int DELETE_CLIENT = 107;
  static final int DELETE_SCOPE = 108;
  static final int DELETE_FLOW = 109;

  /** Realm settings that name flows: set after the flows exist, and before flows they unbind are deleted. */
  static final Set<String> FLOW_BINDINGS = Set.of("browserFlow", "registrationFlow", "directGrantFlow",
      "resetCredentialsFlow", "clientAuthenticationFlow", "dockerAuthenticationFlow", "firstBrokerLoginFlow");
  static final String OVERRIDES = "authenticationFlowBindingOverrides";
  static final Set<String> CLIENT_SUBPARTS = Set.of("protocolMappers", "defaultClientScopes", "optionalClientScopes",
      "authorizationSettings");
  static final Set<String> USER_SUBPARTS = Set.of("credentials", "groups", "realmRoles", "clientRoles",
      "federatedIdentities", "clientConsents", "serviceAccountClientId", "socialLinks", "applicationRoles");
  static final Set<String> GROUP_SUBPARTS = Set.of("realmRoles", "clientRoles", "subGroups");
  private static final Set<String> GROUP_BODY_EXCLUDES = Set.of("realmRoles", "clientRoles", "subGroups", "path");
  /** Scopes Keycloak adds to clients by itself (service accounts get service_account). */
  static final Set<String> SERVER_MANAGED_CLIENT_SCOPES = Set.of("service_account");

  /** The file (resolved, ids stripped) and the server as read; {@code live} is null when the realm is missing. */
  public record Input(ObjectNode desiredRep, RealmModel desired, RealmModel live, SyncState persisted,
      PrunePolicy policy, SecretPolicy secrets, String source) {}

  /** The plan and the ownership record it leads to when it succeeds. */
  public record Result(Plan plan, SyncState target) {}

  private final Input in;
  private final String realm;
  private final RealmModel desired;
  private final RealmModel live;
  private final List<Change> changes = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final SyncState target;

  private Planner(Input in) {
    this.in = in;
    this.desired = in.desired();
    this.live = in.live();
    this.realm = desired.name;
    this.target = in.persisted().copy();
  }

  public static Result plan(Input in) {
    return new Planner(in).run();
  }

  private Result run() {
    RealmModel.unsupportedFields(in.desiredRep())
        .forEach(field -> warnings.add("realm field \"" + field + "\" is not managed by realm-sync and is ignored"));
    ownDeclared();
    if (live == null) {
      planRealmCreation();
      return new Result(new Plan(realm, false, changes, warnings), target);
    }
    planRealmSettings();
    new FlowPlanner(this).plan();
    planClientScopes();
    planRealmDefaultScopes();
    planClients();
    planRealmRoles();
    planClientRoles();
    planGroups();
    planDefaultGroups();
    planUsers();
    planServiceAccounts();
    planIdentityProviders();
    planRequiredActions();
    planComponents();
    planScopeMappings();
    return new Result(new Plan(realm, true, changes, warnings), target);
  }

  // ---- shared by the entity planners -------------------------------------------------------------------------

  String realm() {
    return realm;
  }

  RealmModel desired() {
    return desired;
  }

  RealmModel live() {
    return live;
  }

  SecretPolicy secrets() {
    return in.secrets();
  }

  SyncState target() {
    return target;
  }

  void add(Change change) {
    changes.add(change);
  }

  void warn(String warning) {
    warnings.add(warning);
  }

  /**
   * Whether a live object missing from the file may go: owned by this source and by no other, not built in, and
   * its type prunes. An object another source still owns only loses this source's claim.
   */
  boolean mayDelete(EntityType type, String key, JsonNode liveObject) {
    if (!in.persisted().owns(in.source(), type, key)) {
      return false;
    }
    if (in.persisted().ownedByAnother(in.source(), type, key)) {
      target.disown(in.source(), type, key);
      warnings.add(type + " \"" + key + "\" is no longer declared here but another source owns it too: kept");
      return false;
    }
    if (BuiltIns.isBuiltIn(realm, type, key, liveObject)) {
      warnings.add(type + " \"" + key + "\" is built in and is never deleted");
      return false;
    }
    if (!in.policy().deletes(type)) {
      warnings.add(type + " \"" + key + "\" is no longer declared but kept (prune policy " + type + "=no-delete)");
      return false;
    }
    return true;
  }

  void deleted(ApplyContext ctx, EntityType type, String key) {
    ctx.state().forget(type, key);
    ctx.state().forgetHashes(type.label() + "/" + key + "/");
    ctx.forget(type, key);
  }

  List<FieldChange> diff(ObjectNode desiredObject, ObjectNode liveObject, EntityType type, String key,
      Set<String> skip, String... exactMaps) {
    return Compare.diff(desiredObject, liveObject,
        new Compare.Rules(skip, Set.of(exactMaps), type.label() + "/" + key), in.secrets());
  }

  /** Remembers the hashes of masked secrets once the write that set them went through. */
  static void rememberHashes(ApplyContext ctx, List<FieldChange> fields) {
    for (FieldChange field : fields) {
      if (field.hashKey() != null) {
        ctx.state().rememberHash(field.hashKey(), field.newHash());
      }
    }
  }

  /** Remembers hashes of every secret-looking value of a new object, since Keycloak will mask them from now on. */
  void rememberCreatedSecrets(SyncState state, EntityType type, String key, ObjectNode object) {
    rememberSecrets(state, type.label() + "/" + key + "/", "", object);
  }

  private void rememberSecrets(SyncState state, String prefix, String path, JsonNode node) {
    for (var entry : Json.fields(node)) {
      JsonNode value = entry.getValue();
      String fieldPath = path + entry.getKey();
      if (value.isObject()) {
        rememberSecrets(state, prefix, fieldPath + ".", value);
      } else if (SecretPolicy.sensitiveName(entry.getKey()) && !Representations.masked(value)
          && (value.isValueNode() || value.isArray() && value.size() == 1)) {
        state.rememberHash(prefix + fieldPath, in.secrets().hash(value));
      }
    }
  }

  static Set<String> set(List<String> values) {
    return values == null ? Set.of() : new TreeSet<>(values);
  }

  // ---- ownership ---------------------------------------------------------------------------------------------

  /** Every declared object of a prunable type is owned by this source once this sync succeeds; so is an unowned realm. */
  private void ownDeclared() {
    target.claimRealm(in.source());
    own(EntityType.CLIENT_SCOPE, desired.clientScopes);
    own(EntityType.CLIENT, desired.clients);
    own(EntityType.ROLE, desired.realmRoles);
    if (desired.clientRoles != null) {
      desired.clientRoles.forEach((clientId, roles) -> target.own(in.source(), EntityType.CLIENT_ROLE,
          roles == null ? List.of() : roles.keySet().stream().map(r -> clientId + "/" + r).toList()));
    }
    own(EntityType.GROUP, desired.groups);
    own(EntityType.USER, desired.users);
    own(EntityType.IDENTITY_PROVIDER, desired.identityProviders);
    if (desired.flows != null) {
      target.own(in.source(), EntityType.FLOW, FlowPlanner.topLevelAliases(desired.flows));
    }
    if (desired.components != null) {
      desired.components.forEach((type, byKey) -> {
        if (byKey != null) {
          target.own(in.source(), EntityType.COMPONENT, byKey.values().stream().map(c -> Representations.componentKey(type, c)).toList());
        }
      });
    }
  }

  private void own(EntityType type, Map<String, ObjectNode> objects) {
    if (objects != null) {
      target.own(in.source(), type, objects.keySet());
    }
  }

  // ---- realm -------------------------------------------------------------------------------------------------

  /**
   * A new realm is created bare (its settings, without flow bindings: custom flows do not exist yet) so that
   * Keycloak gives it every built-in object; the next pass then creates the declared objects like in any existing
   * realm, in bulk where there are many. Keycloak's full-realm import is not used: a declared collection there
   * replaces the built-ins (declare one client scope, lose profile and email; one key provider, lose the RSA keys).
   */
  private void planRealmCreation() {
    target.markRealmCreated(in.source());
    var rep = desired.settings.deepCopy();
    rep.remove(FLOW_BINDINGS);
    rep.put("realm", realm);
    if (rep.has("smtpServer")) {
      rememberSecrets(target, EntityType.REALM.label() + "/" + realm + "/", "smtpServer.", rep.get("smtpServer"));
    }
    var attributes = rep.with("attributes");
    attributes.put(SyncState.ATTRIBUTE, target.encode());
    changes.add(Change.create(EntityType.REALM, realm, REALM_EARLY, ctx -> {
      ctx.api().createRealm(rep);
      ctx.realmCreated(attributes);
    }));
  }

  void rememberComponentSecrets(SyncState state, String key, ObjectNode component) {
    rememberSecrets(state, EntityType.COMPONENT.label() + "/" + key + "/", "config.", component.path("config"));
  }

  private void planRealmSettings() {
    var fields = diff(withServerNormalisation(desired.settings), live.settings, EntityType.REALM, realm, Set.of());
    var early = fields.stream().filter(f -> !FLOW_BINDINGS.contains(f.field())).toList();
    var late = fields.stream().filter(f -> FLOW_BINDINGS.contains(f.field())).toList();
    if (!early.isEmpty()) {
      var body = realmPatch(early);
      ObjectNode desiredAttributes = early.stream().anyMatch(f -> f.field().equals("attributes"))
          ? (ObjectNode) desired.settings.get("attributes") : null;
      body.remove("attributes");
      changes.add(Change.update(EntityType.REALM, realm, early, REALM_EARLY, ctx -> {
        rememberHashes(ctx, early);
        ctx.putRealm(body, desiredAttributes);
      }));
    }
    if (!late.isEmpty()) {
      var body = realmPatch(late);
      changes.add(Change.update(EntityType.REALM, realm, late, REALM_LATE, ctx -> ctx.putRealm(body, null))
          .withDetail("flow bindings"));
    }
  }

  /** Keycloak keeps an SMTP password only with {@code auth: "true"}: otherwise it is not the file's to compare. */
  private static ObjectNode withServerNormalisation(ObjectNode settings) {
    if (settings.get("smtpServer") instanceof ObjectNode smtp && !"true".equals(Json.text(smtp, "auth"))
        && smtp.has("password")) {
      var copy = settings.deepCopy();
      ((ObjectNode) copy.get("smtpServer")).remove("password");
      return copy;
    }
    return settings;
  }

  /** Realm PUT is a patch of top-level fields: send only those that differ, nested objects merged with live. */
  private ObjectNode realmPatch(List<FieldChange> fields) {
    var body = Json.object();
    for (String field : new LinkedHashSet<>(fields.stream().map(FieldChange::field).toList())) {
      JsonNode value = desired.settings.get(field);
      JsonNode current = live.settings.get(field);
      if (value.isObject() && current != null && current.isObject()) {
        body.set(field, Representations.merged((ObjectNode) current, (ObjectNode) value, Set.of(), Set.of()));
      } else {
        body.set(field, value.deepCopy());
      }
    }
    return body;
  }

  // ---- client scopes -----------------------------------------------------------------------------------------

  private void planClientScopes() {
    if (desired.clientScopes == null) {
      return;
    }
    var liveScopes = orEmpty(live.clientScopes);
    desired.clientScopes.forEach((name, scope) -> {
      ObjectNode current = liveScopes.get(name);
      if (current == null) {
        var body = scope.deepCopy();
        changes.add(Change.create(EntityType.CLIENT_SCOPE, name, SCOPE,
            ctx -> ctx.remember(EntityType.CLIENT_SCOPE, name, ctx.api().post("/client-scopes", body))));
        return;
      }
      var fields = diff(scope, current, EntityType.CLIENT_SCOPE, name, Set.of("protocolMappers"));
      if (!fields.isEmpty()) {
        var body = Representations.merged(current, scope, Set.of("protocolMappers"), Set.of());
        String id = Json.text(current, "id");
        changes.add(Change.update(EntityType.CLIENT_SCOPE, name, fields, SCOPE,
            ctx -> ctx.api().put("/client-scopes/" + id, body)));
      }
      if (scope.has("protocolMappers")) {
        planMappers(EntityType.CLIENT_SCOPE_MAPPER, name, "/client-scopes/" + Json.text(current, "id"),
            scope.get("protocolMappers"), current.get("protocolMappers"), SCOPE_PARTS);
      }
    });
    liveScopes.forEach((name, scope) -> {
      if (!desired.clientScopes.containsKey(name) && mayDelete(EntityType.CLIENT_SCOPE, name, scope)) {
        changes.add(Change.delete(EntityType.CLIENT_SCOPE, name, DELETE_SCOPE, ctx -> {
          ctx.api().delete("/client-scopes/" + Json.text(scope, "id"));
          deleted(ctx, EntityType.CLIENT_SCOPE, name);
        }));
      }
    });
  }

  /** Protocol mappers of a client or client scope: exact by name once declared. */
  private void planMappers(EntityType type, String owner, String ownerPath, JsonNode desiredMappers, JsonNode liveMappers,
      int phase) {
    planNamedParts(type, owner, ownerPath + "/protocol-mappers/models", keyedByName(desiredMappers),
        keyedByName(liveMappers), phase, phase);
  }

  /**
   * Named parts of one object (mappers), exact once declared: POST to {@code base}, PUT and DELETE on
   * {@code base/<id>} (the PUT body carries the id, as these endpoints want).
   */
  private void planNamedParts(EntityType type, String owner, String base, Map<String, ObjectNode> wanted,
      Map<String, ObjectNode> current, int phase, int deletePhase) {
    wanted.forEach((name, part) -> {
      String key = owner + "/" + name;
      ObjectNode existing = current.get(name);
      if (existing == null) {
        var body = part.deepCopy();
        changes.add(Change.create(type, key, phase, ctx -> ctx.api().post(base, body)));
        return;
      }
      var fields = diff(part, existing, type, key, Set.of());
      if (!fields.isEmpty()) {
        var body = Representations.merged(existing, part, Set.of(), Set.of());
        body.put("id", Json.text(existing, "id"));
        changes.add(Change.update(type, key, fields, phase,
            ctx -> ctx.api().put(base + "/" + Json.text(existing, "id"), body)));
      }
    });
    current.forEach((name, part) -> {
      if (!wanted.containsKey(name)) {
        changes.add(Change.delete(type, owner + "/" + name, deletePhase,
            ctx -> ctx.api().delete(base + "/" + Json.text(part, "id"))));
      }
    });
  }

  private void planRealmDefaultScopes() {
    if (desired.defaultDefaultClientScopes == null && desired.defaultOptionalClientScopes == null) {
      return;
    }
    var fields = new ArrayList<FieldChange>();
    var removals = new ArrayList<String[]>();
    var additions = new ArrayList<String[]>();
    scopeSetDiff("defaultDefaultClientScopes", "/default-default-client-scopes/", desired.defaultDefaultClientScopes,
        live.defaultDefaultClientScopes, Set.of(), fields, removals, additions);
    scopeSetDiff("defaultOptionalClientScopes", "/default-optional-client-scopes/",
        desired.defaultOptionalClientScopes, live.defaultOptionalClientScopes, Set.of(), fields, removals, additions);
    if (!fields.isEmpty()) {
      changes.add(Change.update(EntityType.DEFAULT_CLIENT_SCOPES, realm, fields, REALM_DEFAULT_SCOPES,
          ctx -> applyScopeSets(ctx, "", removals, additions)));
    }
  }

  /** Collects the removals and additions (as {endpoint, scope name}) turning {@code current} into {@code wanted}. */
  private static void scopeSetDiff(String field, String endpoint, List<String> wanted, List<String> current,
      Set<String> serverManaged, List<FieldChange> fields, List<String[]> removals, List<String[]> additions) {
    if (wanted == null) {
      return;
    }
    var want = set(wanted);
    var have = new TreeSet<>(set(current));
    have.removeIf(s -> serverManaged.contains(s) && !want.contains(s));
    if (want.equals(have)) {
      return;
    }
    fields.add(new FieldChange(field, Json.array(have), Json.array(want), false));
    have.stream().filter(s -> !want.contains(s)).forEach(s -> removals.add(new String[] {endpoint, s}));
    want.stream().filter(s -> !have.contains(s)).forEach(s -> additions.add(new String[] {endpoint, s}));
  }

  /** Removals first, so that a scope can move from default to optional. */
  private static void applyScopeSets(ApplyContext ctx, String base, List<String[]> removals, List<String[]> additions) {
    for (String[] removal : removals) {
      ctx.api().delete(base + removal[0] + ctx.scopeId(removal[1]));
    }
    for (String[] addition : additions) {
      ctx.api().put(base + addition[0] + ctx.scopeId(addition[1]), Json.object());
    }
  }

  // ---- clients -----------------------------------------------------------------------------------------------

  private void planClients() {
    if (desired.clients == null) {
      return;
    }
    var liveClients = orEmpty(live.clients);
    desired.clients.forEach((clientId, client) -> {
      ObjectNode wanted = withFlowAliases(client);
      ObjectNode current = liveClients.get(clientId);
      if (current == null) {
        planClientCreation(clientId, wanted);
        return;
      }
      String id = Json.text(current, "id");
      var fields = diff(wanted, current, EntityType.CLIENT, clientId, CLIENT_SUBPARTS, OVERRIDES);
      if (!fields.isEmpty()) {
        var body = withRemovedOverrides(Representations.merged(current, wanted, CLIENT_SUBPARTS, Set.of(OVERRIDES)),
            current, wanted);
        changes.add(Change.update(EntityType.CLIENT, clientId, fields, CLIENT, ctx -> {
          ctx.api().put("/clients/" + id, withFlowIds(ctx, body));
          rememberHashes(ctx, fields);
        }));
      }
      if (wanted.has("protocolMappers")) {
        planMappers(EntityType.CLIENT_MAPPER, clientId, "/clients/" + id, wanted.get("protocolMappers"),
            current.get("protocolMappers"), CLIENT_PARTS);
      }
      var scopeFields = new ArrayList<FieldChange>();
      var removals = new ArrayList<String[]>();
      var additions = new ArrayList<String[]>();
      scopeSetDiff("defaultClientScopes", "/default-client-scopes/", stringsOrNull(wanted, "defaultClientScopes"),
          Json.strings(current.get("defaultClientScopes")), SERVER_MANAGED_CLIENT_SCOPES, scopeFields, removals, additions);
      scopeSetDiff("optionalClientScopes", "/optional-client-scopes/", stringsOrNull(wanted, "optionalClientScopes"),
          Json.strings(current.get("optionalClientScopes")), SERVER_MANAGED_CLIENT_SCOPES, scopeFields, removals, additions);
      if (!scopeFields.isEmpty()) {
        changes.add(Change.update(EntityType.CLIENT, clientId, scopeFields, CLIENT_PARTS,
            ctx -> applyScopeSets(ctx, "/clients/" + id, removals, additions)));
      }
      if (wanted.has("authorizationSettings")) {
        new AuthorizationPlanner(this).plan(clientId, id, wanted.get("authorizationSettings"),
            current.get("authorizationSettings"));
      }
    });
    liveClients.forEach((clientId, client) -> {
      if (!desired.clients.containsKey(clientId) && mayDelete(EntityType.CLIENT, clientId, client)) {
        changes.add(Change.delete(EntityType.CLIENT, clientId, DELETE_CLIENT, ctx -> {
          ctx.api().delete("/clients/" + Json.text(client, "id"));
          deleted(ctx, EntityType.CLIENT, clientId);
        }));
      }
    });
  }

  private void planClientCreation(String clientId, ObjectNode client) {
    var body = client.deepCopy();
    if (body.remove("authorizationSettings") instanceof ObjectNode settings) {
      // Policies name roles, groups and users: imported once those exist (the client POST would drop them).
      changes.add(Change.followUp(EntityType.AUTHORIZATION, clientId, AUTHORIZATION, ctx -> ctx.api().post(
          "/clients/" + ctx.clientId(clientId) + "/authz/resource-server/import", settings)));
    }
    var change = Change.create(EntityType.CLIENT, clientId, CLIENT, ctx -> {
      String id = ctx.api().post("/clients", withFlowIds(ctx, body));
      ctx.remember(EntityType.CLIENT, clientId, id);
    });
    boolean bulkable = !Json.bool(client, "serviceAccountsEnabled") && !client.has("authorizationSettings")
        && Json.isEmpty(client.get("authenticationFlowBindingOverrides"));
    // partialImport does not create service-account users, so such clients go one by one.
    changes.add(bulkable ? change.withBulk(new Change.BulkItem("clients", null, body)) : change);
  }

  /**
   * Flow overrides are exact once declared; Keycloak keeps an override the body leaves out and removes one sent
   * empty, so dropped bindings go out as "".
   */
  private static ObjectNode withRemovedOverrides(ObjectNode body, ObjectNode current, ObjectNode wanted) {
    if (wanted.has(OVERRIDES) && current.get(OVERRIDES) instanceof ObjectNode live) {
      var overrides = body.with(OVERRIDES);
      live.properties().forEach(e -> {
        if (!wanted.get(OVERRIDES).has(e.getKey())) {
          overrides.put(e.getKey(), "");
        }
      });
    }
    return body;
  }

  /** Files name override flows by alias; ids of live flows are accepted too. */
  private ObjectNode withFlowAliases(ObjectNode client) {
    JsonNode overrides = client.get(OVERRIDES);
    if (overrides == null || !overrides.isObject() || live.flows == null) {
      return client;
    }
    Map<String, String> aliasById = new HashMap<>();
    live.flows.forEach((alias, flow) -> aliasById.put(Json.text(flow, "id"), alias));
    var copy = client.deepCopy();
    var translated = copy.putObject("authenticationFlowBindingOverrides");
    overrides.properties().forEach(e -> translated.put(e.getKey(),
        aliasById.getOrDefault(e.getValue().asText(), e.getValue().asText())));
    return copy;
  }

  private static ObjectNode withFlowIds(ApplyContext ctx, ObjectNode client) {
    JsonNode overrides = client.get(OVERRIDES);
    if (overrides == null || !overrides.isObject() || overrides.isEmpty()) {
      return client;
    }
    var body = client.deepCopy();
    var ids = body.putObject(OVERRIDES);
    overrides.properties().forEach(e -> ids.put(e.getKey(),
        e.getValue().asText().isEmpty() ? "" : ctx.flowId(e.getValue().asText())));
    return body;
  }

  private static List<String> stringsOrNull(JsonNode node, String field) {
    return node.has(field) ? Json.strings(node.get(field)) : null;
  }

  // ---- roles -------------------------------------------------------------------------------------------------

  private void planRealmRoles() {
    if (desired.realmRoles == null) {
      return;
    }
    planRoles(EntityType.ROLE, null, desired.realmRoles, orEmpty(live.realmRoles), ROLE, DELETE_ROLE);
  }

  private void planClientRoles() {
    if (desired.clientRoles == null) {
      return;
    }
    var liveByClient = live.clientRoles == null ? Map.<String, Map<String, ObjectNode>>of() : live.clientRoles;
    desired.clientRoles.forEach((clientId, roles) -> planRoles(EntityType.CLIENT_ROLE, clientId,
        roles == null ? Map.of() : roles, orEmpty(liveByClient.get(clientId)), CLIENT_ROLE, DELETE_CLIENT_ROLE));
  }

  private void planRoles(EntityType type, String clientId, Map<String, ObjectNode> wanted,
      Map<String, ObjectNode> current, int phase, int deletePhase) {
    wanted.forEach((name, role) -> {
      String key = clientId == null ? name : clientId + "/" + name;
      Set<RoleRef> composites = declaredComposites(role);
      ObjectNode existing = current.get(name);
      if (existing == null) {
        var body = Json.without(role, List.of("composites", "composite"));
        if (clientId != null && BuiltIns.SERVER_MADE_CLIENT_ROLES.contains(name)) {
          changes.add(Change.create(type, key, phase, ctx -> createOrUpdateServerMadeRole(ctx, clientId, name, body)));
        } else {
          var change = Change.create(type, key, phase, ctx -> ctx.api().post(rolesPath(ctx, clientId), body));
          changes.add(change.withBulk(new Change.BulkItem(clientId == null ? "realmRoles" : "clientRoles", clientId,
              role.deepCopy())));
        }
        if (composites != null && !composites.isEmpty()) {
          var diff = RoleDiff.of(composites, Set.of(), Set.of());
          changes.add(Change.followUp(type, key, COMPOSITES,
              ctx -> diff.applyComposites(ctx, "/roles-by-id/" + ctx.role(new RoleRef(clientId, name)).get("id").asText()
                  + "/composites")));
        }
        return;
      }
      String id = Json.text(existing, "id");
      var fields = diff(role, existing, type, key, Set.of("composites", "name"), "attributes");
      if (!fields.isEmpty()) {
        var body = Representations.merged(existing, role, Set.of("composites", "composite"), Set.of("attributes"));
        changes.add(Change.update(type, key, fields, phase, ctx -> ctx.api().put("/roles-by-id/" + id, body)));
      }
      if (composites != null) {
        Set<RoleRef> liveComposites = RoleRef.read(existing.get("composites"), "realm", "client");
        var diff = RoleDiff.of(composites, liveComposites, Set.of());
        if (!diff.isEmpty()) {
          changes.add(Change.update(type, key, List.of(diff.asFieldChange("composites", liveComposites)), COMPOSITES,
              ctx -> diff.applyComposites(ctx, "/roles-by-id/" + id + "/composites")));
        }
      }
    });
    current.forEach((name, role) -> {
      String key = clientId == null ? name : clientId + "/" + name;
      if (!wanted.containsKey(name) && mayDelete(type, key, role)) {
        changes.add(Change.delete(type, key, deletePhase, ctx -> {
          ctx.api().delete("/roles-by-id/" + Json.text(role, "id"));
          deleted(ctx, type, key);
        }));
      }
    });
  }

  /** A role Keycloak may have made with its client (uma_protection, with authorization services) is updated. */
  private static void createOrUpdateServerMadeRole(ApplyContext ctx, String clientId, String name, ObjectNode body) {
    String path = rolesPath(ctx, clientId);
    if (ctx.api().find(path + "/" + Paths.segment(name)).isPresent()) {
      ctx.api().put(path + "/" + Paths.segment(name), body);
    } else {
      ctx.api().post(path, body);
    }
  }

  private static String rolesPath(ApplyContext ctx, String clientId) {
    return clientId == null ? "/roles" : "/clients/" + ctx.clientId(clientId) + "/roles";
  }

  /** Composites are managed when listed, or when the role says it is not composite (then: none). */
  private static Set<RoleRef> declaredComposites(JsonNode role) {
    if (role.has("composites")) {
      return RoleRef.read(role.get("composites"), "realm", "client");
    }
    if (role.has("composite") && !role.get("composite").asBoolean()) {
      return Set.of();
    }
    return null;
  }

  // ---- groups ------------------------------------------------------------------------------------------------

  private void planGroups() {
    if (desired.groups == null) {
      return;
    }
    var liveGroups = orEmpty(live.groups);
    desired.groups.forEach((path, group) -> {
      ObjectNode current = liveGroups.get(path);
      if (current == null) {
        String parent = parentPath(path);
        // A new parent creates its new children; a parent the file does not list here exists (incremental plans).
        if (parent.isEmpty() || liveGroups.containsKey(parent) || !desired.groups.containsKey(parent)) {
          planGroupTreeCreation(path, parent);
        }
        return;
      }
      String id = Json.text(current, "id");
      var fields = diff(group, current, EntityType.GROUP, path, GROUP_SUBPARTS, "attributes");
      if (!fields.isEmpty()) {
        var body = Representations.merged(Representations.only(current, "id", "name", "attributes"), group,
            GROUP_BODY_EXCLUDES, Set.of("attributes"));
        changes.add(Change.update(EntityType.GROUP, path, fields, GROUP, ctx -> ctx.api().put("/groups/" + id, body)));
      }
      Set<RoleRef> roles = declaredRoles(group);
      if (roles != null) {
        Set<RoleRef> liveRoles = managedOnly(RoleRef.read(current, "realmRoles", "clientRoles"), group);
        var diff = RoleDiff.of(roles, liveRoles, Set.of());
        if (!diff.isEmpty()) {
          changes.add(Change.update(EntityType.GROUP, path, List.of(diff.asFieldChange("roles", liveRoles)),
              GROUP_ROLES, ctx -> diff.applyMappings(ctx, "/groups/" + id + "/role-mappings")));
        }
      }
    });
    liveGroups.forEach((path, group) -> {
      if (!desired.groups.containsKey(path) && mayDelete(EntityType.GROUP, path, group)) {
        // Deleting a parent deletes its children; their own deletes then find nothing, which counts as done.
        changes.add(Change.delete(EntityType.GROUP, path, DELETE_GROUP, ctx -> {
          ctx.api().delete("/groups/" + Json.text(group, "id"));
          deleted(ctx, EntityType.GROUP, path);
        }));
      }
    });
  }

  /**
   * A new group with all its new descendants, as one change: created top-down, then role mappings. A new top-level
   * tree can also go into a partialImport (which only takes top-level groups, with their paths).
   */
  private void planGroupTreeCreation(String path, String parent) {
    List<String> tree = desired.groups.keySet().stream()
        .filter(p -> p.equals(path) || p.startsWith(path + "/")).toList();
    var change = Change.create(EntityType.GROUP, path, GROUP, ctx -> {
      for (String member : tree) {
        String memberParent = parentPath(member);
        String endpoint = memberParent.isEmpty() ? "/groups" : "/groups/" + ctx.groupId(memberParent) + "/children";
        ctx.remember(EntityType.GROUP, member, ctx.api().post(endpoint,
            Representations.only(desired.groups.get(member), "name", "attributes")));
      }
    });
    if (tree.size() > 1) {
      change = change.withDetail("with " + (tree.size() - 1) + " subgroup" + (tree.size() > 2 ? "s" : ""));
    }
    changes.add(parent.isEmpty() ? change.withBulk(new Change.BulkItem("groups", null, nestedGroup(path))) : change);
    for (String member : tree) {
      Set<RoleRef> roles = declaredRoles(desired.groups.get(member));
      if (roles != null && !roles.isEmpty()) {
        var diff = RoleDiff.of(roles, Set.of(), Set.of());
        changes.add(Change.followUp(EntityType.GROUP, path, GROUP_ROLES,
            ctx -> diff.applyMappings(ctx, "/groups/" + ctx.groupId(member) + "/role-mappings")));
      }
    }
  }

  /** The export shape of a group and its declared descendants, with the paths partialImport needs. */
  private ObjectNode nestedGroup(String path) {
    var node = Json.without(desired.groups.get(path), List.of("subGroups"));
    node.put("path", path);
    var children = node.putArray("subGroups");
    desired.groups.keySet().stream().filter(p -> parentPath(p).equals(path)).forEach(p -> children.add(nestedGroup(p)));
    return node;
  }

  private static String parentPath(String path) {
    return path.substring(0, path.lastIndexOf('/'));
  }

  /**
   * The roles an object declares: {@code realmRoles} and {@code clientRoles} are managed independently, each
   * only when declared. Null when neither is.
   */
  static Set<RoleRef> declaredRoles(JsonNode object) {
    if (!object.has("realmRoles") && !object.has("clientRoles")) {
      return null;
    }
    return RoleRef.read(object, "realmRoles", "clientRoles");
  }

  /** Live roles restricted to the kinds (realm, client) the file declares for that object. */
  static Set<RoleRef> managedOnly(Set<RoleRef> live, JsonNode declared) {
    boolean realmRoles = declared.has("realmRoles");
    boolean clientRoles = declared.has("clientRoles");
    var out = new TreeSet<RoleRef>();
    live.stream().filter(r -> r.isClientRole() ? clientRoles : realmRoles).forEach(out::add);
    return out;
  }

  private void planDefaultGroups() {
    if (desired.defaultGroups == null) {
      return;
    }
    var want = set(desired.defaultGroups);
    var have = set(live.defaultGroups);
    if (want.equals(have)) {
      return;
    }
    changes.add(Change.update(EntityType.DEFAULT_GROUPS, realm,
        List.of(new FieldChange("defaultGroups", Json.array(have), Json.array(want), false)), DEFAULT_GROUPS, ctx -> {
          for (String path : have) {
            if (!want.contains(path)) {
              ctx.api().delete("/default-groups/" + ctx.groupId(path));
            }
          }
          for (String path : want) {
            if (!have.contains(path)) {
              ctx.api().put("/default-groups/" + ctx.groupId(path), Json.object());
            }
          }
        }));
  }

  // ---- users -------------------------------------------------------------------------------------------------

  private void planUsers() {
    if (desired.users == null) {
      return;
    }
    var liveUsers = orEmpty(live.users);
    RoleRef defaultRole = RoleRef.realm(BuiltIns.defaultRoleName(realm));
    desired.users.forEach((username, user) -> {
      ObjectNode current = liveUsers.get(username);
      Set<RoleRef> roles = declaredRoles(user);
      if (current == null) {
        planUserCreation(username, user, roles, defaultRole);
        return;
      }
      String id = Json.text(current, "id");
      var fields = diff(user, current, EntityType.USER, username, USER_SUBPARTS);
      if (!fields.isEmpty()) {
        var body = Representations.merged(current, user, USER_SUBPARTS, Set.of());
        changes.add(Change.update(EntityType.USER, username, fields, USER, ctx -> ctx.api().put("/users/" + id, body)));
      }
      if (user.has("groups")) {
        var want = set(Json.strings(user.get("groups")));
        var have = new TreeSet<>(set(Json.strings(current.get("groups"))));
        // Keycloak puts every new user in the realm's default groups: those memberships are not the file's to remove.
        have.removeIf(g -> !want.contains(g) && set(live.defaultGroups).contains(g));
        if (!want.equals(have)) {
          changes.add(Change.update(EntityType.USER, username,
              List.of(new FieldChange("groups", Json.array(have), Json.array(want), false)), USER_PARTS, ctx -> {
                for (String path : have) {
                  if (!want.contains(path)) {
                    ctx.api().delete("/users/" + id + "/groups/" + ctx.groupId(path));
                  }
                }
                for (String path : want) {
                  if (!have.contains(path)) {
                    ctx.api().put("/users/" + id + "/groups/" + ctx.groupId(path), Json.object());
                  }
                }
              }));
        }
      }
      if (roles != null) {
        Set<RoleRef> liveRoles = managedOnly(RoleRef.read(current, "realmRoles", "clientRoles"), user);
        var diff = RoleDiff.of(roles, liveRoles, Set.of(defaultRole));
        if (!diff.isEmpty()) {
          changes.add(Change.update(EntityType.USER, username, List.of(diff.asFieldChange("roles", liveRoles)),
              USER_PARTS, ctx -> diff.applyMappings(ctx, "/users/" + id + "/role-mappings")));
        }
      }
    });
    liveUsers.forEach((username, user) -> {
      if (!desired.users.containsKey(username) && mayDelete(EntityType.USER, username, user)) {
        changes.add(Change.delete(EntityType.USER, username, DELETE_USER, ctx -> {
          ctx.api().delete("/users/" + Json.text(user, "id"));
          deleted(ctx, EntityType.USER, username);
        }));
      }
    });
  }

  /**
   * One POST (which takes groups and credentials but not roles, and grants the default role), then the roles. In
   * bulk the import takes everything, and gets the default role listed so both paths agree.
   */
  private void planUserCreation(String username, ObjectNode user, Set<RoleRef> roles, RoleRef defaultRole) {
    var body = Json.without(user, List.of("realmRoles", "clientRoles"));
    var change = Change.create(EntityType.USER, username, USER,
        ctx -> ctx.remember(EntityType.USER, username, ctx.api().post("/users", body)));
    var bulkRep = user.deepCopy();
    var realmRoles = bulkRep.withArray("realmRoles");
    if (!Json.strings(realmRoles).contains(defaultRole.name())) {
      realmRoles.add(defaultRole.name());
    }
    changes.add(change.withBulk(new Change.BulkItem("users", null, bulkRep)));
    if (roles != null) {
      var diff = RoleDiff.of(roles, Set.of(defaultRole), Set.of(defaultRole));
      if (!diff.isEmpty()) {
        changes.add(Change.followUp(EntityType.USER, username, USER_PARTS,
            ctx -> diff.applyMappings(ctx, "/users/" + ctx.userId(username) + "/role-mappings")));
      }
    }
  }

  /** Service-account users come with their client: only their role mappings are managed. */
  private void planServiceAccounts() {
    if (desired.serviceAccounts == null) {
      return;
    }
    var liveAccounts = orEmpty(live.serviceAccounts);
    RoleRef defaultRole = RoleRef.realm(BuiltIns.defaultRoleName(realm));
    desired.serviceAccounts.forEach((clientId, user) -> {
      Set<RoleRef> roles = declaredRoles(user);
      if (roles == null) {
        return;
      }
      ObjectNode current = liveAccounts.get(clientId);
      Set<RoleRef> liveRoles = current == null ? Set.of(defaultRole)
          : managedOnly(RoleRef.read(current, "realmRoles", "clientRoles"), user);
      // Authorization services give the client's service account uma_protection by themselves.
      var diff = RoleDiff.of(roles, liveRoles, Set.of(defaultRole, new RoleRef(clientId, "uma_protection")));
      if (!diff.isEmpty()) {
        changes.add(Change.update(EntityType.SERVICE_ACCOUNT, clientId, List.of(diff.asFieldChange("roles", liveRoles)),
            SERVICE_ACCOUNT,
            ctx -> diff.applyMappings(ctx, "/users/" + ctx.serviceAccountUserId(clientId) + "/role-mappings")));
      }
    });
  }

  // ---- identity providers ------------------------------------------------------------------------------------

  private void planIdentityProviders() {
    if (desired.identityProviders != null) {
      var liveIdps = orEmpty(live.identityProviders);
      desired.identityProviders.forEach((alias, idp) -> {
        ObjectNode current = liveIdps.get(alias);
        if (current == null) {
          var body = idp.deepCopy();
          rememberCreatedSecrets(target, EntityType.IDENTITY_PROVIDER, alias, idp);
          changes.add(Change.create(EntityType.IDENTITY_PROVIDER, alias, IDP,
              ctx -> ctx.api().post("/identity-provider/instances", body)));
          return;
        }
        var fields = diff(idp, current, EntityType.IDENTITY_PROVIDER, alias, Set.of());
        if (!fields.isEmpty()) {
          var body = Representations.merged(current, idp, Set.of(), Set.of());
          changes.add(Change.update(EntityType.IDENTITY_PROVIDER, alias, fields, IDP, ctx -> {
            ctx.api().put("/identity-provider/instances/" + Paths.segment(alias), body);
            rememberHashes(ctx, fields);
          }));
        }
      });
      liveIdps.forEach((alias, idp) -> {
        if (!desired.identityProviders.containsKey(alias) && mayDelete(EntityType.IDENTITY_PROVIDER, alias, idp)) {
          changes.add(Change.delete(EntityType.IDENTITY_PROVIDER, alias, DELETE_IDP, ctx -> {
            ctx.api().delete("/identity-provider/instances/" + Paths.segment(alias));
            deleted(ctx, EntityType.IDENTITY_PROVIDER, alias);
          }));
        }
      });
    }
    planIdentityProviderMappers();
  }

  /** Mappers are exact per provider, for the providers the file declares or lists mappers for. */
  private void planIdentityProviderMappers() {
    if (desired.identityProviderMappers == null) {
      return;
    }
    var aliases = new LinkedHashSet<String>(desired.identityProviderMappers.keySet());
    if (desired.identityProviders != null) {
      aliases.addAll(desired.identityProviders.keySet());
    }
    var liveMappers = live.identityProviderMappers == null
        ? Map.<String, Map<String, ObjectNode>>of() : live.identityProviderMappers;
    for (String alias : aliases) {
      planNamedParts(EntityType.IDENTITY_PROVIDER_MAPPER, alias,
          "/identity-provider/instances/" + Paths.segment(alias) + "/mappers",
          desired.identityProviderMappers.getOrDefault(alias, Map.of()), orEmpty(liveMappers.get(alias)), IDP_MAPPER,
          DELETE_IDP_MAPPER);
    }
  }

  // ---- required actions --------------------------------------------------------------------------------------

  private void planRequiredActions() {
    if (desired.requiredActions == null) {
      return;
    }
    var current = orEmpty(live.requiredActions);
    desired.requiredActions.forEach((alias, action) -> {
      ObjectNode existing = current.get(alias);
      String path = "/authentication/required-actions/" + Paths.segment(alias);
      if (existing == null) {
        var registration = Json.object();
        registration.put("providerId", Json.text(action, "providerId") == null ? alias : Json.text(action, "providerId"));
        registration.put("name", Json.text(action, "name") == null ? alias : Json.text(action, "name"));
        var body = Representations.merged(null, action, Set.of(), Set.of());
        changes.add(Change.create(EntityType.REQUIRED_ACTION, alias, REQUIRED_ACTION, ctx -> {
          ctx.api().post("/authentication/register-required-action", registration);
          var registered = (ObjectNode) ctx.api().get(path);
          ctx.api().put(path, Representations.merged(registered, body, Set.of(), Set.of()));
        }));
        return;
      }
      var fields = diff(action, existing, EntityType.REQUIRED_ACTION, alias, Set.of());
      if (!fields.isEmpty()) {
        var body = Representations.merged(existing, action, Set.of(), Set.of());
        changes.add(Change.update(EntityType.REQUIRED_ACTION, alias, fields, REQUIRED_ACTION, ctx -> ctx.api().put(path, body)));
      }
    });
  }

  // ---- components --------------------------------------------------------------------------------------------

  private void planComponents() {
    if (desired.components == null) {
      return;
    }
    var liveComponents = live.components == null ? Map.<String, Map<String, ObjectNode>>of() : live.components;
    String realmId = live.id;
    desired.components.forEach((providerType, byName) -> {
      var current = byComponentKey(providerType, liveComponents.get(providerType));
      var wanted = byComponentKey(providerType, byName);
      wanted.forEach((key, component) -> {
        ObjectNode existing = current.get(key);
        if (existing == null) {
          rememberComponentSecrets(target, key, component);
          var body = Json.without(component, List.of("subComponents"));
          body.put("providerType", providerType);
          JsonNode subComponents = component.get("subComponents");
          changes.add(Change.create(EntityType.COMPONENT, key, COMPONENT, ctx -> {
            body.put("parentId", realmId);
            String id = ctx.api().post("/components", body);
            if (subComponents != null) {
              // Providers such as LDAP create default sub-components: read them, then converge.
              var created = SubComponents.read(ctx.api(), id);
              SubComponents.converge(ctx, this, key, id, subComponents, created);
            }
          }));
          return;
        }
        String id = Json.text(existing, "id");
        var fields = diff(component, existing, EntityType.COMPONENT, key, Set.of("subComponents", "providerType"));
        if (!fields.isEmpty()) {
          var body = Representations.merged(existing, component, Set.of("subComponents"), Set.of());
          body.put("providerType", providerType);
          changes.add(Change.update(EntityType.COMPONENT, key, fields, COMPONENT, ctx -> {
            ctx.api().put("/components/" + id, body);
            rememberHashes(ctx, fields);
          }));
        }
        if (component.has("subComponents")) {
          SubComponents.plan(this, key, id, component.get("subComponents"), existing.get("subComponents"));
        }
      });
      current.forEach((key, component) -> {
        if (!wanted.containsKey(key) && mayDelete(EntityType.COMPONENT, key, component)) {
          changes.add(Change.delete(EntityType.COMPONENT, key, DELETE_COMPONENT, ctx -> {
            ctx.api().delete("/components/" + Json.text(component, "id"));
            deleted(ctx, EntityType.COMPONENT, key);
          }));
        }
      });
    });
  }

  static Map<String, ObjectNode> byComponentKey(String providerType, Map<String, ObjectNode> byName) {
    var out = new LinkedHashMap<String, ObjectNode>();
    if (byName != null) {
      byName.values().forEach(c -> out.put(Representations.componentKey(providerType, c), c));
    }
    return out;
  }

  // ---- scope mappings ----------------------------------------------------------------------------------------

  private void planScopeMappings() {
    if (desired.scopeMappings == null) {
      return;
    }
    var liveMappings = live.scopeMappings == null ? Map.<String, Set<RoleRef>>of() : live.scopeMappings;
    desired.scopeMappings.forEach((owner, roles) -> {
      Set<RoleRef> current = liveMappings.getOrDefault(owner, Set.of());
      var diff = RoleDiff.of(roles, current, Set.of());
      if (diff.isEmpty()) {
        return;
      }
      changes.add(Change.update(EntityType.SCOPE_MAPPING, owner, List.of(diff.asFieldChange("roles", current)),
          SCOPE_MAPPING, ctx -> diff.applyMappings(ctx, scopeMappingBase(ctx, owner))));
    });
  }

  private static String scopeMappingBase(ApplyContext ctx, String owner) {
    return owner.startsWith(RealmModel.CLIENT_OWNER)
        ? "/clients/" + ctx.clientId(owner.substring(RealmModel.CLIENT_OWNER.length())) + "/scope-mappings"
        : "/client-scopes/" + ctx.scopeId(owner.substring(RealmModel.SCOPE_OWNER.length())) + "/scope-mappings";
  }

  // ---- helpers -----------------------------------------------------------------------------------------------

  static <V> Map<String, V> orEmpty(Map<String, V> map) {
    return map == null ? Map.of() : map;
  }

  static Map<String, ObjectNode> keyedByName(JsonNode array) {
    var out = new LinkedHashMap<String, ObjectNode>();
    for (ObjectNode item : Json.objects(array)) {
      String name = Json.text(item, "name");
      if (name != null) {
        out.put(name, item);
      }
    }
    return out;
  }
}
