package io.keycloakgitops.schemas.podsecurity;

/** The Pod Security Standards levels, least restrictive first. */
public enum Level {
  PRIVILEGED, BASELINE, RESTRICTED;

  /** The lower-case name upstream prints ({@code "restricted"}). */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
