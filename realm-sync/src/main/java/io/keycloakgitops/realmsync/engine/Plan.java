package io.keycloakgitops.realmsync.engine;

import java.util.Comparator;
import java.util.List;

/**
 * What it takes to make one realm match its file: ordered changes (dependencies first) plus warnings about things
 * deliberately left alone (bound flows, built-ins, no-delete policies). {@code realmExists} false means the whole
 * realm is created by one request.
 */
public record Plan(String realm, boolean realmExists, List<Change> changes, List<String> warnings) {
  public Plan {
    changes = changes.stream().sorted(Comparator.comparing(Change::phase).thenComparingInt(Change::level)).toList();
    warnings = List.copyOf(warnings);
  }

  /** Nothing visible to do (the ownership record may still need its one-time write when objects are adopted). */
  public boolean isEmpty() {
    return visibleChanges().isEmpty();
  }

  public long count(Operation op) {
    return visibleChanges().stream().filter(c -> c.op() == op).count();
  }

  /** Changes a reader cares about: the bookkeeping write of the ownership record is not one of them. */
  public List<Change> visibleChanges() {
    return changes.stream().filter(c -> c.type() != EntityType.SYNC_STATE && !c.followUp()).toList();
  }
}
