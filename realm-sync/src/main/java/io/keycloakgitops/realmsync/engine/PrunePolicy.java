package io.keycloakgitops.realmsync.engine;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Per entity type: {@code full} deletes owned objects that left the files, {@code no-delete} keeps them. Everything
 * defaults to {@code full} except whole realms, which are only deleted when asked for.
 */
public final class PrunePolicy {
  public enum Mode { FULL, NO_DELETE }

  private final Map<EntityType, Mode> modes;

  private PrunePolicy(Map<EntityType, Mode> modes) {
    this.modes = modes;
  }

  public static PrunePolicy defaults() {
    var modes = new EnumMap<EntityType, Mode>(EntityType.class);
    modes.put(EntityType.REALM, Mode.NO_DELETE);
    return new PrunePolicy(modes);
  }

  /** Parses {@code type=full|no-delete} pairs separated by commas, on top of the defaults. */
  public static PrunePolicy parse(String spec) {
    var policy = defaults();
    if (spec == null || spec.isBlank()) {
      return policy;
    }
    for (String pair : spec.split(",")) {
      String[] parts = pair.trim().split("=", 2);
      if (parts.length != 2) {
        throw new IllegalArgumentException("prune policy '" + pair.trim() + "' is not type=full|no-delete");
      }
      EntityType type = EntityType.byLabel(parts[0].trim()).filter(EntityType::prunable)
          .orElseThrow(() -> new IllegalArgumentException("prune policy: unknown type '" + parts[0].trim()
              + "' (one of " + String.join(", ", Arrays.stream(EntityType.values()).filter(EntityType::prunable)
              .map(EntityType::label).toList()) + ")"));
      Mode mode = switch (parts[1].trim().toLowerCase(Locale.ROOT)) {
        case "full" -> Mode.FULL;
        case "no-delete" -> Mode.NO_DELETE;
        default -> throw new IllegalArgumentException("prune policy for " + type + ": '" + parts[1].trim()
            + "' is not full or no-delete");
      };
      policy.modes.put(type, mode);
    }
    return policy;
  }

  public Mode mode(EntityType type) {
    return modes.getOrDefault(type, Mode.FULL);
  }

  public boolean deletes(EntityType type) {
    return mode(type) == Mode.FULL;
  }

  @Override
  public String toString() {
    var out = new StringBuilder();
    for (EntityType type : EntityType.values()) {
      if (type.prunable()) {
        out.append(out.isEmpty() ? "" : ",").append(type.label()).append('=')
            .append(mode(type) == Mode.FULL ? "full" : "no-delete");
      }
    }
    return out.toString();
  }
}
