package io.keycloakgitops.realmsync.engine;

/**
 * Where a long apply is: {@code phase} (an entity type, or a step such as reading the live realm), with
 * {@code done} of {@code total} objects (both 0 when a step has no count). Called from the applying thread.
 */
@FunctionalInterface
public interface Progress {
  Progress NONE = (phase, done, total) -> {};

  void update(String phase, int done, int total);
}
