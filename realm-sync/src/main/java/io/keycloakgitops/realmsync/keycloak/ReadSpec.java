package io.keycloakgitops.realmsync.keycloak;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keycloakgitops.realmsync.engine.RealmModel;
import java.util.Collection;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What to read of a live realm. Reading is driven by the file: only declared collections are listed, and the
 * expensive per-object parts (role mappings, memberships, composites, executions) only for declared objects that
 * declare those parts. {@link #everything()} reads it all, for export. Lists are read {@code pageSize} at a time.
 */
public record ReadSpec(RealmModel desired, boolean all, int pageSize) {
  /** Objects per request of a paged list (users, groups, members): few requests, bounded responses. */
  public static final int DEFAULT_PAGE_SIZE = 1000;
  /**
   * Clients and realm roles per request: Keycloak's time for one list of them grows with the square of its length
   * (3,000 clients: 52 s in one request, 3.6 s in pages of 100; 2,003 roles: 1.5 s, 0.43 s in pages of 100;
   * docs/benchmarks/realm-sync.md).
   */
  static final int CLIENT_AND_ROLE_PAGE_SIZE = 100;

  public ReadSpec {
    if (pageSize < 1) {
      throw new IllegalArgumentException("page size must be positive");
    }
  }

  public static ReadSpec everything() {
    return new ReadSpec(null, true, DEFAULT_PAGE_SIZE);
  }

  public static ReadSpec forFile(RealmModel desired) {
    return new ReadSpec(desired, false, DEFAULT_PAGE_SIZE);
  }

  public ReadSpec withPageSize(int size) {
    return new ReadSpec(desired, all, size);
  }

  int clientAndRolePageSize() {
    return Math.min(pageSize, CLIENT_AND_ROLE_PAGE_SIZE);
  }

  /** Whether the collection is read: always for export, else when the file declares it. */
  boolean wants(Object declared) {
    return all || declared != null;
  }

  /** Whether any declared object of {@code objects} satisfies {@code declares} (always for export). */
  boolean anyDeclares(Map<String, ObjectNode> objects, Predicate<ObjectNode> declares) {
    return all || objects != null && objects.values().stream().anyMatch(declares);
  }

  /** Whether {@code key}'s part is read: for export always, else if the file declares that object with it. */
  boolean declaresPart(Map<String, ObjectNode> objects, String key, String... fields) {
    if (all) {
      return true;
    }
    ObjectNode object = objects == null ? null : objects.get(key);
    if (object == null) {
      return false;
    }
    for (String field : fields) {
      if (object.has(field)) {
        return true;
      }
    }
    return false;
  }

  boolean contains(Collection<String> keys, String key) {
    return all || keys != null && keys.contains(key);
  }
}
