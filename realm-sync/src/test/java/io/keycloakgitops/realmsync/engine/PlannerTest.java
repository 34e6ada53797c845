package io.keycloakgitops.realmsync.engine;

import static io.keycloakgitops.realmsync.engine.CompareTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlannerTest {
  private static final String SOURCE = "test-source";
  private static final String LIVE = """
      {'realm':'test','id':'r1','enabled':true,'displayName':'Test','attributes':{'frontendUrl':''},
       'clients':[
         {'id':'c1','clientId':'web','publicClient':true,'rootUrl':'https://old','protocolMappers':[],
          'defaultClientScopes':['profile','email'],'optionalClientScopes':['phone']},
         {'id':'c2','clientId':'account','publicClient':true},
         {'id':'c3','clientId':'legacy'},
         {'id':'c4','clientId':'console-made'}],
       'clientScopes':[{'id':'s1','name':'profile'},{'id':'s2','name':'email'},{'id':'s3','name':'phone'}],
       'roles':{'realm':[{'id':'r-def','name':'default-roles-test','composite':true},{'id':'r-a','name':'reader'}],
                'client':{}},
       'users':[{'id':'u1','username':'alice','enabled':true,'realmRoles':['default-roles-test','reader'],
                 'clientRoles':{'web':['viewer']}}],
       'authenticationFlows':[
         {'id':'f1','alias':'custom','topLevel':true,'builtIn':false,'authenticationExecutions':[]},
         {'id':'f2','alias':'bound','topLevel':true,'builtIn':false,'authenticationExecutions':[]}],
       'browserFlow':'bound'}
      """;

  private static Plan plan(String desired, String live, SyncState persisted, PrunePolicy policy) {
    return result(desired, live, persisted, policy).plan();
  }

  private static Planner.Result result(String desired, String live, SyncState persisted, PrunePolicy policy) {
    ObjectNode desiredRep = json(desired);
    RealmModel liveModel = live == null ? null : RealmModel.of(json(live));
    return Planner.plan(new Planner.Input(desiredRep, RealmModel.of(desiredRep), liveModel, persisted, policy,
        new SecretPolicy(Set.of(), persisted, OwnershipKey.processLocal()), SOURCE));
  }

  private static SyncState owning(EntityType type, String... keys) {
    var state = SyncState.empty();
    state.own(SOURCE, type, List.of(keys));
    return state;
  }

  @Test
  void aFileMatchingTheServerPlansNothingAtAll() {
    var persisted = owning(EntityType.CLIENT, "web");
    var plan = plan("{'realm':'test','displayName':'Test','clients':[{'clientId':'web','publicClient':true}]}", LIVE,
        persisted, PrunePolicy.defaults());
    assertThat(plan.changes()).isEmpty();
  }

  @Test
  void oneChangedFieldIsOneUpdateOfThatField() {
    var plan = plan("{'realm':'test','clients':[{'clientId':'web','rootUrl':'https://new'}]}", LIVE,
        owning(EntityType.CLIENT, "web"), PrunePolicy.defaults());
    assertThat(plan.changes()).singleElement().satisfies(change -> {
      assertThat(change.describe()).isEqualTo("~ client \"web\"");
      assertThat(change.fields()).extracting(FieldChange::path).containsExactly("rootUrl");
    });
  }

  @Test
  void firstDeclarationOfExistingObjectsOnlyRecordsOwnership() {
    var result = result("{'realm':'test','clients':[{'clientId':'web'}]}", LIVE, SyncState.empty(), PrunePolicy.defaults());
    assertThat(result.plan().changes()).isEmpty();
    assertThat(result.target().owns(SOURCE, EntityType.CLIENT, "web")).isTrue();
  }

  @Test
  void aRunKilledAfterItsFirstBatchConvergesOnTheNextRun() {
    // The killed run created alice in its first partialImport batch and never wrote its ownership record.
    var result = result("{'realm':'test','users':[{'username':'alice','enabled':true},"
        + "{'username':'bob','enabled':true},{'username':'carol','enabled':true}]}", LIVE, SyncState.empty(),
        PrunePolicy.defaults());
    assertThat(result.plan().changes()).extracting(Change::op, Change::key)
        .containsExactly(tuple(Operation.CREATE, "bob"), tuple(Operation.CREATE, "carol"));
    assertThat(result.target().owns(SOURCE, EntityType.USER, "alice")).isTrue();
  }

  @Test
  void newClientsAreCreatedInBulkUnlessTheyNeedAServiceAccount() {
    var plan = plan("{'realm':'test','clients':[{'clientId':'web'},{'clientId':'spa'},"
        + "{'clientId':'backend','serviceAccountsEnabled':true}]}", LIVE, owning(EntityType.CLIENT, "web"),
        PrunePolicy.defaults());
    var creates = plan.changes().stream().filter(c -> c.op() == Operation.CREATE).toList();
    assertThat(creates).extracting(Change::key).containsExactly("spa", "backend");
    assertThat(creates.get(0).bulk()).isNotNull();
    assertThat(creates.get(1).bulk()).isNull();
  }

  @Test
  void onlyOwnedObjectsArePrunedAndNeverBuiltIns() {
    var persisted = owning(EntityType.CLIENT, "web", "legacy", "account");
    var plan = plan("{'realm':'test','clients':[{'clientId':'web'}]}", LIVE, persisted, PrunePolicy.defaults());
    assertThat(plan.changes()).filteredOn(c -> c.op() == Operation.DELETE).extracting(Change::key)
        .containsExactly("legacy");
    assertThat(plan.warnings()).anyMatch(w -> w.contains("\"account\" is built in"));
  }

  /** Which undeclared clients a source deletes, by who owns them: only its own, and only when nobody else does. */
  @Test
  void aSourcePrunesOnlyWhatItAloneOwns() {
    var persisted = SyncState.empty();
    persisted.own(SOURCE, EntityType.CLIENT, List.of("web", "legacy"));
    persisted.own("cr:team-a/realm", EntityType.CLIENT, List.of("console-made", "legacy"));
    var result = result("{'realm':'test','clients':[{'clientId':'web'}]}", LIVE, persisted, PrunePolicy.defaults());
    assertThat(result.plan().changes()).noneMatch(c -> c.op() == Operation.DELETE);
    assertThat(result.target().owns(SOURCE, EntityType.CLIENT, "legacy")).as("this source lets go").isFalse();
    assertThat(result.target().owns("cr:team-a/realm", EntityType.CLIENT, "legacy")).isTrue();
    assertThat(result.target().owns("cr:team-a/realm", EntityType.CLIENT, "console-made")).isTrue();
  }

  @Test
  void legacyOwnershipIsAdoptedByTheDeclaringSourceAndNeverPrunedByAnother() {
    var persisted = SyncState.fromRealmAttributes(Json.object().put(SyncState.ATTRIBUTE,
        "{\"v\":1,\"realmCreated\":true,\"source\":\"default\",\"owned\":{\"client\":[\"web\",\"legacy\"]}}"));
    var result = result("{'realm':'test','clients':[{'clientId':'web'}]}", LIVE, persisted, PrunePolicy.defaults());
    assertThat(result.plan().changes()).noneMatch(c -> c.op() == Operation.DELETE);
    assertThat(result.target().owns(SOURCE, EntityType.CLIENT, "web")).isTrue();
    assertThat(result.target().owns(SyncState.LEGACY, EntityType.CLIENT, "web")).isFalse();
    assertThat(result.target().owns(SyncState.LEGACY, EntityType.CLIENT, "legacy")).isTrue();
    assertThat(result.target().realmOwner()).as("the realm is claimed from the shared id").isEqualTo(SOURCE);
  }

  @Test
  void aRealmOwnedByAnotherSourceStaysItsOwn() {
    var persisted = SyncState.empty();
    persisted.markRealmCreated("cr:team-a/realm");
    var result = result("{'realm':'test'}", LIVE, persisted, PrunePolicy.defaults());
    assertThat(result.target().realmOwner()).isEqualTo("cr:team-a/realm");
  }

  @Test
  void noDeletePolicyKeepsOwnedObjectsWithAWarning() {
    var plan = plan("{'realm':'test','clients':[{'clientId':'web'}]}", LIVE, owning(EntityType.CLIENT, "web", "legacy"),
        PrunePolicy.parse("client=no-delete"));
    assertThat(plan.changes()).noneMatch(c -> c.op() == Operation.DELETE);
    assertThat(plan.warnings()).anyMatch(w -> w.contains("\"legacy\"") && w.contains("client=no-delete"));
  }

  @Test
  void undeclaredCollectionsAreLeftAlone() {
    var plan = plan("{'realm':'test'}", LIVE, owning(EntityType.CLIENT, "web", "legacy"), PrunePolicy.defaults());
    assertThat(plan.changes()).isEmpty();
  }

  @Test
  void userRolesKeepTheDefaultRoleAndOnlyTheDeclaredKind() {
    var plan = plan("{'realm':'test','users':[{'username':'alice','realmRoles':[]}]}", LIVE,
        owning(EntityType.USER, "alice"), PrunePolicy.defaults());
    assertThat(plan.changes()).singleElement().satisfies(change -> {
      assertThat(change.fields()).singleElement().satisfies(field -> {
        assertThat(field.before().toString()).contains("reader").doesNotContain("viewer");
        assertThat(field.after().toString()).contains("default-roles-test").doesNotContain("reader");
      });
    });
  }

  @Test
  void scopesMoveFromOptionalToDefaultWithRemovalsFirst() {
    var plan = plan("{'realm':'test','clients':[{'clientId':'web','defaultClientScopes':['profile','email','phone'],"
        + "'optionalClientScopes':[]}]}", LIVE, owning(EntityType.CLIENT, "web"), PrunePolicy.defaults());
    var api = new RecordingApi();
    var ctx = new ApplyContext(api, SyncState.empty(), owning(EntityType.CLIENT, "web"), null)
        .seed(RealmModel.of(json(LIVE)));
    plan.changes().stream().filter(c -> c.type() == EntityType.CLIENT).forEach(c -> c.action().run(ctx));
    assertThat(api.calls).containsExactly("DELETE /clients/c1/optional-client-scopes/s3",
        "PUT /clients/c1/default-client-scopes/s3");
  }

  @Test
  void aBoundFlowIsNotDeletedButAnUnboundOneIsAfterRebinding() {
    var persisted = owning(EntityType.FLOW, "custom", "bound");
    var plan = plan("{'realm':'test','authenticationFlows':[]}", LIVE, persisted, PrunePolicy.defaults());
    assertThat(plan.changes()).filteredOn(c -> c.op() == Operation.DELETE).extracting(Change::key)
        .containsExactly("custom");
    assertThat(plan.warnings()).anyMatch(w -> w.contains("\"bound\"") && w.contains("realm browserFlow"));

    var rebound = plan("{'realm':'test','browserFlow':'browser','authenticationFlows':[]}", LIVE, persisted,
        PrunePolicy.defaults());
    var order = rebound.changes().stream().map(Change::describe).toList();
    assertThat(order).containsSubsequence("~ realm \"test\"", "- flow \"bound\"");
  }

  @Test
  void aMissingRealmIsCreatedBareWithoutFlowBindings() {
    var result = result("{'realm':'new','displayName':'New','browserFlow':'mine','clients':[{'clientId':'a'}]}",
        null, SyncState.empty(), PrunePolicy.defaults());
    assertThat(result.plan().realmExists()).isFalse();
    assertThat(result.plan().changes()).singleElement().extracting(Change::describe).isEqualTo("+ realm \"new\"");
    assertThat(result.target().realmCreated()).isTrue();
    assertThat(result.target().owns(SOURCE, EntityType.CLIENT, "a")).isTrue();
  }

  @Test
  void aNewGroupTreeIsOneCreationWithNestedPathsForBulk() {
    var plan = plan("{'realm':'test','groups':[{'name':'staff','subGroups':[{'name':'admins','realmRoles':['reader']}]}]}",
        LIVE, SyncState.empty(), PrunePolicy.defaults());
    var creates = plan.changes().stream().filter(c -> c.op() == Operation.CREATE && !c.followUp()).toList();
    assertThat(creates).singleElement().satisfies(change -> {
      assertThat(change.key()).isEqualTo("/staff");
      assertThat(change.detail()).isEqualTo("with 1 subgroup");
      assertThat(change.bulk().representation().at("/subGroups/0/path").asText()).isEqualTo("/staff/admins");
    });
    assertThat(plan.changes()).anyMatch(c -> c.followUp() && c.phase() == Phase.GROUP_ROLES);
  }

  @Test
  void maskedSecretsWithoutHistoryAreRewrittenOnceThenRemembered() {
    String live = "{'realm':'test','id':'r1','identityProviders':[{'alias':'gh','providerId':'github',"
        + "'config':{'clientSecret':'**********'}}]}";
    String desired = "{'realm':'test','identityProviders':[{'alias':'gh','providerId':'github',"
        + "'config':{'clientSecret':'s3cret'}}]}";
    var first = plan(desired, live, owning(EntityType.IDENTITY_PROVIDER, "gh"), PrunePolicy.defaults());
    assertThat(first.visibleChanges()).singleElement().satisfies(c -> assertThat(c.fields().get(0).sensitive()).isTrue());

    var api = new RecordingApi();
    var state = owning(EntityType.IDENTITY_PROVIDER, "gh");
    var ctx = new ApplyContext(api, state, state.copy(), null);
    first.changes().forEach(c -> c.action().run(ctx));
    assertThat(ctx.state().hash("identity-provider/gh/config.clientSecret")).isNotNull();
    assertThat(plan(desired, live, ctx.state(), PrunePolicy.defaults()).changes()).isEmpty();
  }
}
