package io.keycloakgitops.realmsync.engine;

import static io.keycloakgitops.realmsync.engine.CompareTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IncrementalTest {
  private static final String BEFORE = """
      {'realm':'t','displayName':'T','clients':[{'clientId':'a','rootUrl':'x'},{'clientId':'b'},{'clientId':'c'}],
       'roles':{'realm':[{'name':'r1'}],'client':{'a':[{'name':'admin'}]}},
       'users':[{'username':'u1'},{'username':'u2'}]}
      """;

  @Test
  void onlyChangedAddedAndRemovedKeysAreSelected() {
    var after = BEFORE.replace("'rootUrl':'x'", "'rootUrl':'y'").replace(",{'clientId':'c'}", ",{'clientId':'d'}");
    var delta = Incremental.between(RealmModel.of(json(BEFORE)), RealmModel.of(json(after)));
    assertThat(delta.settings()).isFalse();
    assertThat(delta.keys()).containsOnlyKeys("clients");
    assertThat(delta.keys().get("clients")).containsExactlyInAnyOrder("a", "c", "d");
    var restricted = Incremental.restrict(RealmModel.of(json(after)), delta);
    assertThat(restricted.clients).containsOnlyKeys("a", "d");
    assertThat(restricted.users).isNull();
    assertThat(restricted.settings.isEmpty()).isTrue();
    var live = Incremental.restrictLive(RealmModel.of(json(BEFORE)), delta);
    assertThat(live.clients).containsOnlyKeys("a", "c");
    assertThat(live.settings.get("displayName").asText()).isEqualTo("T");
    assertThat(live.users).as("untouched collections stay as context").containsOnlyKeys("u1", "u2");
  }

  @Test
  void nestedCollectionsAndSettingsAreTracked() {
    var after = BEFORE.replace("'displayName':'T'", "'displayName':'U'").replace("{'name':'admin'}", "{'name':'admin','description':'d'}");
    var delta = Incremental.between(RealmModel.of(json(BEFORE)), RealmModel.of(json(after)));
    assertThat(delta.settings()).isTrue();
    assertThat(delta.keys()).containsOnlyKeys("clientRoles");
    var restricted = Incremental.restrict(RealmModel.of(json(after)), delta);
    assertThat(restricted.clientRoles.get("a")).containsOnlyKeys("admin");
    assertThat(restricted.realmRoles).isNull();
  }

  @Test
  void removalsInsideNestedCollectionsSelectTheirOwner() {
    String before = "{'realm':'t','identityProviders':[{'alias':'corp','providerId':'oidc'}],"
        + "'identityProviderMappers':[{'name':'m','identityProviderAlias':'corp','identityProviderMapper':'x'}],"
        + "'roles':{'client':{'a':[{'name':'admin'},{'name':'gone'}],'b':[{'name':'kept'}]}}}";
    String after = "{'realm':'t','identityProviders':[{'alias':'corp','providerId':'oidc'}],'identityProviderMappers':[],"
        + "'roles':{'client':{'a':[{'name':'admin'}]}}}";
    var delta = Incremental.between(RealmModel.of(json(before)), RealmModel.of(json(after)));
    var restricted = Incremental.restrict(RealmModel.of(json(after)), delta);
    assertThat(restricted.identityProviderMappers).containsOnlyKeys("corp");
    assertThat(restricted.identityProviderMappers.get("corp")).isEmpty();
    assertThat(restricted.clientRoles).as("b no longer declares roles: unmanaged, as in a full compare")
        .containsOnlyKeys("a");
    assertThat(restricted.clientRoles.get("a")).containsOnlyKeys("admin");
    assertThat(Incremental.restrictLive(RealmModel.of(json(before)), delta).clientRoles.get("a"))
        .containsOnlyKeys("admin", "gone");
  }

  @Test
  void aNewSubgroupOfAnUnchangedParentIsCreatedUnderIt() {
    String before = "{'realm':'t','groups':[{'name':'staff'}]}";
    String after = "{'realm':'t','groups':[{'name':'staff','subGroups':[{'name':'admins'}]}]}";
    String live = "{'realm':'t','id':'r','groups':[{'id':'g1','name':'staff','path':'/staff'}]}";
    var delta = Incremental.between(RealmModel.of(json(before)), RealmModel.of(json(after)));
    var desired = Incremental.restrict(RealmModel.of(json(after)), delta);
    assertThat(desired.groups).containsOnlyKeys("/staff/admins");
    var plan = Planner.plan(new Planner.Input(json(after), desired, Incremental.restrictLive(RealmModel.of(json(live)), delta),
        SyncState.empty(), PrunePolicy.defaults(), new SecretPolicy(java.util.Set.of(), SyncState.empty(), OwnershipKey.processLocal()), "t")).plan();
    assertThat(plan.visibleChanges()).extracting(Change::describe).containsExactly("+ group \"/staff/admins\"");
  }

  @Test
  void flowChangesAskForAFullCompare() {
    String before = "{'realm':'t','authenticationFlows':[{'alias':'f','authenticationExecutions':[]}]}";
    String after = "{'realm':'t','authenticationFlows':[]}";
    assertThat(Incremental.between(RealmModel.of(json(before)), RealmModel.of(json(after))).needsFullCompare()).isTrue();
    assertThat(Incremental.between(RealmModel.of(json(before)), RealmModel.of(json(before))).needsFullCompare()).isFalse();
  }

  @Test
  void anUnchangedFileHasAnEmptyDelta() {
    var delta = Incremental.between(RealmModel.of(json(BEFORE)), RealmModel.of(json(BEFORE)));
    assertThat(delta.size()).isZero();
  }

  @Test
  void organizationsAndLocalesAreTrackedOneByOne() {
    String before = "{'realm':'t','organizations':[{'name':'a'},{'name':'b'}],"
        + "'localizationTexts':{'en':{'k':'v'},'de':{'k':'w'}}}";
    String after = before.replace("{'name':'b'}", "{'name':'b','description':'B'}").replace("'k':'w'", "'k':'x'");
    var delta = Incremental.between(RealmModel.of(json(before)), RealmModel.of(json(after)));
    var restricted = Incremental.restrict(RealmModel.of(json(after)), delta);
    assertThat(restricted.organizations).containsOnlyKeys("b");
    assertThat(restricted.localizationTexts).containsOnlyKeys("de");
  }
}
