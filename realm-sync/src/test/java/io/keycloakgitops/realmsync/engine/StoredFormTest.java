package io.keycloakgitops.realmsync.engine;

import static io.keycloakgitops.realmsync.engine.CompareTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Declared values rewritten to the form Keycloak stores, each said once as a warning. */
class StoredFormTest {
  @Test
  void samlProtocolMappersLoseConsentFieldsWithOneWarning() {
    var rep = json("{'realm':'r','clients':[{'clientId':'sp','protocol':'saml','protocolMappers':["
        + "{'name':'uid','protocolMapper':'saml-user-property-mapper','consentRequired':true,'consentText':'id'},"
        + "{'name':'mail','protocol':'saml','consentRequired':false}]},"
        + "{'clientId':'oidc','protocolMappers':[{'name':'m','protocol':'openid-connect','consentRequired':true}]}]}");
    var notes = StoredForm.normalize(rep);
    assertThat(rep.at("/clients/0/protocolMappers/0").has("consentRequired")).isFalse();
    assertThat(rep.at("/clients/0/protocolMappers/0").has("consentText")).isFalse();
    assertThat(rep.at("/clients/0/protocolMappers/1").has("consentRequired")).isFalse();
    assertThat(rep.at("/clients/1/protocolMappers/0/consentRequired").asBoolean()).isTrue();
    assertThat(notes).containsExactly(
        "Keycloak stores SAML protocol mapper \"uid\" of client \"sp\" without consentRequired/consentText");
  }

  @Test
  void aPublicClientHasNoSecret() {
    var rep = json("{'realm':'r','clients':[{'clientId':'app','publicClient':true,'secret':'s'},"
        + "{'clientId':'backend','secret':'t'}]}");
    var notes = StoredForm.normalize(rep);
    assertThat(rep.at("/clients/0").has("secret")).isFalse();
    assertThat(rep.at("/clients/1/secret").asText()).isEqualTo("t");
    assertThat(notes).singleElement().asString().contains("client \"app\" without its \"secret\"");
  }

  @Test
  void authorizationResourceUriBecomesUrisAndRolePolicyRolesGetRequiredFalse() {
    var rep = json("{'realm':'r','clients':[{'clientId':'api','authorizationSettings':{"
        + "'resources':[{'name':'Album','uri':'/album/*'},{'name':'Both','uri':'/b','uris':['/b']}],"
        + "'policies':[{'name':'users','type':'role','config':{'roles':'[{\\\"id\\\":\\\"user\\\"}]'}},"
        + "{'name':'admins','type':'role','config':{'roles':'[{\\\"id\\\":\\\"admin\\\",\\\"required\\\":true}]'}}]}}]}");
    var notes = StoredForm.normalize(rep);
    assertThat(Json.strings(rep.at("/clients/0/authorizationSettings/resources/0/uris"))).containsExactly("/album/*");
    assertThat(rep.at("/clients/0/authorizationSettings/resources/0").has("uri")).isFalse();
    assertThat(Json.strings(rep.at("/clients/0/authorizationSettings/resources/1/uris"))).containsExactly("/b");
    assertThat(Json.read(rep.at("/clients/0/authorizationSettings/policies/0/config/roles").asText()))
        .isEqualTo(Json.read("[{\"id\":\"user\",\"required\":false}]"));
    assertThat(Json.read(rep.at("/clients/0/authorizationSettings/policies/1/config/roles").asText()))
        .isEqualTo(Json.read("[{\"id\":\"admin\",\"required\":true}]"));
    assertThat(notes).hasSize(3).allMatch(n -> n.startsWith("Keycloak stores "));
  }

  @Test
  void exportedOverrideFlowIdsBecomeAliasesOfTheFilesFlows() {
    var rep = json("{'realm':'r','authenticationFlows':[{'id':'f-1','alias':'strict grant'}],"
        + "'clients':[{'clientId':'app','authenticationFlowBindingOverrides':{'direct_grant':'f-1','browser':'mine'}}]}");
    StoredForm.normalize(rep);
    assertThat(rep.at("/clients/0/authenticationFlowBindingOverrides/direct_grant").asText()).isEqualTo("strict grant");
    assertThat(rep.at("/clients/0/authenticationFlowBindingOverrides/browser").asText()).isEqualTo("mine");
  }

