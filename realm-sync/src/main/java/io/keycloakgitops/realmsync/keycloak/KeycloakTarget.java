package io.keycloakgitops.realmsync.keycloak;

import java.nio.file.Path;

/**
 * Where the admin API is and how to log in: a user of {@code authRealm} (password grant through admin-cli) or a
 * service client (client credentials). {@code caFile} trusts a private CA for https.
 */
public record KeycloakTarget(String url, String authRealm, String username, String password, String clientId,
    String clientSecret, Path caFile) {

  public KeycloakTarget {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("no Keycloak URL (--keycloak-url or KEYCLOAK_URL)");
    }
    url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    authRealm = authRealm == null || authRealm.isBlank() ? "master" : authRealm;
    boolean user = username != null && !username.isBlank();
    boolean client = clientSecret != null && !clientSecret.isBlank();
    if (!user && !client) {
      throw new IllegalArgumentException("no Keycloak credentials: set KEYCLOAK_USER and KEYCLOAK_PASSWORD, "
          + "or KEYCLOAK_CLIENT_ID and KEYCLOAK_CLIENT_SECRET");
    }
    if (user && (password == null || password.isEmpty())) {
      throw new IllegalArgumentException("KEYCLOAK_USER is set but KEYCLOAK_PASSWORD is empty");
    }
  }

  public static KeycloakTarget password(String url, String username, String password) {
    return new KeycloakTarget(url, "master", username, password, null, null, null);
  }

  public boolean usesClientCredentials() {
    return username == null || username.isBlank();
  }

  @Override
  public String toString() {
    return url + " as " + (usesClientCredentials() ? "client " + clientId : "user " + username) + "@" + authRealm;
  }
}
