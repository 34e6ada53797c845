package io.keycloakgitops.realmsync.keycloak;

/**
 * A failed admin API call: method, path and status plus the server's error message — never the request body,
 * which may hold secrets. {@code status} 0 means the server could not be reached.
 */
public class KeycloakException extends RuntimeException {
  private final int status;

  public KeycloakException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** Unreachable, timed out or overloaded: worth retrying as is. */
  public boolean isTransient() {
    return status == 0 || status == 502 || status == 503 || status == 504;
  }
}
