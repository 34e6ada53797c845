package io.keycloakgitops.realmsync.k8s;

/** The Keycloak CR a realm import names cannot be used yet (missing, not ready, admin Secret unreadable). */
public class TargetException extends RuntimeException {
  public TargetException(String message) {
    super(message);
  }
}
