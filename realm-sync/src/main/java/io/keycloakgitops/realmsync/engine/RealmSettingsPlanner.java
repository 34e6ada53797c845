package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The realm itself: its creation, and its top-level settings. Settings that name flows go late (after the flows
 * exist); the rest early, as one patch.
 */
final class RealmSettingsPlanner {
  private final PlanContext plan;
  private final RealmModel desired;
  private final RealmModel live;

  RealmSettingsPlanner(PlanContext plan) {
    this.plan = plan;
    this.desired = plan.desired();
    this.live = plan.live();
  }

  /**
   * A new realm is created bare (its settings, without flow bindings: custom flows do not exist yet) so that
   * Keycloak gives it every built-in object; the next pass then creates the declared objects like in any existing
   * realm, in bulk where there are many. Keycloak's full-realm import is not used: a declared collection there
   * replaces the built-ins (declare one client scope, lose profile and email; one key provider, lose the RSA keys).
   */
  static void planCreation(PlanContext plan) {
    String realm = plan.realm();
    plan.target().markRealmCreated(plan.source());
    var rep = plan.desired().settings.deepCopy();
    rep.remove(Planner.FLOW_BINDINGS);
    rep.put("realm", realm);
    Map<String, String> hashes = rep.has("smtpServer")
        ? PlanContext.secretHashes(plan.secrets(), EntityType.REALM.label() + "/" + realm + "/", "smtpServer.",
            rep.get("smtpServer"))
        : Map.of();
    plan.add(Change.create(EntityType.REALM, realm, Phase.REALM_EARLY, ctx -> {
      // The new realm carries its ownership record (with the hashes of its secrets) from the start.
      PlanContext.remember(ctx, hashes);
      var body = rep.deepCopy();
      var attributes = body.with("attributes");
      attributes.put(SyncState.ATTRIBUTE, ctx.state().encode());
      ctx.api().createRealm(body);
      ctx.realmCreated(attributes);
    }));
  }

  void plan() {
    var fields = plan.diff(withServerNormalisation(desired.settings), live.settings, EntityType.REALM, plan.realm(),
        Set.of());
    var early = fields.stream().filter(f -> !Planner.FLOW_BINDINGS.contains(f.field())).toList();
    var late = fields.stream().filter(f -> Planner.FLOW_BINDINGS.contains(f.field())).toList();
    if (!early.isEmpty()) {
      var body = realmPatch(early);
      ObjectNode desiredAttributes = early.stream().anyMatch(f -> f.field().equals("attributes"))
          ? (ObjectNode) desired.settings.get("attributes") : null;
      body.remove("attributes");
      plan.add(Change.update(EntityType.REALM, plan.realm(), early, Phase.REALM_EARLY, ctx -> {
        PlanContext.rememberHashes(ctx, early);
        ctx.putRealm(body, desiredAttributes);
      }));
    }
    if (!late.isEmpty()) {
      var body = realmPatch(late);
      plan.add(Change.update(EntityType.REALM, plan.realm(), late, Phase.REALM_LATE, ctx -> ctx.putRealm(body, null))
          .withDetail("flow bindings"));
    }
  }

  /** Keycloak keeps an SMTP password only with {@code auth: "true"}: otherwise it is not the file's to compare. */
  private static ObjectNode withServerNormalisation(ObjectNode settings) {
    if (settings.get("smtpServer") instanceof ObjectNode smtp && !"true".equals(Json.text(smtp, "auth"))
        && smtp.has("password")) {
      var copy = settings.deepCopy();
      ((ObjectNode) copy.get("smtpServer")).remove("password");
      return copy;
    }
    return settings;
  }

  /** Realm PUT is a patch of top-level fields: send only those that differ, nested objects merged with live. */
  private ObjectNode realmPatch(List<FieldChange> fields) {
    var body = Json.object();
    for (String field : new LinkedHashSet<>(fields.stream().map(FieldChange::field).toList())) {
      JsonNode value = desired.settings.get(field);
      JsonNode current = live.settings.get(field);
      if (value.isObject() && current != null && current.isObject()) {
        body.set(field, Representations.merged((ObjectNode) current, (ObjectNode) value, Set.of(), Set.of()));
      } else {
        body.set(field, value.deepCopy());
      }
    }
    return body;
  }
}
