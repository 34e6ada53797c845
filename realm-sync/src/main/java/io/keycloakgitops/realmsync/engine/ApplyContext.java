package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a change needs while it runs: the realm's API, the ownership record being updated, and server ids by name —
 * seeded from the live read, extended by creations, and looked up on demand (reads, never writes) otherwise.
 */
public final class ApplyContext {
  private final RealmApi api;
  private final SyncState state;
  private final Map<String, String> ids = new HashMap<>();
  private final Map<RoleRef, ObjectNode> roles = new HashMap<>();
  private ObjectNode realmAttributes;
  private SyncState persistedState;

  /**
   * {@code state} is the record this sync works towards (actions update it); {@code persisted} is what the realm
   * holds now.
   */
  public ApplyContext(RealmApi api, SyncState persisted, SyncState state, JsonNode liveRealmAttributes) {
    this.api = api;
    this.persistedState = persisted.copy();
    this.state = state;
    this.realmAttributes = liveRealmAttributes == null || !liveRealmAttributes.isObject()
        ? Json.object() : (ObjectNode) liveRealmAttributes.deepCopy();
  }

  /** Seeds ids from a live model so that most lookups cost nothing. */
  public ApplyContext seed(RealmModel live) {
    if (live == null) {
      return this;
    }
    seedAll(EntityType.CLIENT, live.clients);
    seedAll(EntityType.CLIENT_SCOPE, live.clientScopes);
    seedAll(EntityType.GROUP, live.groups);
    seedAll(EntityType.USER, live.users);
    seedAll(EntityType.FLOW, live.flows);
    if (live.realmRoles != null) {
      live.realmRoles.forEach((name, role) -> roles.put(RoleRef.realm(name), role));
    }
    if (live.clientRoles != null) {
      live.clientRoles.forEach((client, byName) -> byName.forEach((name, role) -> roles.put(new RoleRef(client, name), role)));
    }
    return this;
  }

  private void seedAll(EntityType type, Map<String, ObjectNode> objects) {
    if (objects != null) {
      objects.forEach((key, node) -> {
        String id = Json.text(node, "id");
        if (id != null) {
          remember(type, key, id);
        }
      });
    }
  }

  public RealmApi api() {
    return api;
  }

  public String realm() {
    return api.realm();
  }

  public SyncState state() {
    return state;
  }

  public boolean stateChanged() {
    return !state.equals(persistedState);
  }

  /**
   * PUTs realm settings. A realm PUT replaces the whole attribute map, so whenever attributes go out they are the
   * full map: what the realm has, the file's attributes, and the current ownership record (which thus rides along
   * with any realm PUT instead of costing a write of its own).
   */
  public void putRealm(ObjectNode fields, ObjectNode desiredAttributes) {
    var body = fields.deepCopy();
    if (desiredAttributes != null || stateChanged()) {
      var attributes = realmAttributes.deepCopy();
      if (desiredAttributes != null) {
        attributes.setAll(desiredAttributes);
      }
      attributes.put(SyncState.ATTRIBUTE, state.encode());
      body.set("attributes", attributes);
    }
    if (body.isEmpty()) {
      return;
    }
    api.put("", body);
    if (body.has("attributes")) {
      realmAttributes = (ObjectNode) body.get("attributes");
      persistedState = state.copy();
    }
  }

  /** Records that the realm was created holding the current ownership record. */
  public void realmCreated(ObjectNode attributes) {
    realmAttributes = attributes.deepCopy();
    persistedState = state.copy();
  }

  public void remember(EntityType type, String key, String id) {
    ids.put(type.label() + "\u0000" + key, id);
  }

  public void forget(EntityType type, String key) {
    ids.remove(type.label() + "\u0000" + key);
  }

  public String clientId(String clientId) {
    return id(EntityType.CLIENT, clientId, () -> first(api.get("/clients", "clientId", clientId, "search", false)));
  }

  public String scopeId(String name) {
    return id(EntityType.CLIENT_SCOPE, name, () -> {
      for (JsonNode scope : api.get("/client-scopes")) {
        if (name.equals(Json.text(scope, "name"))) {
          return Json.text(scope, "id");
        }
      }
      return null;
    });
  }

  public String groupId(String path) {
    return id(EntityType.GROUP, path, () -> api.find("/group-by-path" + Paths.groupPath(path)).map(g -> Json.text(g, "id")).orElse(null));
  }

  public String userId(String username) {
    return id(EntityType.USER, username,
        () -> first(api.get("/users", "username", username, "exact", true, "briefRepresentation", true)));
  }

  public String flowId(String alias) {
    return id(EntityType.FLOW, alias, () -> {
      for (JsonNode flow : api.get("/authentication/flows")) {
        if (alias.equals(Json.text(flow, "alias"))) {
          return Json.text(flow, "id");
        }
      }
      return null;
    });
  }

  public String serviceAccountUserId(String clientId) {
    return id(EntityType.SERVICE_ACCOUNT, clientId,
        () -> Json.text(api.get("/clients/" + clientId(clientId) + "/service-account-user"), "id"));
  }

  /** The role as the role-mapping endpoints want it (id and name). */
  public ObjectNode role(RoleRef ref) {
    ObjectNode role = roles.get(ref);
    if (role == null) {
      Optional<JsonNode> found = ref.isClientRole()
          ? api.find("/clients/" + clientId(ref.clientId()) + "/roles/" + Paths.segment(ref.name()))
          : api.find("/roles/" + Paths.segment(ref.name()));
      role = (ObjectNode) found.orElseThrow(() -> new IllegalStateException("role " + ref + " does not exist"));
      roles.put(ref, role);
    }
    var body = Json.object();
    body.put("id", Json.text(role, "id"));
    body.put("name", Json.text(role, "name"));
    return body;
  }

  private String id(EntityType type, String key, java.util.function.Supplier<String> lookup) {
    String cacheKey = type.label() + "\u0000" + key;
    String id = ids.get(cacheKey);
    if (id == null) {
      id = lookup.get();
      if (id == null) {
        throw new IllegalStateException(type.label() + " \"" + key + "\" does not exist");
      }
      ids.put(cacheKey, id);
    }
    return id;
  }

  private static String first(JsonNode array) {
    return array != null && array.size() > 0 ? Json.text(array.get(0), "id") : null;
  }
}
