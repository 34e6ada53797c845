package io.keycloakgitops.realmsync;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Deletes the realms a test class created (named through {@link It#realmName}) once it is done. The ITs share one
 * Keycloak, and each realm it holds adds roles to the master admin's token and work to every admin request, so
 * leftover realms made the later ITs slower (registered for every test class in META-INF/services).
 */
public final class DeleteTestRealms implements AfterAllCallback {
  @Override
  public void afterAll(ExtensionContext context) {
    It.deleteNamedRealms();
  }
}
