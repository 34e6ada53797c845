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
  void anUnchangedFileHasAnEmptyDelta() {
    var delta = Incremental.between(RealmModel.of(json(BEFORE)), RealmModel.of(json(BEFORE)));
    assertThat(delta.size()).isZero();
  }
}
