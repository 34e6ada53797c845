package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the entity planners share: both models, the policies, the changes and warnings gathered so far, and the
 * ownership record the plan leads to. Actions never hold on to it: what they need is computed here as data, and
 * what they record goes to the apply context's state.
 */
final class PlanContext {
  private final Planner.Input in;
  private final List<Change> changes = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final SyncState target;

  PlanContext(Planner.Input in) {
    this.in = in;
    this.target = in.persisted().copy();
  }

  String realm() {
    return in.desired().name;
  }

  RealmModel desired() {
    return in.desired();
  }

  RealmModel live() {
    return in.live();
  }

  String source() {
    return in.source();
  }

  SecretPolicy secrets() {
    return in.secrets();
  }

  SyncState target() {
    return target;
  }

  List<Change> changes() {
    return changes;
  }

  List<String> warnings() {
    return warnings;
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
    if (BuiltIns.isBuiltIn(realm(), type, key, liveObject)) {
      warnings.add(type + " \"" + key + "\" is built in and is never deleted");
      return false;
    }
    if (!in.policy().deletes(type)) {
      warnings.add(type + " \"" + key + "\" is no longer declared but kept (prune policy " + type + "=no-delete)");
      return false;
    }
    return true;
  }

  /** Plans the deletion of an owned object at {@code path}, and forgets it once deleted. */
  void delete(EntityType type, String key, Phase phase, String path) {
    add(Change.delete(type, key, phase, ctx -> {
      ctx.api().delete(path);
      deleted(ctx, type, key);
    }));
  }

  static void deleted(ApplyContext ctx, EntityType type, String key) {
    ctx.state().forget(type, key);
    ctx.state().forgetHashes(type.label() + "/" + key + "/");
    ctx.forget(type, key);
  }

  List<FieldChange> diff(ObjectNode desiredObject, ObjectNode liveObject, EntityType type, String key,
      Set<String> skip, String... exactMaps) {
    return diff(in.secrets(), desiredObject, liveObject, type, key, skip, exactMaps);
  }

  static List<FieldChange> diff(SecretPolicy secrets, ObjectNode desiredObject, ObjectNode liveObject,
      EntityType type, String key, Set<String> skip, String... exactMaps) {
    return Compare.diff(desiredObject, liveObject,
        new Compare.Rules(skip, Set.of(exactMaps), type.label() + "/" + key), secrets);
  }

  /** Records the hashes of masked secrets once the write that set them went through. */
  static void rememberHashes(ApplyContext ctx, List<FieldChange> fields) {
    for (FieldChange field : fields) {
      if (field.hashKey() != null) {
        ctx.state().rememberHash(field.hashKey(), field.newHash());
      }
    }
  }

  /** Records hashes computed at plan time (see {@link #createdSecretHashes}) once their write went through. */
  static void remember(ApplyContext ctx, Map<String, String> hashes) {
    hashes.forEach(ctx.state()::rememberHash);
  }

  /** Hashes of every secret-looking value of a new object, since Keycloak will mask them from now on. */
  Map<String, String> createdSecretHashes(EntityType type, String key, ObjectNode object) {
    return secretHashes(in.secrets(), type.label() + "/" + key + "/", "", object);
  }

  static Map<String, String> componentSecretHashes(SecretPolicy secrets, String key, ObjectNode component) {
    return secretHashes(secrets, EntityType.COMPONENT.label() + "/" + key + "/", "config.", component.path("config"));
  }

  /** By state key: the secret-looking values under {@code node}, hashed. */
  static Map<String, String> secretHashes(SecretPolicy secrets, String prefix, String path, JsonNode node) {
    var out = new LinkedHashMap<String, String>();
    collectSecrets(secrets, prefix, path, node, out);
    return out;
  }

  private static void collectSecrets(SecretPolicy secrets, String prefix, String path, JsonNode node,
      Map<String, String> out) {
    for (var entry : Json.fields(node)) {
      JsonNode value = entry.getValue();
      String fieldPath = path + entry.getKey();
      if (value.isObject()) {
        collectSecrets(secrets, prefix, fieldPath + ".", value, out);
      } else if (SecretPolicy.sensitiveName(entry.getKey()) && !Representations.masked(value)
          && (value.isValueNode() || value.isArray() && value.size() == 1)) {
        out.put(prefix + fieldPath, secrets.hash(value));
      }
    }
  }

  static Set<String> set(List<String> values) {
    return values == null ? Set.of() : new TreeSet<>(values);
  }

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
