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
    var freshClient = defaults.fresh("client");
    rep.withArray("clients").addObject().put("clientId", "web").put("publicClient", true)
        .put("fullScopeAllowed", freshClient.get("fullScopeAllowed").asBoolean())
        .setAll(freshClient.retain("defaultClientScopes", "optionalClientScopes"));
    var out = Exporter.stripDefaults(rep, fresh, defaults);
    assertThat(out.properties()).extracting(java.util.Map.Entry::getKey)
        .containsExactlyInAnyOrder("realm", "enabled", "displayName", "clients");
    assertThat(out.get("clients")).singleElement().satisfies(client ->
        assertThat(client.toString()).isEqualTo("{\"clientId\":\"web\",\"publicClient\":true}"));
  }

  @Test
  void anEnabledRealmIsExportedEnabledBecauseARealmCreatedWithoutTheFieldIsDisabled() {
    var defaults = Defaults.load();
    var fresh = defaults.realm("demo");
    assertThat(fresh.get("enabled").asBoolean()).as("captured from an enabled realm").isTrue();
    var out = Exporter.stripDefaults(fresh.deepCopy(), fresh, defaults);
    assertThat(out.get("enabled").asBoolean()).isTrue();
    assertThat(out.has("sslRequired")).as("other fields at their defaults are still left out").isFalse();
  }

  @Test
  void theCredentialTypesOfAConditionAreExportedWhileSecretsOfAuthenticatorsAreMasked() {
    var live = json("{'realm':'demo','authenticatorConfig':[{'alias':'has-passkey',"
        + "'config':{'credentials':'webauthn-passwordless','secret':'s3cr3t'}}],"
        + "'users':[{'username':'ann','credentials':'plain'}]}");
    var out = Exporter.canonicalize(live, "demo");
    assertThat(out.at("/authenticatorConfig/0/config/credentials").asText()).isEqualTo("webauthn-passwordless");
    assertThat(out.at("/authenticatorConfig/0/config/secret").asText()).isEqualTo(Json.MASKED);
    assertThat(out.at("/users/0/credentials").asText()).as("elsewhere the name still means a secret")
        .isEqualTo(Json.MASKED);
  }

  @Test
  void aClientScopeKeepsItsProtocolAtTheDefaultBecauseKeycloakRefusesToCreateOneWithout() {
    var defaults = Defaults.load();
    var fresh = defaults.realm("demo");
    var rep = fresh.deepCopy();
    rep.withArray("clientScopes").addObject().put("name", "api-audience").put("protocol", "openid-connect");
    var out = Exporter.stripDefaults(rep, fresh, defaults);
    assertThat(out.get("clientScopes")).singleElement().satisfies(scope ->
        assertThat(scope.toString()).isEqualTo("{\"name\":\"api-audience\",\"protocol\":\"openid-connect\"}"));
  }

  @Test
  void aClientKeepingOneScopeListKeepsTheOtherBecauseKeycloakAddsDefaultsOnlyWhenBothAreMissing() {
    var defaults = Defaults.load();
    var fresh = defaults.realm("demo");
    var rep = fresh.deepCopy();
    var freshClient = defaults.fresh("client");
    var defaultScopes = Json.array(java.util.List.of("api-audience", "profile"));
    var webShop = rep.withArray("clients").addObject().put("clientId", "web-shop");
    webShop.set("defaultClientScopes", defaultScopes);
    webShop.set("optionalClientScopes", freshClient.get("optionalClientScopes"));
    rep.withArray("clients").addObject().put("clientId", "plain").put("publicClient", true)
        .setAll(freshClient.retain("defaultClientScopes", "optionalClientScopes"));
    var out = Exporter.stripDefaults(rep, fresh, defaults);
    assertThat(out.at("/clients/0/clientId").asText()).isEqualTo("web-shop");
    assertThat(out.at("/clients/0/optionalClientScopes")).isEqualTo(freshClient.get("optionalClientScopes"));
    assertThat(out.at("/clients/1").toString()).as("both lists at their defaults stay out")
        .isEqualTo("{\"clientId\":\"plain\",\"publicClient\":true}");
  }

  @Test
  void otpPolicyFieldsKeepTheirTypeBecauseKeycloakReadsThemOnlyWithIt() {
    var defaults = Defaults.load();
    var fresh = defaults.realm("demo");
    var rep = fresh.deepCopy().put("otpPolicyDigits", 8);
    var out = Exporter.stripDefaults(rep, fresh, defaults);
    assertThat(out.get("otpPolicyDigits").asInt()).isEqualTo(8);
    assertThat(out.get("otpPolicyType").asText()).isEqualTo(fresh.get("otpPolicyType").asText());
    assertThat(Exporter.stripDefaults(fresh.deepCopy(), fresh, defaults).has("otpPolicyType"))
        .as("an unchanged OTP policy is left out whole").isFalse();
  }
}
