package io.keycloakgitops.realmsync.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.keycloakgitops.realmsync.engine.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns a snapshot's documents into desired realms. A broken file fails its own realm only: the others load. A realm
 * whose file is present but unreadable or invalid is a failed realm, never a missing one: nothing prunes it.
 *
 * <p>Fragments are merged into their realm's file. A fragment that cannot be parsed, or that declares anything its
 * tenancy grants do not allow, fails alone: the realm is applied without it, and what the ownership record says it
 * declared is kept. Two files declaring the same object fail the realm as a whole, so nothing is half-applied.
 */
public final class RealmLoader {
  private static final YAMLMapper YAML = new YAMLMapper();

  /** One realm of a snapshot: loaded, or the reason it cannot be ({@code file:line: ...}). */
  public record Loaded(String realm, String path, DesiredRealm desired, String error) {
    public boolean ok() {
      return error == null;
    }
  }

  private RealmLoader() {}

  public static List<Loaded> load(RealmSource.Snapshot snapshot, Supplier<Placeholders> placeholders) {
    return load(snapshot, placeholders, Tenancy.OPEN);
  }

  public static List<Loaded> load(RealmSource.Snapshot snapshot, Supplier<Placeholders> placeholders, Tenancy tenancy) {
    Map<String, List<RealmDocument>> byRealm = new LinkedHashMap<>();
    snapshot.documents().stream().filter(d -> !d.fragment())
        .forEach(doc -> byRealm.computeIfAbsent(doc.realm(), k -> new ArrayList<>()).add(doc));
    // Fragments: parsed and checked against their grants on their own.
    Map<String, List<Fragments.File>> fragmentsByRealm = new LinkedHashMap<>();
    Map<String, List<Fragments.Failure>> errorsByRealm = new LinkedHashMap<>();
    var failed = new LinkedHashSet<String>();
    var errorsOfUnknownRealm = new ArrayList<Fragments.Failure>();
    for (RealmDocument doc : snapshot.documents()) {
      if (!doc.fragment()) {
        continue;
      }
      try {
        if (doc.error() != null) {
          throw new RealmFileException(doc.error());
        }
        ObjectNode rep = RealmParser.parse(doc);
        String realm = Json.text(rep, "realm");
        Optional<String> refused = refuse(tenancy, doc.path(), realm, rep);
        if (refused.isPresent()) {
          failed.add(doc.path());
          errorsByRealm.computeIfAbsent(realm, k -> new ArrayList<>()).add(new Fragments.Failure(doc.path(), refused.get()));
        } else {
          fragmentsByRealm.computeIfAbsent(realm, k -> new ArrayList<>()).add(new Fragments.File(doc.path(), rep));
        }
      } catch (RealmFileException e) {
        failed.add(doc.path());
        String realm = realmOf(doc);
        (realm == null ? errorsOfUnknownRealm : errorsByRealm.computeIfAbsent(realm, k -> new ArrayList<>()))
            .add(new Fragments.Failure(doc.path(), e.getMessage() + " (fragment left out; what it declared is kept)"));
      }
    }
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
        out.add(new Loaded(realm, doc.path(), load(doc, realm, placeholders.get(), tenancy,
            fragmentsByRealm.getOrDefault(realm, List.of()), failed, errorsByRealm.getOrDefault(realm, List.of()),
            errorsOfUnknownRealm), null));
      } catch (RealmFileException e) {
        out.add(new Loaded(realm, doc.path(), null, e.getMessage()));
      }
    });
    fragmentsByRealm.forEach((realm, files) -> {
      if (!byRealm.containsKey(realm)) {
        out.add(new Loaded(realm, files.get(0).path(), null, "realm " + realm + " has fragments ("
            + String.join(", ", files.stream().map(Fragments.File::path).toList()) + ") but no realm file"));
      }
    });
    return out;
  }

  private static DesiredRealm load(RealmDocument doc, String realm, Placeholders placeholders, Tenancy tenancy,
      List<Fragments.File> fragments, Set<String> failed, List<Fragments.Failure> errors,
      List<Fragments.Failure> otherErrors) {
    ObjectNode main = RealmParser.parse(doc);
    // A realm file creates the realm itself: only a grant for kind realm allows that.
    Optional<String> refused = tenancy.refuse(doc.path(), realm, new Fragments.Declared(Fragments.REALM, realm, realm, null))
        .or(() -> refuse(tenancy, doc.path(), realm, main));
    if (refused.isPresent()) {
      throw new RealmFileException(refused.get());
    }
    if (fragments.isEmpty() && failed.isEmpty()) {
      return DesiredRealm.of(realm, doc.path(), main, placeholders);
    }
    var files = new ArrayList<Fragments.File>();
    files.add(new Fragments.File(doc.path(), main));
    files.addAll(fragments);
    List<String> conflicts = Fragments.conflicts(files);
    if (!conflicts.isEmpty()) {
      throw new RealmFileException("realm " + realm + " fails as a whole: " + String.join("; ", conflicts));
    }
    ObjectNode merged = Fragments.merge(main, fragments.stream().map(Fragments.File::rep).toList());
    var declared = new LinkedHashMap<String, Map<String, Set<String>>>();
    fragments.forEach(f -> declared.put(f.path(), Fragments.ownedKeys(f.rep())));
    var allErrors = new ArrayList<>(errors);
    allErrors.addAll(otherErrors);
    return DesiredRealm.of(realm, doc.path(), merged, placeholders)
        .withProvenance(new Fragments.Provenance(declared, failed, allErrors));
  }

  /** The first object of {@code rep} no grant lets {@code path} declare. */
  private static Optional<String> refuse(Tenancy tenancy, String path, String realm, ObjectNode rep) {
    if (tenancy == Tenancy.OPEN) {
      return Optional.empty();
    }
    for (Fragments.Declared object : Fragments.declared(rep)) {
      Optional<String> why = tenancy.refuse(path, realm, object);
      if (why.isPresent()) {
        return why;
      }
    }
    return Optional.empty();
  }

  /** The realm a fragment names, read leniently (it may be invalid otherwise); null if even that fails. */
  private static String realmOf(RealmDocument doc) {
    if (doc.content() == null) {
      return null;
    }
    try {
      JsonNode node = doc.isYaml() ? YAML.readTree(doc.content()) : Json.MAPPER.readTree(doc.content());
      return node == null ? null : Json.text(node, "realm");
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
