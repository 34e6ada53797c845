package io.keycloakgitops.realmsync.cli;

import io.keycloakgitops.realmsync.keycloak.KeycloakAdmin;
import io.keycloakgitops.realmsync.keycloak.KeycloakTarget;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The target Keycloak; credentials preferably from the environment, so they stay out of process listings. */
public final class KeycloakOptions {
  @Option(names = "--keycloak-url", defaultValue = "${env:KEYCLOAK_URL}", description = "Keycloak base URL (env KEYCLOAK_URL).")
  String url;

  @Option(names = "--keycloak-realm", defaultValue = "${env:KEYCLOAK_REALM:-master}",
      description = "Realm the admin logs in to (env KEYCLOAK_REALM, default ${DEFAULT-VALUE}).")
  String realm;

  @Option(names = "--keycloak-user", defaultValue = "${env:KEYCLOAK_USER}", description = "Admin user (env KEYCLOAK_USER).")
  String user;

  @Option(names = "--keycloak-password", defaultValue = "${env:KEYCLOAK_PASSWORD}", description = "Admin password (env KEYCLOAK_PASSWORD).")
  String password;

  @Option(names = "--keycloak-client-id", defaultValue = "${env:KEYCLOAK_CLIENT_ID}",
      description = "Service client for client-credentials login (env KEYCLOAK_CLIENT_ID).")
  String clientId;

  @Option(names = "--keycloak-client-secret", defaultValue = "${env:KEYCLOAK_CLIENT_SECRET}",
      description = "Its secret (env KEYCLOAK_CLIENT_SECRET).")
  String clientSecret;

  @Option(names = "--keycloak-ca-file", defaultValue = "${env:KEYCLOAK_CA_FILE}",
      description = "PEM file of the CA that signed Keycloak's certificate (env KEYCLOAK_CA_FILE).")
  Path caFile;

  @Option(names = "--keycloak-connect-timeout", defaultValue = "${env:KEYCLOAK_CONNECT_TIMEOUT:-5s}",
      converter = DurationConverter.class, description = "Connect timeout of admin calls (default ${DEFAULT-VALUE}).")
  Duration connectTimeout;

  @Option(names = "--keycloak-read-timeout", defaultValue = "${env:KEYCLOAK_READ_TIMEOUT:-60s}",
      converter = DurationConverter.class,
      description = "Read timeout of each admin call: a hung server fails its sync after this (default ${DEFAULT-VALUE}).")
  Duration readTimeout;

  public KeycloakAdmin.Timeouts timeouts() {
    return new KeycloakAdmin.Timeouts(connectTimeout, readTimeout);
  }

  public KeycloakTarget target() {
    return new KeycloakTarget(url, realm, user, password, clientId, clientSecret, caFile);
  }

  /** Whether any target was given (the service may instead take targets from Keycloak CRs). */
  public boolean given() {
    return url != null && !url.isBlank();
  }
}
