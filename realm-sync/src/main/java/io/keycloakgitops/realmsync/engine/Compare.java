package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Compares what a file declares with what the server has, field by field. Only declared fields count (a field the
 * file leaves out is not managed); server defaults are normalised away (absent equals "", [], {} and false; "300"
 * equals 300); arrays of plain values are sets; a masked secret ({@code **********}) is compared through the hash of
 * the desired value remembered after the last write.
 */
public final class Compare {
  /** Server-assigned or read-only fields, never compared at any depth of a structure. */
  static final Set<String> VOLATILE = Set.of("id", "_id", "containerId", "parentId", "internalId", "access",
      "createdTimestamp", "subGroupCount", "userProfileMetadata", "totp", "disableableCredentialTypes", "clientRole",
      "composite", "builtIn", "topLevel", "autheticatorFlow", "path", "serviceAccountClientId", "types");
  /** Fields whose objects are free-form data maps: their keys are data, so {@link #VOLATILE} does not apply. */
  static final Set<String> DATA_MAPS = Set.of("attributes", "config", "smtpServer", "browserSecurityHeaders",
      "authenticationFlowBindingOverrides", "localizationTexts");

  /**
   * How one kind of object is compared: {@code skip} are its top-level fields handled elsewhere (sub-objects),
   * {@code exactMaps} its top-level maps where undeclared keys are removed, {@code hashPrefix} identifies the object
   * for remembered secret hashes.
   */
  public record Rules(Set<String> skip, Set<String> exactMaps, String hashPrefix) {
    public static Rules of(String hashPrefix, Set<String> skip) {
      return new Rules(skip, Set.of(), hashPrefix);
    }

    public Rules exact(String... maps) {
      return new Rules(skip, Set.of(maps), hashPrefix);
    }
  }

  /** Which values must never be shown, and the hashes remembered for masked secrets. */
  public interface Secrets {
    boolean isSensitive(String field, JsonNode desired);

    /** Whether the ownership record remembers {@code desired} under {@code key}. */
    boolean matchesStored(String key, JsonNode desired);

    /** What the record remembers for {@code desired} once it is written. */
    String hash(JsonNode desired);

    Secrets NONE = new Secrets() {
      @Override
      public boolean isSensitive(String field, JsonNode desired) {
        return false;
      }

      @Override
      public boolean matchesStored(String key, JsonNode desired) {
        return false;
      }

      @Override
      public String hash(JsonNode desired) {
        return null;
      }
    };
  }

  private final Rules rules;
  private final Secrets secrets;
  private final List<FieldChange> changes = new ArrayList<>();

  private Compare(Rules rules, Secrets secrets) {
    this.rules = rules;
    this.secrets = secrets;
  }

  public static List<FieldChange> diff(ObjectNode desired, ObjectNode live, Rules rules, Secrets secrets) {
    var compare = new Compare(rules, secrets);
    compare.object("", desired, live == null ? Json.object() : live, true, false);
    return compare.changes;
  }

  private void object(String prefix, JsonNode desired, JsonNode live, boolean top, boolean dataMap) {
    for (var entry : Json.fields(desired)) {
      String name = entry.getKey();
      if (top && rules.skip().contains(name) || !dataMap && VOLATILE.contains(name)) {
        continue;
      }
      JsonNode liveValue = live == null ? null : live.get(name);
      value(prefix + name, name, entry.getValue(), liveValue, dataMap || DATA_MAPS.contains(name));
    }
    if (top) {
      for (String map : rules.exactMaps()) {
        JsonNode desiredMap = desired.get(map);
        JsonNode liveMap = live == null ? null : live.get(map);
        if (desiredMap != null && desiredMap.isObject() && liveMap != null && liveMap.isObject()) {
          for (var entry : Json.fields(liveMap)) {
            if (!desiredMap.has(entry.getKey()) && !Json.isEmpty(entry.getValue())) {
              add(map + "." + entry.getKey(), entry.getKey(), entry.getValue(), null);
            }
          }
        }
      }
    }
  }

  private void value(String path, String name, JsonNode desired, JsonNode live, boolean dataMap) {
    if (desired == null || desired.isNull() || Representations.masked(desired)) {
      return;
    }
    JsonNode secret = desired.isArray() && desired.size() == 1 ? desired.get(0) : desired;
    if (Representations.masked(live) && secret.isValueNode()) {
      String key = rules.hashPrefix() + "/" + path;
      if (!secrets.matchesStored(key, secret)) {
        changes.add(new FieldChange(path, live, desired, true, key, secrets.hash(secret)));
      }
      return;
    }
    if (equalsAsDefault(desired, live)) {
      return;
    }
    if (desired.isObject()) {
      if (live != null && live.isObject()) {
        object(path + ".", desired, live, false, dataMap);
      } else {
        add(path, name, live, desired);
      }
      return;
    }
    if (desired.isArray()) {
      if (live == null || !live.isArray() || !arrayEquals(desired, live, dataMap)) {
        add(path, name, live, desired);
      }
      return;
    }
    if (live == null || !Json.scalarEquals(desired, live)) {
      add(path, name, live, desired);
    }
  }

  /** A declared default ("", [], {}, false) matches a field the server leaves out. */
  private static boolean equalsAsDefault(JsonNode desired, JsonNode live) {
    if (live == null || live.isNull()) {
      return Json.isEmpty(desired) || desired.isBoolean() && !desired.booleanValue();
    }
    return Json.isEmpty(desired) && Json.isEmpty(live);
  }

  private boolean arrayEquals(JsonNode desired, JsonNode live, boolean dataMap) {
    boolean scalars = true;
    for (JsonNode item : desired) {
      scalars &= item.isValueNode();
    }
    if (scalars) {
      return textSet(desired).equals(textSet(live));
    }
    if (desired.size() != live.size()) {
      return false;
    }
    for (int i = 0; i < desired.size(); i++) {
      var nested = new Compare(new Rules(Set.of(), Set.of(), rules.hashPrefix()), secrets);
      nested.value("", "", desired.get(i), live.get(i), dataMap);
      if (!nested.changes.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  private static Set<String> textSet(JsonNode array) {
    var out = new HashSet<String>();
    array.forEach(item -> out.add(item.asText()));
    return out;
  }

  private void add(String path, String name, JsonNode live, JsonNode desired) {
    boolean sensitive = secrets.isSensitive(name, desired) || live != null && secrets.isSensitive(name, live);
    changes.add(new FieldChange(path, live, desired, sensitive));
  }
}
