package io.keycloakgitops.realmsync.source;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns a snapshot's documents into desired realms. A broken file fails its own realm only: the others load. A realm
 * whose file is present but unreadable or invalid is a failed realm, never a missing one: nothing prunes it.
 */
public final class RealmLoader {
  /** One realm of a snapshot: loaded, or the reason it cannot be ({@code file:line: ...}). */
  public record Loaded(String realm, String path, DesiredRealm desired, String error) {
    public boolean ok() {
      return error == null;
    }
  }

  private RealmLoader() {}

  public static List<Loaded> load(RealmSource.Snapshot snapshot, Supplier<Placeholders> placeholders) {
    Map<String, List<RealmDocument>> byRealm = new LinkedHashMap<>();
    snapshot.documents().forEach(doc -> byRealm.computeIfAbsent(doc.realm(), k -> new ArrayList<>()).add(doc));
    var out = new ArrayList<Loaded>();
    byRealm.forEach((realm, docs) -> {
      if (docs.size() > 1) {
        out.add(new Loaded(realm, docs.get(0).path(), null, "realm " + realm + " is defined by several files: "
            + String.join(", ", docs.stream().map(RealmDocument::path).toList())));
        return;
      }
      RealmDocument doc = docs.get(0);
      if (doc.error() != null) {
        out.add(new Loaded(realm, doc.path(), null, doc.error()));
        return;
      }
      try {
        out.add(new Loaded(realm, doc.path(), DesiredRealm.load(doc, placeholders.get()), null));
      } catch (RealmFileException e) {
        out.add(new Loaded(realm, doc.path(), null, e.getMessage()));
      }
    });
    return out;
  }
}
