package io.keycloakgitops.realmsync.source;

/** The source could not be read (Git remote unreachable, authentication refused, folder missing). */
public class SourceException extends RuntimeException {
  public SourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
