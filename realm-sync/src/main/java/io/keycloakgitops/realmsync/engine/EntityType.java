package io.keycloakgitops.realmsync.engine;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a change is about. {@code prunable} types are realm-level collections whose objects realm-sync remembers
 * owning, so their deletion follows the per-type prune policy; the others are parts of one object and are exact
 * whenever the file declares them.
 */
public enum EntityType {
  REALM("realm", true),
  CLIENT_SCOPE("client-scope", true),
  CLIENT_SCOPE_MAPPER("client-scope-mapper", false),
  DEFAULT_CLIENT_SCOPES("default-client-scopes", false),
  FLOW("flow", true),
  AUTHENTICATOR_CONFIG("authenticator-config", false),
  CLIENT("client", true),
  CLIENT_MAPPER("client-mapper", false),
  ROLE("role", true),
  CLIENT_ROLE("client-role", true),
  GROUP("group", true),
  DEFAULT_GROUPS("default-groups", false),
  USER("user", true),
  SERVICE_ACCOUNT("service-account", false),
  IDENTITY_PROVIDER("identity-provider", true),
  IDENTITY_PROVIDER_MAPPER("identity-provider-mapper", false),
  REQUIRED_ACTION("required-action", false),
  COMPONENT("component", true),
  AUTHORIZATION("authorization", false),
  SCOPE_MAPPING("scope-mapping", false),
  ORGANIZATION("organization", true),
  LOCALIZATION_TEXTS("localization-texts", false),
  SYNC_STATE("sync-state", false),
  /** A partialImport request creating many objects at once. */
  BULK("partial-import", false);

  private final String label;
  private final boolean prunable;

  EntityType(String label, boolean prunable) {
    this.label = label;
    this.prunable = prunable;
  }

  public String label() {
    return label;
  }

  public boolean prunable() {
    return prunable;
  }

  public static Optional<EntityType> byLabel(String label) {
    return Arrays.stream(values()).filter(t -> t.label.equals(label)).findFirst();
  }

  @Override
  public String toString() {
    return label;
  }
}
