package io.keycloakgitops.realmsync.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keycloakgitops.realmsync.engine.EntityType;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.engine.RealmModel;
import io.keycloakgitops.realmsync.engine.Representations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Several files describing one realm: the realm's own file plus fragments ({@code "realm": "acme"} and object
 * collections) that add objects to it. This lists what each file declares — for tenancy grants, conflicts and the
 * per-fragment ownership record — and merges the files into one realm representation.
 */
public final class Fragments {
  public static final String REALM = "realm";
  public static final String CLIENT = EntityType.CLIENT.label();
  public static final String CLIENT_ROLE = EntityType.CLIENT_ROLE.label();
  public static final String ROLE = EntityType.ROLE.label();
  public static final String GROUP = EntityType.GROUP.label();
  public static final String USER = EntityType.USER.label();
  public static final String IDENTITY_PROVIDER = EntityType.IDENTITY_PROVIDER.label();
  public static final String IDENTITY_PROVIDER_MAPPER = EntityType.IDENTITY_PROVIDER_MAPPER.label();
  public static final String CLIENT_SCOPE = EntityType.CLIENT_SCOPE.label();
  public static final String FLOW = EntityType.FLOW.label();
  public static final String AUTHENTICATOR_CONFIG = EntityType.AUTHENTICATOR_CONFIG.label();
  public static final String REQUIRED_ACTION = EntityType.REQUIRED_ACTION.label();
  public static final String COMPONENT = EntityType.COMPONENT.label();
  public static final String SCOPE_MAPPING = EntityType.SCOPE_MAPPING.label();
  public static final String ORGANIZATION = EntityType.ORGANIZATION.label();
  public static final String LOCALIZATION_TEXTS = EntityType.LOCALIZATION_TEXTS.label();

  /** Top-level arrays whose items are appended when merging. */
  private static final Set<String> ARRAYS = Set.of("clients", "clientScopes", "users", "groups", "identityProviders",
      "identityProviderMappers", "authenticationFlows", "authenticatorConfig", "requiredActions", "scopeMappings",
      "organizations");
  /** Top-level maps of arrays ({@code roles.client}, components by type, client scope mappings by client). */
  private static final Set<String> MAPS_OF_ARRAYS = Set.of("components", "clientScopeMappings");
  /** Top-level maps whose entries are added when merging (localization texts by locale). */
  private static final Set<String> MAPS = Set.of("localizationTexts");

  private Fragments() {}

  /**
   * One object a file declares. {@code kind} is what tenancy grants name; {@code name} what their {@code names}
   * patterns match (clientId, top-level group name, role name, ...); {@code key} identifies it within its kind;
   * {@code owned} is the ownership record's key when the kind is pruned (null otherwise).
   */
  public record Declared(String kind, String name, String key, String owned) {
    @Override
    public String toString() {
      return kind + " \"" + key + "\"";
    }
  }