  @Test
  void legacyApplicationsOauthClientsAndApplicationRolesReadAsKeycloaksImportReadsThem() {
    var rep = json("{'realm':'r','applications':[{'name':'catalog','bearerOnly':true}],"
        + "'oauthClients':[{'name':'tool','publicClient':true}],"
        + "'roles':{'realm':[{'name':'power','composites':{'application':{'catalog':['read']}}}],"
        + "'application':{'catalog':[{'name':'read'}]}},"
        + "'applicationScopeMappings':{'catalog':[{'client':'tool','roles':['read']}]}}");
    var notes = StoredForm.normalize(rep);
    assertThat(rep.has("applications")).isFalse();
    assertThat(rep.has("oauthClients")).isFalse();
    assertThat(rep.at("/clients/0/clientId").asText()).isEqualTo("catalog");
    assertThat(rep.at("/clients/0").has("name")).isFalse();
    assertThat(rep.at("/clients/1/clientId").asText()).isEqualTo("tool");
    assertThat(rep.at("/clients/1/consentRequired").asBoolean()).isTrue();
    assertThat(rep.at("/clients/1/fullScopeAllowed").asBoolean()).isFalse();
    assertThat(rep.at("/roles/client/catalog/0/name").asText()).isEqualTo("read");
    assertThat(Json.strings(rep.at("/roles/realm/0/composites/client/catalog"))).containsExactly("read");
    assertThat(rep.at("/clientScopeMappings/catalog/0/client").asText()).isEqualTo("tool");
    assertThat(RealmModel.of(rep).clients).containsKeys("catalog", "tool");
    assertThat(notes).hasSize(5);
  }

  @Test
  void legacyRealmKeysBecomeTheRsaAndRsaEncKeyProviders() {
    var rep = json("{'realm':'r','privateKey':'PRIV','publicKey':'PUB','certificate':'CERT'}");
    var notes = StoredForm.normalize(rep);
    assertThat(rep.has("privateKey")).isFalse();
    assertThat(rep.has("publicKey")).isFalse();
    assertThat(rep.has("certificate")).isFalse();
    var providers = rep.at("/components/org.keycloak.keys.KeyProvider");
    assertThat(Json.objects(providers)).extracting(c -> Json.text(c, "providerId")).containsExactly("rsa", "rsa-enc");
    assertThat(providers.at("/0/config/privateKey/0").asText()).isEqualTo("PRIV");
    assertThat(providers.at("/1/config/certificate/0").asText()).isEqualTo("CERT");
    assertThat(notes).singleElement().asString().contains("\"rsa\" and \"rsa-enc\"");
  }

  @Test
  void realmClientIsKeycloaksToSet() {
    var rep = json("{'realm':'r','clients':[{'clientId':'realm-management','attributes':{'realm_client':'true','x':'1'}}]}");
    StoredForm.normalize(rep);
    assertThat(rep.at("/clients/0/attributes").has("realm_client")).isFalse();
    assertThat(rep.at("/clients/0/attributes/x").asText()).isEqualTo("1");
  }

  @Test
  void theStoredFormIsStableSoItsWarningsComeOnlyFromTheFile() {
    var rep = json("{'realm':'r','clients':[{'clientId':'app','publicClient':true,'secret':'s'}]}");
    assertThat(StoredForm.normalize(rep)).hasSize(1);
    assertThat(StoredForm.normalize(rep)).isEmpty();
  }

