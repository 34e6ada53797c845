package io.keycloakgitops.webhook.tls;

/** Where the self-managed certificates live, with optimistic concurrency so that replicas never clobber each other. */
public interface CertStore {
  /** The stored bundle (null when none yet) and a version token for {@link #save}. */
  Versioned load();

  /**
   * Stores {@code bundle} if the store still holds {@code expectedVersion} (null: nothing stored yet).
   *
   * @return false when another writer came first; the caller reloads and decides again
   */
  boolean save(CertBundle bundle, String expectedVersion);

  /** A short description for logs, e.g. "Secret ns/name". */
  String describe();

  record Versioned(CertBundle bundle, String version) {}
}
