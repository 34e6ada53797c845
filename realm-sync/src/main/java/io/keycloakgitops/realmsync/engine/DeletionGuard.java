package io.keycloakgitops.realmsync.engine;

import java.util.List;
import java.util.Optional;

/**
 * Stops a sync that would delete more than {@code maxDeletions} objects of one realm, unless {@code allow}: a
 * deleted realm file, an emptied list or a bad merge shows up as a mass deletion, and that deserves a person's look
 * before it happens. The message lists what would go, as {@code plan} prints it.
 */
public record DeletionGuard(int maxDeletions, boolean allow) {
  public static final int DEFAULT_MAX_DELETIONS = 25;
  public static final DeletionGuard DEFAULT = new DeletionGuard(DEFAULT_MAX_DELETIONS, false);

  public DeletionGuard {
    if (maxDeletions < 0) {
      throw new IllegalArgumentException("--max-deletions must be 0 or more, got " + maxDeletions);
    }
  }

  /** Why {@code plan} must not be applied, or empty when it may. */
  public Optional<String> stop(Plan plan) {
    List<Change> deletions = plan.visibleChanges().stream().filter(c -> c.op() == Operation.DELETE).toList();
    if (allow || deletions.size() <= maxDeletions) {
      return Optional.empty();
    }
    var message = new StringBuilder("realm ").append(plan.realm()).append(": stopped before writing anything: ")
        .append(deletions.size()).append(" objects would be deleted, more than --max-deletions ").append(maxDeletions)
        .append(" (pass --allow-deletions, env ALLOW_DELETIONS=true, to let this sync through):");
    deletions.forEach(c -> message.append("\n  ").append(c.describe()));
    return Optional.of(message.toString());
  }
}
