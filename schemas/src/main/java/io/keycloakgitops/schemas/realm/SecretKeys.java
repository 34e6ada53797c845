package io.keycloakgitops.schemas.realm;

import java.util.regex.Pattern;

/**
 * Which realm JSON fields hold a secret, by name: the webhook warns when one is written in clear in a
 * KeycloakRealmImport, realm-sync masks them in plans, errors and exports. One definition, so that what one warns
 * about the other never prints.
 */
public final class SecretKeys {
  /**
   * Names that end like a secret (clientSecret, bindCredential, smtp password, privateKey, keystorePassphrase, a
   * bearer token, an apiKey), but not passwordPolicy; plus secretData (the stored value of a user credential).
   * Keycloak's client attribute {@code client_credentials.use_refresh_token} is a switch, not a token.
   */
  private static final Pattern SECRET_NAME = Pattern.compile("(?i)(?!.*use_refresh_token$)"
      + ".*(secret|password|credential|credentials|private.?key|passphrase|keystorepass|truststorepass|token|api.?key)"
      + "|secretdata");

  private SecretKeys() {}

  /** Whether a field called {@code name} (at any depth) holds a secret. */
  public static boolean isSecret(String name) {
    return name != null && SECRET_NAME.matcher(name).matches();
  }
}