  /** Every object {@code rep} declares, realm settings as kind {@code realm} one per field. */
  public static List<Declared> declared(ObjectNode rep) {
    var out = new ArrayList<Declared>();
    RealmModel model = RealmModel.of(rep.deepCopy());
    model.settings.fieldNames().forEachRemaining(f -> out.add(new Declared(REALM, f, f, null)));
    for (String list : List.of("defaultGroups", "defaultDefaultClientScopes", "defaultOptionalClientScopes", "defaultRole")) {
      if (rep.has(list)) {
        out.add(new Declared(REALM, list, list, null));
      }
    }
    named(out, CLIENT_SCOPE, model.clientScopes, true);
    named(out, CLIENT, model.clients, true);
    named(out, ROLE, model.realmRoles, true);
    if (model.clientRoles != null) {
      model.clientRoles.forEach((clientId, roles) -> {
        if (roles != null) {
          roles.keySet().forEach(r -> out.add(new Declared(CLIENT_ROLE, clientId, clientId + "/" + r, clientId + "/" + r)));
        }
      });
    }
    if (model.groups != null) {
      model.groups.keySet().forEach(path -> out.add(new Declared(GROUP, path.substring(1).split("/", 2)[0], path, path)));
    }
    named(out, USER, model.users, true);
    if (model.serviceAccounts != null) {
      model.serviceAccounts.keySet().forEach(c -> out.add(new Declared(CLIENT, c, "service-account/" + c, null)));
    }
    named(out, IDENTITY_PROVIDER, model.identityProviders, true);
    if (model.identityProviderMappers != null) {
      model.identityProviderMappers.forEach((alias, mappers) -> mappers.keySet()
          .forEach(m -> out.add(new Declared(IDENTITY_PROVIDER_MAPPER, alias, alias + "/" + m, null))));
    }
    named(out, FLOW, model.flows, true);
    named(out, AUTHENTICATOR_CONFIG, model.authenticatorConfigs, false);
    named(out, REQUIRED_ACTION, model.requiredActions, false);
    if (model.components != null) {
      model.components.forEach((type, byKey) -> byKey.values().forEach(c -> {
        String key = Representations.componentKey(type, c);
        out.add(new Declared(COMPONENT, Json.text(c, "name"), key, key));
      }));
    }
    if (model.scopeMappings != null) {
      model.scopeMappings.keySet().forEach(owner -> out.add(new Declared(SCOPE_MAPPING,
          owner.substring(owner.indexOf(':') + 1), owner, null)));
    }
    named(out, ORGANIZATION, model.organizations, true);
    named(out, LOCALIZATION_TEXTS, model.localizationTexts, false);
    return out;
  }

  private static void named(List<Declared> out, String kind, Map<String, ObjectNode> objects, boolean owned) {
    if (objects != null) {
      objects.keySet().forEach(k -> out.add(new Declared(kind, k, k, owned ? k : null)));
    }
  }

  /** A file of a realm, parsed: its path and representation. */
  public record File(String path, ObjectNode rep) {}

  /**
   * Objects declared by more than one of {@code files}: one message per object, naming both paths. Such a realm
   * fails as a whole: applying either declaration would let one file silently override the other.
   */
  public static List<String> conflicts(List<File> files) {
    Map<String, String> first = new LinkedHashMap<>();
    var out = new ArrayList<String>();
    for (File file : files) {
      for (Declared object : declared(file.rep())) {
        String id = object.kind() + "\u0000" + object.key();
        String earlier = first.putIfAbsent(id, file.path());
        if (earlier != null && !earlier.equals(file.path())) {
          out.add(object + " is declared by both " + earlier + " and " + file.path());
        }
      }
    }
    return out;
  }

  /** The realm file with the fragments' objects added (call only when {@link #conflicts} found none). */
  public static ObjectNode merge(ObjectNode main, List<ObjectNode> fragments) {
    ObjectNode merged = main.deepCopy();
    for (ObjectNode fragment : fragments) {
      fragment.properties().forEach(e -> {
        String field = e.getKey();
        JsonNode value = e.getValue();
        if (field.equals("realm") || field.equals("id")) {
          return;
        }
        if (ARRAYS.contains(field) && value.isArray()) {
          append(merged, field, value);
        } else if (MAPS_OF_ARRAYS.contains(field) && value.isObject()) {
          ObjectNode target = merged.has(field) && merged.get(field).isObject() ? (ObjectNode) merged.get(field) : merged.putObject(field);
          value.properties().forEach(inner -> append(target, inner.getKey(), inner.getValue()));
        } else if (MAPS.contains(field) && value.isObject()) {
          (merged.get(field) instanceof ObjectNode target ? target : merged.putObject(field)).setAll((ObjectNode) value.deepCopy());
        } else if (field.equals("roles") && value.isObject()) {
          ObjectNode roles = merged.has("roles") && merged.get("roles").isObject() ? (ObjectNode) merged.get("roles") : merged.putObject("roles");
          if (value.has("realm")) {
            append(roles, "realm", value.get("realm"));
          }
          if (value.has("client") && value.get("client").isObject()) {
            ObjectNode byClient = roles.has("client") && roles.get("client").isObject() ? (ObjectNode) roles.get("client") : roles.putObject("client");
            value.get("client").properties().forEach(inner -> append(byClient, inner.getKey(), inner.getValue()));
          }
        } else {
          merged.set(field, value.deepCopy());
        }
      });
    }
    return merged;
  }

