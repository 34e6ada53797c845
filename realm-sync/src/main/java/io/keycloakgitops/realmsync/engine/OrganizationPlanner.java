package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Organizations by name: their settings and domains, and — when declared, exactly — their identity-provider links
 * (by alias) and members (by username), as a realm export lists them. A managed member (one that came through the
 * organization's identity provider) is never removed: Keycloak deletes such a user with the membership.
 */
final class OrganizationPlanner {
  static final String MEMBERS = "members";
  static final String IDENTITY_PROVIDERS = "identityProviders";
  private static final Set<String> LINKS = Set.of(MEMBERS, IDENTITY_PROVIDERS);
  private static final String MANAGED = "MANAGED";

  private final PlanContext plan;
  private final RealmModel desired;
  private final RealmModel live;

  OrganizationPlanner(PlanContext plan) {
    this.plan = plan;
    this.desired = plan.desired();
    this.live = plan.live();
  }

  void plan() {
    if (desired.organizations == null) {
      return;
    }
    var liveOrganizations = PlanContext.orEmpty(live.organizations);
    desired.organizations.forEach((name, organization) -> {
      ObjectNode current = liveOrganizations.get(name);
      if (current == null) {
        planCreation(name, organization);
      } else {
        planUpdate(name, organization, current);
      }
    });
    liveOrganizations.forEach((name, organization) -> {
      if (!desired.organizations.containsKey(name) && plan.mayDelete(EntityType.ORGANIZATION, name, organization)) {
        plan.delete(EntityType.ORGANIZATION, name, Phase.DELETE_ORGANIZATION,
            "/organizations/" + Json.text(organization, "id"));
      }
    });
  }

  private void planCreation(String name, ObjectNode organization) {
    var body = Json.without(organization, LINKS);
    var links = links(organization, Json.object(), new ArrayList<>());
    plan.add(Change.create(EntityType.ORGANIZATION, name, Phase.ORGANIZATION, ctx -> {
      String id = ctx.api().post("/organizations", body);
      ctx.remember(EntityType.ORGANIZATION, name, id);
      links.apply(ctx, "/organizations/" + id);
    }));
  }

  private void planUpdate(String name, ObjectNode organization, ObjectNode current) {
    String base = "/organizations/" + Json.text(current, "id");
    var fields = plan.diff(organization, current, EntityType.ORGANIZATION, name, LINKS, "attributes");
    if (!fields.isEmpty()) {
      var body = Representations.merged(Json.without(current, LINKS), organization, LINKS, Set.of("attributes"));
      plan.add(Change.update(EntityType.ORGANIZATION, name, fields, Phase.ORGANIZATION,
          ctx -> ctx.api().put(base, body)));
    }
    var summary = new ArrayList<FieldChange>();
    var links = links(organization, current, summary);
    if (!summary.isEmpty()) {
      plan.add(Change.update(EntityType.ORGANIZATION, name, summary, Phase.ORGANIZATION_LINKS,
          ctx -> links.apply(ctx, base)));
    }
  }

  /** Identity providers to link and unlink (by alias), members to add (by username) and remove (by user id). */
  private record Links(Set<String> link, Set<String> unlink, Set<String> add, Set<String> removeIds) {
    void apply(ApplyContext ctx, String base) {
      unlink.forEach(alias -> ctx.api().delete(base + "/identity-providers/" + Paths.segment(alias)));
      link.forEach(alias -> ctx.api().post(base + "/identity-providers", Json.NODES.textNode(alias)));
      removeIds.forEach(id -> ctx.api().delete(base + "/members/" + id));
      add.forEach(username -> ctx.api().post(base + "/members", Json.NODES.textNode(ctx.userId(username))));
    }
  }

  /** The link changes that make {@code current} match what {@code organization} declares; summarised as fields. */
  private static Links links(ObjectNode organization, ObjectNode current, List<FieldChange> summary) {
    var link = new TreeSet<String>();
    var unlink = new TreeSet<String>();
    if (organization.has(IDENTITY_PROVIDERS)) {
      var want = keys(organization.get(IDENTITY_PROVIDERS), "alias");
      var have = keys(current.get(IDENTITY_PROVIDERS), "alias");
      diff(IDENTITY_PROVIDERS, want.keySet(), have.keySet(), link, unlink, summary);
    }
    var add = new TreeSet<String>();
    var removeIds = new TreeSet<String>();
    if (organization.has(MEMBERS)) {
      var want = keys(organization.get(MEMBERS), "username");
      var have = keys(current.get(MEMBERS), "username");
      have.values().removeIf(member -> !want.containsKey(Json.text(member, "username"))
          && MANAGED.equals(Json.text(member, "membershipType")));
      var remove = new TreeSet<String>();
      diff(MEMBERS, want.keySet(), have.keySet(), add, remove, summary);
      remove.forEach(username -> removeIds.add(Json.text(have.get(username), "id")));
    }
    return new Links(link, unlink, add, removeIds);
  }

  private static void diff(String field, Set<String> want, Set<String> have, Set<String> added, Set<String> removed,
      List<FieldChange> summary) {
    want.stream().filter(k -> !have.contains(k)).forEach(added::add);
    have.stream().filter(k -> !want.contains(k)).forEach(removed::add);
    if (!added.isEmpty() || !removed.isEmpty()) {
      summary.add(new FieldChange(field, Json.array(have), Json.array(want), false));
    }
  }

  /** Usernames are case-insensitive in Keycloak; aliases are not. */
  private static Map<String, ObjectNode> keys(JsonNode array, String field) {
    var out = new TreeMap<String, ObjectNode>();
    for (ObjectNode item : Json.objects(array)) {
      String key = Json.text(item, field);
      if (key != null) {
        out.put(field.equals("username") ? key.toLowerCase(Locale.ROOT) : key, item);
      }
    }
    return out;
  }
}
