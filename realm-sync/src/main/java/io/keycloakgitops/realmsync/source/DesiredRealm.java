package io.keycloakgitops.realmsync.source;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.engine.RealmModel;
import io.keycloakgitops.realmsync.engine.Representations;
import io.keycloakgitops.realmsync.engine.StoredForm;
import java.util.List;
import java.util.Set;

/**
 * A realm as its file wants it: parsed, validated, placeholders resolved, server ids stripped. {@code secretValues}
 * are the resolved placeholder values, to be kept out of every output; {@code storedForms} the warnings of
 * {@link StoredForm} (declared values rewritten to the form Keycloak stores). {@code hash} identifies the content (after
 * substitution) for status and change detection.
 */
public record DesiredRealm(String name, String path, ObjectNode representation, Set<String> secretValues, String hash,
    Fragments.Provenance provenance, List<String> storedForms) {
  public DesiredRealm(String name, String path, ObjectNode representation, Set<String> secretValues, String hash) {
    this(name, path, representation, secretValues, hash, Fragments.Provenance.NONE, List.of());
  }

  public DesiredRealm(String name, String path, ObjectNode representation, Set<String> secretValues, String hash,
      Fragments.Provenance provenance) {
    this(name, path, representation, secretValues, hash, provenance, List.of());
  }

  public DesiredRealm {
    provenance = provenance == null ? Fragments.Provenance.NONE : provenance;
    storedForms = storedForms == null ? List.of() : List.copyOf(storedForms);
  }

  /** The same realm, made of several files. */
  public DesiredRealm withProvenance(Fragments.Provenance files) {
    return new DesiredRealm(name, path, representation, secretValues, hash, files, storedForms);
  }

  /** Parses, validates and resolves one document. */
  public static DesiredRealm load(RealmDocument doc, Placeholders placeholders) {
    ObjectNode rep = RealmParser.parse(doc);
    return of(doc.realm(), doc.path(), rep, placeholders);
  }

  /** From an already parsed representation (a CR's {@code spec.realm}). */
  public static DesiredRealm of(String name, String path, ObjectNode rep, Placeholders placeholders) {
    placeholders.resolve(rep, path);
    List<String> storedForms = StoredForm.normalize(rep);
    Representations.stripIds(rep);
    return new DesiredRealm(name, path, rep, placeholders.resolvedValues(), Json.sha256(Json.write(Json.canonical(rep))),
        Fragments.Provenance.NONE, storedForms);
  }

  public RealmModel model() {
    return RealmModel.of(representation);
  }
}
