package io.keycloakgitops.realmsync.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.engine.SyncState;
import org.junit.jupiter.api.Test;

class ExporterTest {
  private static ObjectNode json(String text) {
    return (ObjectNode) Json.read(text.replace('\'', '"'));
  }

  @Test
  void canonicalFormHasNoIdsNoSecretsAndStableOrder() {
    var live = json("{'realm':'demo','id':'r1','attributes':{'" + SyncState.ATTRIBUTE + "':'{}','x':'1'},"
        + "'clients':[{'id':'2','clientId':'web','secret':'plain','redirectUris':['b','a'],'access':{'view':true}},"
        + "{'id':'1','clientId':'api','attributes':{'client.secret.creation.time':'123'}}],"
        + "'identityProviders':[{'alias':'gh','internalId':'9','config':{'clientSecret':'**********','clientId':'c'}}],"
        + "'users':[{'id':'u','username':'svc','serviceAccountClientId':'api','realmRoles':['default-roles-demo']}]}");
    var out = Exporter.canonicalize(live, "demo");
    String text = Json.write(out);
    assertThat(text).doesNotContain("\"id\"", "plain", "internalId", "access", "sync-state", "creation.time");
    assertThat(out.at("/clients/0/clientId").asText()).isEqualTo("api");
    assertThat(out.at("/clients/1/secret").asText()).isEqualTo("**********");
    assertThat(out.at("/clients/1/redirectUris").toString()).isEqualTo("[\"a\",\"b\"]");
    assertThat(out.has("users") && out.get("users").isEmpty()).isTrue();
  }

  @Test
  void defaultsOfTheServerVersionAreLeftOut() {
    var defaults = Defaults.load();
    assertThat(defaults.keycloakVersion()).startsWith("26.");
    var fresh = defaults.realm("demo");
    var rep = fresh.deepCopy();
    rep.put("displayName", "Changed");
    rep.withArray("clients").addObject().put("clientId", "web").put("publicClient", true)
        .put("fullScopeAllowed", defaults.fresh("client").get("fullScopeAllowed").asBoolean());
    var out = Exporter.stripDefaults(rep, fresh, defaults);
    assertThat(out.properties()).extracting(java.util.Map.Entry::getKey)
        .containsExactlyInAnyOrder("realm", "displayName", "clients");
    assertThat(out.get("clients")).singleElement().satisfies(client ->
        assertThat(client.toString()).isEqualTo("{\"clientId\":\"web\",\"publicClient\":true}"));
  }
}
