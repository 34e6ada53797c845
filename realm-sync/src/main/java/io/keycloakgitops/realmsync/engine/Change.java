package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One planned create, update or delete of one object. {@code phase}, then {@code level}, orders execution
 * (dependencies first, deletes last); {@code action} performs it through the admin API. {@code bulk}, when set, is this object's share of a
 * {@code partialImport} request, so that many creations can be sent as one write. A {@code followUp} is a later
 * step of a change shown elsewhere in the plan (the role mappings of a user created earlier, say): not listed on its
 * own, and skipped when the bulk request already did it.
 */
public record Change(EntityType type, String key, Operation op, List<FieldChange> fields, String detail, Phase phase,
    int level, Action action, BulkItem bulk, boolean followUp) {

  /** Performs the change; it reads and writes only the apply context (and what the plan computed). */
  @FunctionalInterface
  public interface Action {
    void run(ApplyContext ctx);
  }

  /** The partialImport section ({@code clients}, {@code users}, ...) and representation of a creation. */
  public record BulkItem(String section, String clientId, ObjectNode representation) {}

  public Change {
    fields = List.copyOf(fields);
  }

  public static Change create(EntityType type, String key, Phase phase, Action action) {
    return new Change(type, key, Operation.CREATE, List.of(), null, phase, 0, action, null, false);
  }

  public static Change update(EntityType type, String key, List<FieldChange> fields, Phase phase, Action action) {
    return new Change(type, key, Operation.UPDATE, fields, null, phase, 0, action, null, false);
  }

  public static Change delete(EntityType type, String key, Phase phase, Action action) {
    return new Change(type, key, Operation.DELETE, List.of(), null, phase, 0, action, null, false);
  }

  /** A later step of creating {@code type}/{@code key}. */
  public static Change followUp(EntityType type, String key, Phase phase, Action action) {
    return new Change(type, key, Operation.CREATE, List.of(), null, phase, 0, action, null, true);
  }

  public Change withDetail(String text) {
    return new Change(type, key, op, fields, text, phase, level, action, bulk, followUp);
  }

  public Change withBulk(BulkItem item) {
    return new Change(type, key, op, fields, detail, phase, level, action, item, followUp);
  }

  /** Orders the change within its phase (flows: their depth below the top-level flow). */
  public Change atLevel(int newLevel) {
    return new Change(type, key, op, fields, detail, phase, newLevel, action, bulk, followUp);
  }

  public String describe() {
    return op.symbol() + " " + type.label() + " \"" + key + "\"";
  }
}
