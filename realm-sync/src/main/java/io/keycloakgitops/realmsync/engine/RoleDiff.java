package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The roles to add and remove so that a role set (role mappings, composites, scope mappings) matches the file, and
 * the admin API calls that do it: one call per direction and role container.
 */
public record RoleDiff(Set<RoleRef> add, Set<RoleRef> remove) {
  /**
   * {@code implicit} are roles the server grants by itself (the realm's default role of users, uma_protection of
   * authorization-enabled service accounts): never removed.
   */
  public static RoleDiff of(Set<RoleRef> desired, Set<RoleRef> live, Set<RoleRef> implicit) {
    var add = new TreeSet<RoleRef>(desired);
    add.removeAll(live);
    var remove = new TreeSet<RoleRef>(live);
    remove.removeAll(desired);
    remove.removeAll(implicit);
    return new RoleDiff(add, remove);
  }

  public boolean isEmpty() {
    return add.isEmpty() && remove.isEmpty();
  }

  public FieldChange asFieldChange(String path, Set<RoleRef> live) {
    var after = new TreeSet<>(live);
    after.removeAll(remove);
    after.addAll(add);
    return new FieldChange(path, names(new TreeSet<>(live)), names(after), false);
  }

  private static JsonNode names(Set<RoleRef> roles) {
    return Json.array(roles.stream().map(RoleRef::toString).toList());
  }

  /**
   * Applies the diff on an endpoint pair shaped like role mappings: {@code base + "/realm"} and
   * {@code base + "/clients/{clientUuid}"}.
   */
  public void applyMappings(ApplyContext ctx, String base) {
    send(ctx, remove, (path, body) -> ctx.api().delete(path, body), base);
    send(ctx, add, (path, body) -> ctx.api().post(path, body), base);
  }

  /** Applies the diff on a composites endpoint, which takes realm and client roles in one list. */
  public void applyComposites(ApplyContext ctx, String compositesPath) {
    if (!remove.isEmpty()) {
      ctx.api().delete(compositesPath, reps(ctx, remove));
    }
    if (!add.isEmpty()) {
      ctx.api().post(compositesPath, reps(ctx, add));
    }
  }

  private static void send(ApplyContext ctx, Set<RoleRef> roles, java.util.function.BiConsumer<String, JsonNode> call,
      String base) {
    Map<String, List<RoleRef>> byContainer = new LinkedHashMap<>();
    for (RoleRef role : roles) {
      byContainer.computeIfAbsent(role.clientId() == null ? "" : role.clientId(), k -> new ArrayList<>()).add(role);
    }
    byContainer.forEach((clientId, refs) -> {
      String path = clientId.isEmpty() ? base + "/realm" : base + "/clients/" + ctx.clientId(clientId);
      call.accept(path, reps(ctx, refs));
    });
  }

  private static JsonNode reps(ApplyContext ctx, Iterable<RoleRef> roles) {
    var array = Json.array();
    roles.forEach(role -> array.add(ctx.role(role)));
    return array;
  }
}
