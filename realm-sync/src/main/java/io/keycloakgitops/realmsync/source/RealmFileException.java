package io.keycloakgitops.realmsync.source;

/** A realm file that cannot be used: malformed, invalid against the schema, or with an unresolvable placeholder. */
public class RealmFileException extends RuntimeException {
  public RealmFileException(String message) {
    super(message);
  }
}
