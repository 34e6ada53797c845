package io.keycloakgitops.realmsync.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CompareTest {
  private static final Compare.Rules RULES = Compare.Rules.of("client/web", Set.of("protocolMappers"));

  static ObjectNode json(String text) {
    return (ObjectNode) Json.read(text.replace('\'', '"'));
  }

  private static List<String> paths(List<FieldChange> changes) {
    return changes.stream().map(FieldChange::path).toList();
  }

  @Test
  void onlyDeclaredFieldsAreCompared() {
    var desired = json("{'clientId':'web','publicClient':true}");
    var live = json("{'clientId':'web','publicClient':true,'bearerOnly':false,'id':'123','rootUrl':'https://x'}");
    assertThat(Compare.diff(desired, live, RULES, Compare.Secrets.NONE)).isEmpty();
  }

  @Test
  void oneChangedFieldIsOneChange() {
    var desired = json("{'clientId':'web','publicClient':true,'rootUrl':'https://new'}");
    var live = json("{'clientId':'web','publicClient':true,'rootUrl':'https://old'}");
    var changes = Compare.diff(desired, live, RULES, Compare.Secrets.NONE);
    assertThat(paths(changes)).containsExactly("rootUrl");
    assertThat(changes.get(0).before().asText()).isEqualTo("https://old");
    assertThat(changes.get(0).after().asText()).isEqualTo("https://new");
  }

  @Test
  void serverDefaultsLeftOutByTheServerMatchDeclaredDefaults() {
    var desired = json("{'description':'','redirectUris':[],'attributes':{},'trustEmail':false,'config':{'a':''}}");
    assertThat(Compare.diff(desired, json("{}"), RULES, Compare.Secrets.NONE)).isEmpty();
  }

  @Test
  void valuesTolerateTypeDriftBetweenFileAndServer() {
    var desired = json("{'attributes':{'x':true,'n':300},'priority':10}");
    var live = json("{'attributes':{'x':'true','n':'300'},'priority':10.0}");
    assertThat(Compare.diff(desired, live, RULES, Compare.Secrets.NONE)).isEmpty();
  }

  @Test
  void listsOfPlainValuesAreSets() {
    var desired = json("{'redirectUris':['b','a']}");
    assertThat(Compare.diff(desired, json("{'redirectUris':['a','b']}"), RULES, Compare.Secrets.NONE)).isEmpty();
    assertThat(paths(Compare.diff(desired, json("{'redirectUris':['a']}"), RULES, Compare.Secrets.NONE)))
        .containsExactly("redirectUris");
  }

  @Test
  void dataMapsCompareDeclaredKeysUnlessExact() {
    var desired = json("{'attributes':{'a':['1']}}");
    var live = json("{'attributes':{'a':['1'],'b':['2']}}");
    assertThat(Compare.diff(desired, live, RULES, Compare.Secrets.NONE)).isEmpty();
    var exact = Compare.diff(desired, live, RULES.exact("attributes"), Compare.Secrets.NONE);
    assertThat(paths(exact)).containsExactly("attributes.b");
    assertThat(exact.get(0).after()).isNull();
  }

  @Test
  void idsAndSubPartsAreIgnoredButDataMapKeysNamedIdAreNot() {
    var desired = json("{'id':'file-id','protocolMappers':[{'name':'x'}],'config':{'id':'7'}}");
    var live = json("{'id':'server-id','config':{'id':'8'}}");
    assertThat(paths(Compare.diff(desired, live, RULES, Compare.Secrets.NONE))).containsExactly("config.id");
  }

  @Test
  void maskedValuesInTheFileAreLeftAlone() {
    var desired = json("{'secret':'**********','config':{'bindCredential':['**********']}}");
    var live = json("{'secret':'actual','config':{'bindCredential':['**********']}}");
    assertThat(Compare.diff(desired, live, RULES, Compare.Secrets.NONE)).isEmpty();
  }

  @Test
  void maskedServerSecretsCompareThroughTheRememberedHash() {
    var desired = json("{'config':{'clientSecret':'s3cret'}}");
    var live = json("{'config':{'clientSecret':'**********'}}");
    var unknown = Compare.diff(desired, live, RULES, Compare.Secrets.NONE);
    assertThat(unknown).singleElement().satisfies(change -> {
      assertThat(change.sensitive()).isTrue();
      assertThat(change.hashKey()).isEqualTo("client/web/config.clientSecret");
    });
    var key = OwnershipKey.of(OwnershipKey.random());
    Compare.Secrets remembered = new SecretPolicy(Set.of(), stateWith(Map.of("client/web/config.clientSecret",
        key.hash("s3cret"))), key);
    assertThat(Compare.diff(desired, live, RULES, remembered)).isEmpty();
    var changed = json("{'config':{'clientSecret':'rotated'}}");
    assertThat(Compare.diff(changed, live, RULES, remembered)).hasSize(1);
  }

  @Test
  void placeholderValuesAndSecretNamesAreSensitive() {
    var secrets = new SecretPolicy(Set.of("from-env-value"), SyncState.empty(), OwnershipKey.processLocal());
    var desired = json("{'description':'uses from-env-value here','secret':'x','passwordPolicy':'length(8)'}");
    var changes = Compare.diff(desired, json("{}"), RULES, secrets);
    assertThat(changes).allSatisfy(c -> assertThat(c.sensitive()).isEqualTo(!c.path().equals("passwordPolicy")));
  }

  static SyncState stateWith(Map<String, String> hashes) {
    var state = SyncState.empty();
    hashes.forEach(state::rememberHash);
    return state;
  }
}
