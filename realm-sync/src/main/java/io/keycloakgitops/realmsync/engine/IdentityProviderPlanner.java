package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Identity providers by alias, and their mappers (exact per provider the file declares or lists mappers for). */
final class IdentityProviderPlanner {
  /** The organization a provider belongs to is linked from the organization's side, by alias. */
  private static final Set<String> ORGANIZATION_LINK = Set.of("organizationId");

  private final PlanContext plan;
  private final RealmModel desired;
  private final RealmModel live;

  IdentityProviderPlanner(PlanContext plan) {
    this.plan = plan;
    this.desired = plan.desired();
    this.live = plan.live();
  }

  void plan() {
    planProviders();
    planMappers();
  }

  private void planProviders() {
    if (desired.identityProviders == null) {
      return;
    }
    var liveIdps = PlanContext.orEmpty(live.identityProviders);
    desired.identityProviders.forEach((alias, idp) -> {
      ObjectNode current = liveIdps.get(alias);
      if (current == null) {
        var body = Json.without(idp, ORGANIZATION_LINK);
        var hashes = plan.createdSecretHashes(EntityType.IDENTITY_PROVIDER, alias, idp);
        plan.add(Change.create(EntityType.IDENTITY_PROVIDER, alias, Phase.IDP, ctx -> {
          ctx.api().post("/identity-provider/instances", body);
          PlanContext.remember(ctx, hashes);
        }));
        return;
      }
      var fields = plan.diff(idp, current, EntityType.IDENTITY_PROVIDER, alias, ORGANIZATION_LINK);
      if (!fields.isEmpty()) {
        // The live link stays in the body: the organization's side manages it.
        var body = Representations.merged(current, Json.without(idp, ORGANIZATION_LINK), Set.of(), Set.of());
        plan.add(Change.update(EntityType.IDENTITY_PROVIDER, alias, fields, Phase.IDP, ctx -> {
          ctx.api().put("/identity-provider/instances/" + Paths.segment(alias), body);
          PlanContext.rememberHashes(ctx, fields);
        }));
      }
    });
    liveIdps.forEach((alias, idp) -> {
      if (!desired.identityProviders.containsKey(alias) && plan.mayDelete(EntityType.IDENTITY_PROVIDER, alias, idp)) {
        plan.delete(EntityType.IDENTITY_PROVIDER, alias, Phase.DELETE_IDP,
            "/identity-provider/instances/" + Paths.segment(alias));
      }
    });
  }

  private void planMappers() {
    if (desired.identityProviderMappers == null) {
      return;
    }
    var aliases = new LinkedHashSet<String>(desired.identityProviderMappers.keySet());
    if (desired.identityProviders != null) {
      aliases.addAll(desired.identityProviders.keySet());
    }
    Map<String, Map<String, ObjectNode>> liveMappers = PlanContext.orEmpty(live.identityProviderMappers);
    for (String alias : aliases) {
      NamedParts.plan(plan, EntityType.IDENTITY_PROVIDER_MAPPER, alias,
          "/identity-provider/instances/" + Paths.segment(alias) + "/mappers",
          desired.identityProviderMappers.getOrDefault(alias, Map.of()), PlanContext.orEmpty(liveMappers.get(alias)),
          Phase.IDP_MAPPER, Phase.DELETE_IDP_MAPPER);
    }
  }
}