  @Test
  void identityProvidersLoseUpdateProfileFirstLoginModeAndHideOnLoginPageBecomesHideOnLogin() {
    var rep = json("{'realm':'r','identityProviders':["
        + "{'alias':'old','updateProfileFirstLoginMode':'on','config':{'hideOnLoginPage':'true','clientId':'c'}},"
        + "{'alias':'saml','updateProfileFirstLogin':false,'config':{'hideOnLoginPage':'false'}},"
        + "{'alias':'new','hideOnLogin':true,'config':{'clientId':'n'}}]}");
    var notes = StoredForm.normalize(rep);
    assertThat(rep.at("/identityProviders/0").has("updateProfileFirstLoginMode")).isFalse();
    assertThat(rep.at("/identityProviders/0/hideOnLogin").asBoolean()).isTrue();
    assertThat(rep.at("/identityProviders/0/config").has("hideOnLoginPage")).isFalse();
    assertThat(rep.at("/identityProviders/0/config/clientId").asText()).isEqualTo("c");
    assertThat(rep.at("/identityProviders/1").has("updateProfileFirstLogin")).isFalse();
    assertThat(rep.at("/identityProviders/1/hideOnLogin").isBoolean()).isTrue();
    assertThat(rep.at("/identityProviders/1/hideOnLogin").asBoolean()).isFalse();
    assertThat(rep.at("/identityProviders/2")).isEqualTo(json("{'alias':'new','hideOnLogin':true,'config':{'clientId':'n'}}"));
    assertThat(notes).containsExactly(
        "Keycloak stores identity provider \"old\" without updateProfileFirstLoginMode",
        "Keycloak stores config.hideOnLoginPage of identity provider \"old\" as hideOnLogin",
        "Keycloak stores identity provider \"saml\" without updateProfileFirstLogin",
        "Keycloak stores config.hideOnLoginPage of identity provider \"saml\" as hideOnLogin");
  }

  @Test
  void clientsKeepOnlyClientScopesOfTheirOwnProtocol() {
    var rep = json("{'realm':'r','clientScopes':[{'name':'saml-extra','protocol':'saml'},{'name':'api'}],"
        + "'clients':[{'clientId':'app','defaultClientScopes':['role_list','roles','saml-extra','api','unknown'],"
        + "'optionalClientScopes':['microprofile-jwt']},"
        + "{'clientId':'sp','protocol':'saml','defaultClientScopes':['role_list','web-origins']}]}");
    var notes = StoredForm.normalize(rep);
    assertThat(Json.strings(rep.at("/clients/0/defaultClientScopes"))).containsExactly("roles", "api", "unknown");
    assertThat(Json.strings(rep.at("/clients/0/optionalClientScopes"))).containsExactly("microprofile-jwt");
    assertThat(Json.strings(rep.at("/clients/1/defaultClientScopes"))).containsExactly("role_list");
    assertThat(notes).containsExactly(
        "Keycloak stores defaultClientScopes of client \"app\" without [role_list, saml-extra]: client scopes of"
            + " another protocol than openid-connect",
        "Keycloak stores defaultClientScopes of client \"sp\" without [web-origins]: client scopes of another"
            + " protocol than saml");
  }

  @Test
  void legacyDefaultRolesBecomeCompositesOfTheRealmsDefaultRole() {
    var rep = json("{'realm':'Shop','defaultRoles':['member ','offline_access'],"
        + "'roles':{'realm':[{'name':'member','description':'d'}]},"
        + "'clients':[{'clientId':'app','defaultRoles':['viewer']}]}");
    var notes = StoredForm.normalize(rep);
    assertThat(rep.has("defaultRoles")).isFalse();
    assertThat(rep.at("/clients/0").has("defaultRoles")).isFalse();
    var roles = Json.objects(rep.at("/roles/realm"));
    assertThat(roles).extracting(r -> Json.text(r, "name"))
        .containsExactly("member", "default-roles-shop", "offline_access", "uma_authorization");
    assertThat(roles.getFirst().get("description").asText()).isEqualTo("d");
    var composites = roles.get(1).get("composites");
    assertThat(Json.strings(composites.get("realm"))).containsExactly("offline_access", "uma_authorization", "member");
    assertThat(Json.strings(composites.at("/client/app"))).containsExactly("viewer");
    assertThat(Json.objects(rep.at("/roles/client/app"))).extracting(r -> Json.text(r, "name")).containsExactly("viewer");
    assertThat(notes).containsExactly(
        "Keycloak stores the legacy \"defaultRoles\" as composites of the realm's default role \"default-roles-shop\"");
  }

  @Test
  void legacyDefaultRolesBesideADefaultRoleAreIgnoredLikeKeycloakIgnoresThem() {
    var rep = json("{'realm':'r','defaultRole':{'name':'default-roles-r'},'defaultRoles':['member']}");
    var notes = StoredForm.normalize(rep);
    assertThat(rep).isEqualTo(json("{'realm':'r','defaultRole':{'name':'default-roles-r'}}"));
    assertThat(notes).singleElement().asString().contains("ignores the legacy \"defaultRoles\"");
  }
}
