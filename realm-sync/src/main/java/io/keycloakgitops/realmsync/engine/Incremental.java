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
    public boolean has(RealmCollection collection) {
      return keys.containsKey(collection.key());
    }

    /**
     * Flow changes are planned with the whole realm in view: whether a flow may be deleted depends on every binding
     * (realm, clients, identity providers), not only on what changed.
     */
    public boolean needsFullCompare() {
      return has(RealmCollection.FLOWS) || has(RealmCollection.AUTHENTICATOR_CONFIGS);
    }

    public int size() {
      return keys.values().stream().mapToInt(Set::size).sum() + (settings ? 1 : 0);
    }

    /** The delta's objects of {@code collection}; a collection the delta does not touch: null, or whole if kept. */
    <V> Map<String, V> filter(RealmCollection collection, Map<String, V> objects, boolean keepUntouched) {
      Set<String> wanted = keys.get(collection.key());
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
     * selection is per owner and takes the owner's whole map; see {@link RealmCollection.Keying}.
     */
    <V> Map<String, Map<String, V>> filterNested(RealmCollection collection, Map<String, Map<String, V>> objects,
        boolean keepUntouched) {
      boolean vanishedMeansEmpty = collection.keying() == RealmCollection.Keying.BY_OWNER_EXACT;
      Set<String> wanted = keys.get(collection.key());
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

  @SuppressWarnings("unchecked")
  public static Delta between(RealmModel before, RealmModel after) {
    var keys = new LinkedHashMap<String, Set<String>>();
    for (RealmCollection collection : RealmCollection.values()) {
      Object was = collection.of(before);
      Object is = collection.of(after);
      switch (collection.keying()) {
        case BY_KEY -> keyed(keys, collection.key(), (Map<String, Object>) was, (Map<String, Object>) is);
        case BY_OWNER, BY_OWNER_EXACT -> nested(keys, collection.key(), (Map<String, Map<String, Object>>) was,
            (Map<String, Map<String, Object>>) is, collection.keying() == RealmCollection.Keying.BY_OWNER_EXACT);
        case WHOLE -> whole(keys, collection.key(), was, is);
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
