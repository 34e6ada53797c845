package io.keycloakgitops.realmsync;

import com.fasterxml.jackson.databind.JsonNode;
import io.keycloakgitops.realmsync.engine.BuiltIns;
import io.keycloakgitops.realmsync.engine.Change;
import io.keycloakgitops.realmsync.engine.EntityType;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.engine.Operation;
import io.keycloakgitops.realmsync.engine.Plan;
import io.keycloakgitops.realmsync.engine.RealmApi;
import io.keycloakgitops.realmsync.engine.SyncState;
import io.keycloakgitops.realmsync.keycloak.KeycloakTarget;
import java.util.ArrayList;
import java.util.Locale;

/**
 * Principals realm-sync never deletes, whatever a file or the ownership record says: the user or client it logs in
 * with (and that client's service-account user), and users of the master realm who hold its {@code admin} role,
 * directly or through groups and composites. Deleting any of them would lock realm-sync, or the people who fix it,
 * out of Keycloak. Such a deletion is dropped from the plan with a warning and the object is released from the
 * ownership record, so it is not proposed again.
 */
final class ProtectedPrincipals {
  static final String MASTER_ADMIN_ROLE = "admin";
  private static final String SERVICE_ACCOUNT_PREFIX = "service-account-";

  private ProtectedPrincipals() {}

  /** {@code plan} without deletions of protected principals; {@code source} stops owning them in {@code target}. */
  static Plan keep(Plan plan, SyncState target, String source, KeycloakTarget login, RealmApi api) {
    var changes = new ArrayList<Change>();
    var warnings = new ArrayList<>(plan.warnings());
    for (Change change : plan.changes()) {
      String reason = change.op() == Operation.DELETE ? reason(plan.realm(), change, login, api) : null;
      if (reason == null) {
        changes.add(change);
      } else {
        warnings.add(change.type().label() + " \"" + change.key() + "\" is no longer declared but never deleted: " + reason);
        target.disown(source, change.type(), change.key());
      }
    }
    return changes.size() == plan.changes().size() ? plan : new Plan(plan.realm(), plan.realmExists(), changes, warnings);
  }

  private static String reason(String realm, Change change, KeycloakTarget login, RealmApi api) {
    String key = change.key();
    if (realm.equals(login.authRealm())) {
      String clientId = login.clientId();
      if (change.type() == EntityType.USER && login.username() != null && key.equalsIgnoreCase(login.username())) {
        return "realm-sync logs in with it";
      }
      if (clientId != null && (change.type() == EntityType.CLIENT && key.equals(clientId)
          || change.type() == EntityType.USER && key.equalsIgnoreCase(SERVICE_ACCOUNT_PREFIX + clientId))) {
        return "realm-sync logs in with client " + clientId;
      }
    }
    if (BuiltIns.MASTER.equals(realm) && change.type() == EntityType.USER && holdsMasterAdmin(api, key)) {
      return "it holds the master realm's " + MASTER_ADMIN_ROLE + " role";
    }
    return null;
  }

  /** Effective realm roles, so that the role given through a group or a composite counts too. */
  private static boolean holdsMasterAdmin(RealmApi api, String username) {
    for (JsonNode user : api.get("/users", "username", username, "exact", true)) {
      if (username.toLowerCase(Locale.ROOT).equals(Json.text(user, "username"))) {
        JsonNode roles = api.get("/users/" + Json.text(user, "id") + "/role-mappings/realm/composite");
        for (JsonNode role : roles) {
          if (MASTER_ADMIN_ROLE.equals(Json.text(role, "name"))) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
