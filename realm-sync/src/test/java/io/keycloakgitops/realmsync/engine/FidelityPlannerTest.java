package io.keycloakgitops.realmsync.engine;

import static io.keycloakgitops.realmsync.engine.CompareTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Plans for shapes that full realm exports have and hand-written files rarely do (issue 11's failure classes). */
class FidelityPlannerTest {
  private static final String LIVE = """
      {'realm':'test','id':'r1','clients':[{'id':'c1','clientId':'existing'}],
       'roles':{'realm':[{'id':'r-user','name':'user'}],'client':{}},
       'authenticationFlows':[
         {'id':'f1','alias':'browser','topLevel':true,'builtIn':true,'authenticationExecutions':[
           {'id':'e1','authenticator':'auth-cookie','requirement':'ALTERNATIVE','priority':10},
           {'id':'e2','flowAlias':'Organization','requirement':'ALTERNATIVE','priority':26}]},
         {'id':'f2','alias':'Organization','topLevel':false,'builtIn':true,'authenticationExecutions':[]},
         {'id':'f3','alias':'mine','topLevel':true,'builtIn':false,'authenticationExecutions':[
           {'id':'e3','authenticator':'auth-cookie','requirement':'ALTERNATIVE','priority':10},
           {'id':'e4','authenticator':'auth-otp-form','requirement':'REQUIRED','priority':20}]}]}
      """;

  private static Plan plan(String desired) {
    ObjectNode rep = json(desired);
    var persisted = SyncState.empty();
    return Planner.plan(new Planner.Input(rep, RealmModel.of(rep), RealmModel.of(json(LIVE)), persisted,
        PrunePolicy.defaults(), new SecretPolicy(Set.of(), persisted, OwnershipKey.processLocal()), "test")).plan();
  }

  private static List<String> run(Plan plan, RecordingApi api) {
    var ctx = new ApplyContext(api, SyncState.empty(), SyncState.empty(), null);
    ctx.seed(RealmModel.of(json(LIVE)));
    plan.changes().forEach(change -> change.action().run(ctx));
    return api.calls;
  }

  @Test
  void aNewClientsAuthorizationSettingsAreImportedAfterRolesGroupsAndUsers() {
    var plan = plan("{'realm':'test','clients':[{'clientId':'api','authorizationServicesEnabled':true,"
        + "'serviceAccountsEnabled':true,'authorizationSettings':{'policies':[{'name':'p','type':'role'}]}}]}");
    var client = plan.changes().stream().filter(c -> c.type() == EntityType.CLIENT).findFirst().orElseThrow();
    var authz = plan.changes().stream().filter(c -> c.type() == EntityType.AUTHORIZATION).findFirst().orElseThrow();
    assertThat(client.bulk()).isNull();
    assertThat(authz.phase()).isGreaterThan(Phase.USER).isGreaterThan(Phase.GROUP).isGreaterThan(Phase.ROLE);
    var api = new RecordingApi();
    run(plan, api);
    assertThat(api.calls).containsExactly("POST /clients", "POST /clients/id-1/authz/resource-server/import");
  }

  @Test
  void umaProtectionThatKeycloakMadeWithItsClientIsUpdatedNotCreatedTwice() {
    var plan = plan("{'realm':'test','roles':{'client':{'existing':[{'name':'uma_protection','description':'d'}]}}}");
    var api = new RecordingApi();
    api.reads.put("/clients/c1/roles/uma_protection", json("{'name':'uma_protection'}"));
    assertThat(run(plan, api)).containsExactly("PUT /clients/c1/roles/uma_protection");
    assertThat(plan.changes()).allMatch(c -> c.bulk() == null);
  }

  @Test
  void anExecutionMissingFromABuiltInFlowIsDisabledNotRemoved() {
    var plan = plan("{'realm':'test','authenticationFlows':[{'alias':'browser','topLevel':true,'builtIn':true,"
        + "'authenticationExecutions':[{'authenticator':'auth-cookie','requirement':'ALTERNATIVE','priority':10}]}]}");
    assertThat(plan.warnings()).anyMatch(w -> w.contains("built-in flow \"browser\"") && w.contains("kept DISABLED"));
    var api = new RecordingApi();
    assertThat(run(plan, api)).containsExactly("PUT /authentication/flows/browser/executions");
  }

  @Test
  void anExecutionMissingFromACustomFlowIsRemoved() {
    var plan = plan("{'realm':'test','authenticationFlows':[{'alias':'mine','topLevel':true,"
        + "'authenticationExecutions':[{'authenticator':'auth-cookie','requirement':'ALTERNATIVE','priority':10}]}]}");
    var api = new RecordingApi();
    assertThat(run(plan, api)).containsExactly("DELETE /authentication/executions/e4");
  }
}
