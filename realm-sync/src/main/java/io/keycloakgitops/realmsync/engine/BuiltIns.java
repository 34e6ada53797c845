package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * Objects Keycloak creates with every realm (and the master realm's own). realm-sync never deletes them, whatever
 * the files or the ownership record say: losing one breaks logins or the admin console.
 */
public final class BuiltIns {
  public static final String MASTER = "master";
  static final Set<String> CLIENTS = Set.of("account", "account-console", "admin-cli", "broker", "realm-management",
      "security-admin-console");
  static final Set<String> CLIENT_SCOPES = Set.of("acr", "address", "basic", "email", "microprofile-jwt",
      "offline_access", "organization", "phone", "profile", "role_list", "roles", "saml_organization",
      "service_account", "web-origins");
  static final Set<String> FLOWS = Set.of("browser", "clients", "direct grant", "docker auth", "first broker login",
      "registration", "reset credentials");
  static final Set<String> REALM_ROLES = Set.of("offline_access", "uma_authorization");
  static final Set<String> MASTER_ROLES = Set.of("admin", "create-realm");
  /** The generated realm keys and the client-registration policies every realm starts with. */
  static final Set<String> COMPONENTS = Set.of("rsa-generated", "rsa-enc-generated", "hmac-generated-hs512",
      "aes-generated", "Allowed Client Scopes", "Full Scope Disabled", "Allowed Protocol Mapper Types",
      "Allowed Registration Web Origins", "Consent Required", "Trusted Hosts", "Max Clients Limit");

  private BuiltIns() {}

  public static String defaultRoleName(String realm) {
    return "default-roles-" + realm.toLowerCase(java.util.Locale.ROOT);
  }

  /** Client roles Keycloak makes by itself with their client (authorization services add uma_protection). */
  static final Set<String> SERVER_MADE_CLIENT_ROLES = Set.of("uma_protection");

  /** Whether the object must survive pruning; {@code live} is its server representation when known. */
  public static boolean isBuiltIn(String realm, EntityType type, String key, JsonNode live) {
    return switch (type) {
      case REALM -> MASTER.equals(key);
      case CLIENT -> CLIENTS.contains(key) || MASTER.equals(realm) && key.endsWith("-realm");
      // A clientId may contain '/' (SAML entity ids), realm names may not: match built-in clients as prefixes.
      case CLIENT_ROLE -> CLIENTS.stream().anyMatch(c -> key.startsWith(c + "/"))
          || MASTER.equals(realm) && key.substring(0, key.indexOf('/')).endsWith("-realm");
      case ROLE -> REALM_ROLES.contains(key) || key.equals(defaultRoleName(realm))
          || MASTER.equals(realm) && MASTER_ROLES.contains(key);
      case CLIENT_SCOPE -> CLIENT_SCOPES.contains(key);
      case FLOW -> FLOWS.contains(key) || Json.bool(live, "builtIn");
      case COMPONENT -> live != null && COMPONENTS.contains(Json.text(live, "name"));
      default -> false;
    };
  }
}
