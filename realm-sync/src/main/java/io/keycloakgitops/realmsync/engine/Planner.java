package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * Computes the plan that makes a live realm match its file: per object, create what is missing, update only the
 * declared fields that differ, delete what realm-sync owns and the file dropped. Pure: it reads two models and
 * returns changes whose actions run later against the admin API. Each kind of object has its own planner; they
 * share a {@link PlanContext}.
 */
public final class Planner {
  /** Realm settings that name flows: set after the flows exist, and before flows they unbind are deleted. */
  static final Set<String> FLOW_BINDINGS = Set.of("browserFlow", "registrationFlow", "directGrantFlow",
      "resetCredentialsFlow", "clientAuthenticationFlow", "dockerAuthenticationFlow", "firstBrokerLoginFlow");

  /** The file (resolved, ids stripped) and the server as read; {@code live} is null when the realm is missing. */
  public record Input(ObjectNode desiredRep, RealmModel desired, RealmModel live, SyncState persisted,
      PrunePolicy policy, SecretPolicy secrets, String source) {}

  /** The plan and the ownership record it leads to when it succeeds. */
  public record Result(Plan plan, SyncState target) {}

  private Planner() {}

  public static Result plan(Input in) {
    var plan = new PlanContext(in);
    RealmModel.unsupportedFields(in.desiredRep())
        .forEach(field -> plan.warn("realm field \"" + field + "\" is not managed by realm-sync and is ignored"));
    ownDeclared(plan);
    if (plan.live() == null) {
      RealmSettingsPlanner.planCreation(plan);
      return new Result(new Plan(plan.realm(), false, plan.changes(), plan.warnings()), plan.target());
    }
    new RealmSettingsPlanner(plan).plan();
    new FlowPlanner(plan).plan();
    new ClientScopePlanner(plan).plan();
    new ClientPlanner(plan).plan();
    new RolePlanner(plan).plan();
    new GroupPlanner(plan).plan();
    new DefaultGroupsPlanner(plan).plan();
    new UserPlanner(plan).plan();
    new IdentityProviderPlanner(plan).plan();
    new OrganizationPlanner(plan).plan();
    new LocalizationPlanner(plan).plan();
    new RequiredActionPlanner(plan).plan();
    new ComponentPlanner(plan).plan();
    new ScopeMappingPlanner(plan).plan();
    return new Result(new Plan(plan.realm(), true, plan.changes(), plan.warnings()), plan.target());
  }

  /** Every declared object of a prunable type is owned by this source once this sync succeeds; so is an unowned realm. */
  private static void ownDeclared(PlanContext plan) {
    plan.target().claimRealm(plan.source());
    for (RealmCollection collection : RealmCollection.values()) {
      plan.target().own(plan.source(), collection.type(), collection.ownedKeys(plan.desired()));
    }
  }
}
