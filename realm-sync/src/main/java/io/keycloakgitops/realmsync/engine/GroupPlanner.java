package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/** Groups by path, with their attributes and role mappings; a new group is created with its new descendants. */
final class GroupPlanner {
  static final Set<String> SUBPARTS = Set.of("realmRoles", "clientRoles", "subGroups");
  private static final Set<String> BODY_EXCLUDES = Set.of("realmRoles", "clientRoles", "subGroups", "path");

  private final PlanContext plan;
  private final RealmModel desired;
  private final RealmModel live;

  GroupPlanner(PlanContext plan) {
    this.plan = plan;
    this.desired = plan.desired();
    this.live = plan.live();
  }

  void plan() {
    if (desired.groups == null) {
      return;
    }
    var liveGroups = PlanContext.orEmpty(live.groups);
    desired.groups.forEach((path, group) -> {
      ObjectNode current = liveGroups.get(path);
      if (current == null) {
        String parent = parentPath(path);
        // A new parent creates its new children; a parent the file does not list here exists (incremental plans).
        if (parent.isEmpty() || liveGroups.containsKey(parent) || !desired.groups.containsKey(parent)) {
          planTreeCreation(path, parent);
        }
        return;
      }
      String id = Json.text(current, "id");
      var fields = plan.diff(group, current, EntityType.GROUP, path, SUBPARTS, "attributes");
      if (!fields.isEmpty()) {
        var body = Representations.merged(Representations.only(current, "id", "name", "attributes"), group,
            BODY_EXCLUDES, Set.of("attributes"));
        plan.add(Change.update(EntityType.GROUP, path, fields, Phase.GROUP, ctx -> ctx.api().put("/groups/" + id, body)));
      }
      Set<RoleRef> roles = RoleRef.declaredMappings(group);
      if (roles != null) {
        Set<RoleRef> liveRoles = RoleRef.managedOnly(RoleRef.read(current, "realmRoles", "clientRoles"), group);
        var diff = RoleDiff.of(roles, liveRoles, Set.of());
        if (!diff.isEmpty()) {
          plan.add(Change.update(EntityType.GROUP, path, List.of(diff.asFieldChange("roles", liveRoles)),
              Phase.GROUP_ROLES, ctx -> diff.applyMappings(ctx, "/groups/" + id + "/role-mappings")));
        }
      }
    });
    liveGroups.forEach((path, group) -> {
      // Deleting a parent deletes its children; their own deletes then find nothing, which counts as done.
      if (!desired.groups.containsKey(path) && plan.mayDelete(EntityType.GROUP, path, group)) {
        plan.delete(EntityType.GROUP, path, Phase.DELETE_GROUP, "/groups/" + Json.text(group, "id"));
      }
    });
  }

  /**
   * A new group with all its new descendants, as one change: created top-down, then role mappings. A new top-level
   * tree can also go into a partialImport (which only takes top-level groups, with their paths).
   */
  private void planTreeCreation(String path, String parent) {
    List<String> tree = desired.groups.keySet().stream()
        .filter(p -> p.equals(path) || p.startsWith(path + "/")).toList();
    var bodies = tree.stream().map(member -> Representations.only(desired.groups.get(member), "name", "attributes"))
        .toList();
    var change = Change.create(EntityType.GROUP, path, Phase.GROUP, ctx -> {
      for (int i = 0; i < tree.size(); i++) {
        String member = tree.get(i);
        String memberParent = parentPath(member);
        String endpoint = memberParent.isEmpty() ? "/groups" : "/groups/" + ctx.groupId(memberParent) + "/children";
        ctx.remember(EntityType.GROUP, member, ctx.api().post(endpoint, bodies.get(i)));
      }
    });
    if (tree.size() > 1) {
      change = change.withDetail("with " + (tree.size() - 1) + " subgroup" + (tree.size() > 2 ? "s" : ""));
    }
    plan.add(parent.isEmpty() ? change.withBulk(new Change.BulkItem("groups", null, nestedGroup(path))) : change);
    for (String member : tree) {
      Set<RoleRef> roles = RoleRef.declaredMappings(desired.groups.get(member));
      if (roles != null && !roles.isEmpty()) {
        var diff = RoleDiff.of(roles, Set.of(), Set.of());
        plan.add(Change.followUp(EntityType.GROUP, path, Phase.GROUP_ROLES,
            ctx -> diff.applyMappings(ctx, "/groups/" + ctx.groupId(member) + "/role-mappings")));
      }
    }
  }

  /** The export shape of a group and its declared descendants, with the paths partialImport needs. */
  private ObjectNode nestedGroup(String path) {
    var node = Json.without(desired.groups.get(path), List.of("subGroups"));
    node.put("path", path);
    var children = node.putArray("subGroups");
    desired.groups.keySet().stream().filter(p -> parentPath(p).equals(path)).forEach(p -> children.add(nestedGroup(p)));
    return node;
  }

  /** Calls that turn the group links under {@code base} ({@code base + groupId}) from {@code have} into {@code want}. */
  static Change.Action relink(String base, Set<String> have, Set<String> want) {
    return ctx -> {
      for (String path : have) {
        if (!want.contains(path)) {
          ctx.api().delete(base + ctx.groupId(path));
        }
      }
      for (String path : want) {
        if (!have.contains(path)) {
          ctx.api().put(base + ctx.groupId(path), Json.object());
        }
      }
    };
  }

  private static String parentPath(String path) {
    return path.substring(0, path.lastIndexOf('/'));
  }
}