  private static void append(ObjectNode target, String field, JsonNode items) {
    ArrayNode array = target.has(field) && target.get(field).isArray() ? (ArrayNode) target.get(field) : target.putArray(field);
    items.forEach(item -> array.add(item.deepCopy()));
  }

  /** Ownership keys by entity type label of the pruned objects {@code rep} declares. */
  public static Map<String, Set<String>> ownedKeys(ObjectNode rep) {
    var out = new TreeMap<String, Set<String>>();
    for (Declared object : declared(rep)) {
      if (object.owned() != null) {
        out.computeIfAbsent(object.kind(), k -> new TreeSet<>()).add(object.owned());
      }
    }
    return out;
  }

  /**
   * Declares (as empty) the collections of {@code rep} that fragments recorded in {@code recorded} but gone from
   * {@code files} (neither merged nor failed) had objects in, so that what they declared is compared and pruned
   * even when no remaining file declares that collection. Returns whether {@code rep} changed.
   */
  public static boolean declareRemoved(ObjectNode rep, Map<String, Map<String, Set<String>>> recorded, Provenance files) {
    boolean changed = false;
    for (var entry : recorded.entrySet()) {
      if (files.fragments().containsKey(entry.getKey()) || files.failed().contains(entry.getKey())) {
        continue;
      }
      for (var byType : entry.getValue().entrySet()) {
        for (String key : byType.getValue()) {
          changed |= declareEmpty(rep, byType.getKey(), key);
        }
      }
    }
    return changed;
  }

  private static boolean declareEmpty(ObjectNode rep, String type, String key) {
    String field = switch (EntityType.byLabel(type).orElse(EntityType.BULK)) {
      case CLIENT_SCOPE -> "clientScopes";
      case CLIENT -> "clients";
      case GROUP -> "groups";
      case USER -> "users";
      case IDENTITY_PROVIDER -> "identityProviders";
      case FLOW -> "authenticationFlows";
      case ORGANIZATION -> "organizations";
      default -> null;
    };
    if (field != null) {
      return ensure(rep, field);
    }
    if (type.equals(ROLE)) {
      return ensure(objectAt(rep, "roles"), "realm");
    }
    if (type.equals(CLIENT_ROLE)) {
      // The key is <clientId>/<role> and a clientId may itself contain '/': take the declared client it starts with.
      String clientId = rep.has("clients") ? Json.objects(rep.get("clients")).stream()
          .map(c -> Json.text(c, "clientId")).filter(c -> c != null && key.startsWith(c + "/"))
          .max(java.util.Comparator.comparingInt(String::length)).orElse(null) : null;
      return clientId != null && ensure(objectAt(objectAt(rep, "roles"), "client"), clientId);
    }
    if (type.equals(COMPONENT)) {
      return ensure(objectAt(rep, "components"), key.substring(0, key.indexOf('/')));
    }
    return false;
  }

  private static ObjectNode objectAt(ObjectNode parent, String field) {
    return parent.has(field) && parent.get(field).isObject() ? (ObjectNode) parent.get(field) : parent.putObject(field);
  }

  private static boolean ensure(ObjectNode parent, String field) {
    if (parent.has(field)) {
      return false;
    }
    parent.putArray(field);
    return true;
  }

  /**
   * Where several files make one realm: per fragment path that was merged, the ownership keys it declared;
   * {@code failed}, fragment paths present but not merged (unparseable, outside their grants) — whatever the
   * ownership record says they declared is kept; {@code errors}, why they failed.
   */
  public record Provenance(Map<String, Map<String, Set<String>>> fragments, Set<String> failed, List<Failure> errors) {
    public static final Provenance NONE = new Provenance(Map.of(), Set.of(), List.of());

    public Provenance {
      fragments = Map.copyOf(fragments);
      failed = Set.copyOf(failed);
      errors = List.copyOf(errors);
    }
  }

  /** Why the fragment at {@code path} was left out; {@code message} names the path itself. */
  public record Failure(String path, String message) {}
}
