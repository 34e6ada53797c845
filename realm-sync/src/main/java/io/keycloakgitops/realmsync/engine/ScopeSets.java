package io.keycloakgitops.realmsync.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The default and optional client-scope sets of a realm or a client: the fields that differ, and the removals and
 * additions (as endpoint and scope name) that make the live sets match.
 */
final class ScopeSets {
  private record Call(String endpoint, String scope) {}

  private final List<FieldChange> fields = new ArrayList<>();
  private final List<Call> removals = new ArrayList<>();
  private final List<Call> additions = new ArrayList<>();

  /** Adds the difference of one set; {@code wanted} null means undeclared. Server-managed scopes are left alone. */
  ScopeSets diff(String field, String endpoint, List<String> wanted, List<String> current, Set<String> serverManaged) {
    if (wanted == null) {
      return this;
    }
    var want = PlanContext.set(wanted);
    var have = new TreeSet<>(PlanContext.set(current));
    have.removeIf(s -> serverManaged.contains(s) && !want.contains(s));
    if (want.equals(have)) {
      return this;
    }
    fields.add(new FieldChange(field, Json.array(have), Json.array(want), false));
    have.stream().filter(s -> !want.contains(s)).forEach(s -> removals.add(new Call(endpoint, s)));
    want.stream().filter(s -> !have.contains(s)).forEach(s -> additions.add(new Call(endpoint, s)));
    return this;
  }

  boolean isEmpty() {
    return fields.isEmpty();
  }

  List<FieldChange> fields() {
    return fields;
  }

  /** The calls under {@code base}: removals first, so that a scope can move from default to optional. */
  Change.Action apply(String base) {
    var remove = List.copyOf(removals);
    var add = List.copyOf(additions);
    return ctx -> {
      for (Call removal : remove) {
        ctx.api().delete(base + removal.endpoint() + ctx.scopeId(removal.scope()));
      }
      for (Call addition : add) {
        ctx.api().put(base + addition.endpoint() + ctx.scopeId(addition.scope()), Json.object());
      }
    };
  }
}
