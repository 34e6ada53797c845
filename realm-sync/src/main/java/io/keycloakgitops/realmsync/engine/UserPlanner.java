package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Users with their groups and role mappings, and the role mappings of clients' service-account users. */
final class UserPlanner {
  static final Set<String> SUBPARTS = Set.of("credentials", "groups", "realmRoles", "clientRoles",
      "federatedIdentities", "clientConsents", "serviceAccountClientId", "socialLinks", "applicationRoles");

  private final PlanContext plan;
  private final RealmModel desired;
  private final RealmModel live;
  private final RoleRef defaultRole;

  UserPlanner(PlanContext plan) {
    this.plan = plan;
    this.desired = plan.desired();
    this.live = plan.live();
    this.defaultRole = RoleRef.realm(BuiltIns.defaultRoleName(plan.realm()));
  }

  void plan() {
    planUsers();
    planServiceAccounts();
  }

  private void planUsers() {
    if (desired.users == null) {
      return;
    }
    var liveUsers = PlanContext.orEmpty(live.users);
    desired.users.forEach((username, user) -> {
      ObjectNode current = liveUsers.get(username);
      if (current == null) {
        planCreation(username, user);
      } else {
        planUpdate(username, user, current);
      }
    });
    liveUsers.forEach((username, user) -> {
      if (!desired.users.containsKey(username) && plan.mayDelete(EntityType.USER, username, user)) {
        plan.delete(EntityType.USER, username, Phase.DELETE_USER, "/users/" + Json.text(user, "id"));
      }
    });
  }

  private void planUpdate(String username, ObjectNode user, ObjectNode current) {
    String id = Json.text(current, "id");
    var fields = plan.diff(user, current, EntityType.USER, username, SUBPARTS);
    if (!fields.isEmpty()) {
      var body = Representations.merged(current, user, SUBPARTS, Set.of());
      plan.add(Change.update(EntityType.USER, username, fields, Phase.USER, ctx -> ctx.api().put("/users/" + id, body)));
    }
    if (user.has("groups")) {
      var want = PlanContext.set(Json.strings(user.get("groups")));
      var have = new TreeSet<>(PlanContext.set(Json.strings(current.get("groups"))));
      // Keycloak puts every new user in the realm's default groups: those memberships are not the file's to remove.
      have.removeIf(g -> !want.contains(g) && PlanContext.set(live.defaultGroups).contains(g));
      if (!want.equals(have)) {
        plan.add(Change.update(EntityType.USER, username,
            List.of(new FieldChange("groups", Json.array(have), Json.array(want), false)), Phase.USER_PARTS,
            GroupPlanner.relink("/users/" + id + "/groups/", have, want)));
      }
    }
    Set<RoleRef> roles = RoleRef.declaredMappings(user);
    if (roles != null) {
      Set<RoleRef> liveRoles = RoleRef.managedOnly(RoleRef.read(current, "realmRoles", "clientRoles"), user);
      var diff = RoleDiff.of(roles, liveRoles, Set.of(defaultRole));
      if (!diff.isEmpty()) {
        plan.add(Change.update(EntityType.USER, username, List.of(diff.asFieldChange("roles", liveRoles)),
            Phase.USER_PARTS, ctx -> diff.applyMappings(ctx, "/users/" + id + "/role-mappings")));
      }
    }
  }

  /**
   * One POST (which takes groups and credentials but not roles, and grants the default role), then the roles. In
   * bulk the import takes everything, and gets the default role listed so both paths agree.
   */
  private void planCreation(String username, ObjectNode user) {
    var body = Json.without(user, List.of("realmRoles", "clientRoles"));
    var change = Change.create(EntityType.USER, username, Phase.USER,
        ctx -> ctx.remember(EntityType.USER, username, ctx.api().post("/users", body)));
    var bulkRep = user.deepCopy();
    var realmRoles = bulkRep.withArray("realmRoles");
    if (!Json.strings(realmRoles).contains(defaultRole.name())) {
      realmRoles.add(defaultRole.name());
    }
    plan.add(change.withBulk(new Change.BulkItem("users", null, bulkRep)));
    Set<RoleRef> roles = RoleRef.declaredMappings(user);
    if (roles != null) {
      var diff = RoleDiff.of(roles, Set.of(defaultRole), Set.of(defaultRole));
      if (!diff.isEmpty()) {
        plan.add(Change.followUp(EntityType.USER, username, Phase.USER_PARTS,
            ctx -> diff.applyMappings(ctx, "/users/" + ctx.userId(username) + "/role-mappings")));
      }
    }
  }

  /** Service-account users come with their client: only their role mappings are managed. */
  private void planServiceAccounts() {
    if (desired.serviceAccounts == null) {
      return;
    }
    var liveAccounts = PlanContext.orEmpty(live.serviceAccounts);
    desired.serviceAccounts.forEach((clientId, user) -> {
      Set<RoleRef> roles = RoleRef.declaredMappings(user);
      if (roles == null) {
        return;
      }
      ObjectNode current = liveAccounts.get(clientId);
      Set<RoleRef> liveRoles = current == null ? Set.of(defaultRole)
          : RoleRef.managedOnly(RoleRef.read(current, "realmRoles", "clientRoles"), user);
      // Authorization services give the client's service account uma_protection by themselves.
      var diff = RoleDiff.of(roles, liveRoles, Set.of(defaultRole, new RoleRef(clientId, "uma_protection")));
      if (!diff.isEmpty()) {
        plan.add(Change.update(EntityType.SERVICE_ACCOUNT, clientId, List.of(diff.asFieldChange("roles", liveRoles)),
            Phase.SERVICE_ACCOUNT,
            ctx -> diff.applyMappings(ctx, "/users/" + ctx.serviceAccountUserId(clientId) + "/role-mappings")));
      }
    });
  }
}
