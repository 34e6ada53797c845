package io.keycloakgitops.realmsync.engine;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Between two versions of a file, which objects changed — so that a new commit is applied by reading and comparing
 * only those (a one-client change costs a couple of reads and one write, not a read of the whole realm). Flows and
 * their configs, default groups, default scopes and scope mappings are small and interlinked: any change there
 * takes the whole collection.
 */
public final class Incremental {
  private static final String ALL = "\u0000all";

  /**
   * {@code settings}: realm settings changed; {@code keys}: per collection, the keys added, changed or removed (a
   * collection not listed is unchanged).
   */
  public record Delta(boolean settings, Map<String, Set<String>> keys) {
    public boolean has(String collection) {
      return keys.containsKey(collection);
    }

    /**
     * Flow changes are planned with the whole realm in view: whether a flow may be deleted depends on every binding
     * (realm, clients, identity providers), not only on what changed.
     */
    public boolean needsFullCompare() {
      return has("flows") || has("authenticatorConfigs");
    }

    public int size() {
      return keys.values().stream().mapToInt(Set::size).sum() + (settings ? 1 : 0);
    }

    /** The delta's objects of {@code collection}; a collection the delta does not touch: null, or whole if kept. */
    <V> Map<String, V> filter(String collection, Map<String, V> objects, boolean keepUntouched) {
      Set<String> wanted = keys.get(collection);
      if (objects == null || wanted == null) {
        return keepUntouched ? objects : null;
      }
      if (wanted.contains(ALL)) {
        return objects;
      }
      var out = new LinkedHashMap<String, V>();
      objects.forEach((key, value) -> {
        if (wanted.contains(key)) {
          out.put(key, value);
        }
      });
      return out;
    }

    /**
     * For collections keyed twice (client roles by client, mappers by identity provider, components by type): the
     * selection is per owner and takes the owner's whole map. {@code vanishedMeansEmpty}: an owner missing from
     * the model still counts, with no entries (identity provider mappers are exact for every declared provider).
     */
    <V> Map<String, Map<String, V>> filterNested(String collection, Map<String, Map<String, V>> objects,
        boolean vanishedMeansEmpty, boolean keepUntouched) {
      Set<String> wanted = keys.get(collection);
      if (objects == null || wanted == null) {
        return keepUntouched ? objects : null;
      }
      var out = new LinkedHashMap<String, Map<String, V>>();
      for (String owner : wanted) {
        Map<String, V> entries = objects.get(owner);
        if (entries != null) {
          out.put(owner, entries);
        } else if (vanishedMeansEmpty) {
          out.put(owner, Map.of());
        }
      }
      return out;
    }
  }

  private Incremental() {}

  public static Delta between(RealmModel before, RealmModel after) {
    var keys = new LinkedHashMap<String, Set<String>>();
    keyed(keys, "clientScopes", before.clientScopes, after.clientScopes);
    keyed(keys, "clients", before.clients, after.clients);
    keyed(keys, "realmRoles", before.realmRoles, after.realmRoles);
    nested(keys, "clientRoles", before.clientRoles, after.clientRoles, false);
    keyed(keys, "groups", before.groups, after.groups);
    keyed(keys, "users", before.users, after.users);
    keyed(keys, "serviceAccounts", before.serviceAccounts, after.serviceAccounts);
    keyed(keys, "identityProviders", before.identityProviders, after.identityProviders);
    nested(keys, "identityProviderMappers", before.identityProviderMappers, after.identityProviderMappers, true);
    keyed(keys, "requiredActions", before.requiredActions, after.requiredActions);
    nested(keys, "components", before.components, after.components, false);
    keyed(keys, "scopeMappings", before.scopeMappings, after.scopeMappings);
    whole(keys, "flows", before.flows, after.flows);
    whole(keys, "authenticatorConfigs", before.authenticatorConfigs, after.authenticatorConfigs);
    whole(keys, "defaultGroups", before.defaultGroups, after.defaultGroups);
    if (after.defaultDefaultClientScopes != null || after.defaultOptionalClientScopes != null) {
      if (!Objects.equals(before.defaultDefaultClientScopes, after.defaultDefaultClientScopes)
          || !Objects.equals(before.defaultOptionalClientScopes, after.defaultOptionalClientScopes)) {
        keys.put("defaultScopes", Set.of(ALL));
      }
    }
    return new Delta(!before.settings.equals(after.settings), keys);
  }

  /** The desired model limited to the delta (realm settings emptied when unchanged). */
  public static RealmModel restrict(RealmModel desired, Delta delta) {
    return new RealmModel(desired, delta, false);
  }

  /** The live model limited to the delta where the delta declares, whole elsewhere (context for the plan). */
  public static RealmModel restrictLive(RealmModel live, Delta delta) {
    return new RealmModel(live, delta, true);
  }

  private static <V> void keyed(Map<String, Set<String>> out, String collection, Map<String, V> before,
      Map<String, V> after) {
    if (after == null) {
      return;
    }
    Map<String, V> previous = before == null ? Map.of() : before;
    var changed = new HashSet<String>();
    after.forEach((key, value) -> {
      if (!Objects.equals(previous.get(key), value)) {
        changed.add(key);
      }
    });
    previous.keySet().stream().filter(key -> !after.containsKey(key)).forEach(changed::add);
    if (!changed.isEmpty()) {
      out.put(collection, changed);
    }
  }

  /** Owners whose entries changed; an owner gone from the file counts only if {@code vanishedMeansEmpty}. */
  private static <V> void nested(Map<String, Set<String>> out, String collection, Map<String, Map<String, V>> before,
      Map<String, Map<String, V>> after, boolean vanishedMeansEmpty) {
    if (after == null) {
      return;
    }
    Map<String, Map<String, V>> previous = before == null ? Map.of() : before;
    var owners = new HashSet<>(after.keySet());
    owners.addAll(previous.keySet());
    var changed = new HashSet<String>();
    for (String owner : owners) {
      if (!after.containsKey(owner) && !vanishedMeansEmpty) {
        continue;
      }
      if (!Objects.equals(previous.getOrDefault(owner, Map.of()), after.getOrDefault(owner, Map.of()))) {
        changed.add(owner);
      }
    }
    if (!changed.isEmpty()) {
      out.put(collection, changed);
    }
  }

  private static void whole(Map<String, Set<String>> out, String collection, Object before, Object after) {
    if (after != null && !Objects.equals(before, after)) {
      out.put(collection, Set.of(ALL));
    }
  }
}
