package io.keycloakgitops.realmsync.engine;

import static io.keycloakgitops.realmsync.engine.CompareTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Per entity type: what a declaration plans against a live realm, and the calls its changes make. */
class EntityPlannersTest {
  private static final String SOURCE = "test-source";
  private static final String STORAGE = "org.keycloak.storage.UserStorageProvider";
  private static final String MAPPER = "org.keycloak.storage.ldap.mappers.LDAPStorageMapper";
  private static final String LIVE = """
      {'realm':'test','id':'r1',
       'clients':[{'id':'c1','clientId':'web'},
                  {'id':'c2','clientId':'api','authorizationSettings':{'allowRemoteResourceManagement':false,
                   'resources':[{'name':'docs','uris':['/docs']},{'name':'old'}],'policies':[],'scopes':[]}}],
       'clientScopes':[{'id':'s1','name':'profile'}],
       'roles':{'realm':[{'id':'r-a','name':'reader'},{'id':'r-b','name':'writer'}],'client':{}},
       'groups':[{'id':'g1','name':'staff','path':'/staff'},{'id':'g2','name':'guests','path':'/guests'}],
       'defaultGroups':['/guests'],
       'requiredActions':[{'alias':'VERIFY_EMAIL','name':'Verify Email','providerId':'VERIFY_EMAIL','enabled':true,
                           'defaultAction':false,'priority':50,'config':{}},
                          {'alias':'TERMS_AND_CONDITIONS','name':'Terms','providerId':'TERMS_AND_CONDITIONS',
                           'enabled':false,'defaultAction':false,'priority':20,'config':{}}],
       'components':{'%s':[{'id':'k1','name':'ldap','providerId':'ldap','config':{'vendor':['other']},
          'subComponents':{'%s':[
             {'id':'m1','name':'username','providerId':'user-attribute-ldap-mapper','config':{'ldap.attribute':['uid']}},
             {'id':'m2','name':'stale','providerId':'user-attribute-ldap-mapper','config':{}}]}}]},
       'scopeMappings':[{'client':'web','roles':['reader']},{'clientScope':'profile','roles':['reader']}],
       'organizationsEnabled':true,
       'users':[{'id':'u1','username':'alice'},{'id':'u2','username':'bob'}],
       'identityProviders':[{'alias':'corp','providerId':'oidc','organizationId':'o1'}],
       'organizations':[{'id':'o1','name':'acme','alias':'acme','enabled':true,
          'domains':[{'name':'b.com','verified':false},{'name':'acme.com','verified':false}],
          'identityProviders':[{'alias':'corp'}],
          'members':[{'id':'u1','username':'alice','membershipType':'UNMANAGED'},
                     {'id':'u3','username':'carol','membershipType':'MANAGED'}]}],
       'localizationTexts':{'en':{'greeting':'Hello','farewell':'Bye'},'de':{'greeting':'Hallo'}}}
      """.formatted(STORAGE, MAPPER);
  private static final String ACME = "'name':'acme','domains':[{'name':'acme.com'},{'name':'b.com'}],"
      + "'identityProviders':[{'alias':'corp'}]";

  /** A plan for {@code desired} against {@link #LIVE}, run against a recording API. */
  private record Applied(Plan plan, List<String> calls, SyncState state) {}

  private static Applied apply(String desired, SyncState persisted) {
    var rep = json(desired);
    var live = RealmModel.of(json(LIVE));
    var result = Planner.plan(new Planner.Input(rep, RealmModel.of(rep), live, persisted, PrunePolicy.defaults(),
        new SecretPolicy(Set.of(), persisted, OwnershipKey.processLocal()), SOURCE));
    var api = new RecordingApi();
    api.reads.put("/components", Json.array());
    api.reads.put("/authentication/required-actions/CONFIGURE_TOTP", json("{'alias':'CONFIGURE_TOTP','priority':10}"));
    api.reads.put("/clients/c2/authz/resource-server/resource", Json.read("[{\"_id\":\"res-old\",\"name\":\"old\"}]"));
    var ctx = new ApplyContext(api, persisted, result.target().copy(), null).seed(live);
    var outcome = Executor.run(result.plan(), ctx, Executor.DEFAULT_BULK_THRESHOLD);
    assertThat(outcome.failure()).isNull();
    // The realm PUT carrying the ownership record is bookkeeping, not the entity's calls.
    return new Applied(result.plan(), api.calls.stream().filter(call -> !call.equals("PUT ")).toList(), ctx.state());
  }

  private static Applied apply(String desired) {
    return apply(desired, SyncState.empty());
  }

  private static List<String> describe(Plan plan) {
    return plan.visibleChanges().stream().map(Change::describe).toList();
  }

  static Stream<Arguments> requiredActions() {
    return Stream.of(
        Arguments.of("unchanged", "{'alias':'VERIFY_EMAIL','enabled':true}", List.of(), List.of()),
        Arguments.of("one field changed", "{'alias':'VERIFY_EMAIL','defaultAction':true}",
            List.of("~ required-action \"VERIFY_EMAIL\""), List.of("PUT /authentication/required-actions/VERIFY_EMAIL")),
        Arguments.of("not registered yet", "{'alias':'CONFIGURE_TOTP','providerId':'CONFIGURE_TOTP','enabled':true}",
            List.of("+ required-action \"CONFIGURE_TOTP\""),
            List.of("POST /authentication/register-required-action", "PUT /authentication/required-actions/CONFIGURE_TOTP")));
  }

  /** Undeclared actions (TERMS_AND_CONDITIONS here) are never unregistered. */
  @ParameterizedTest(name = "{0}")
  @MethodSource
  void requiredActions(String name, String action, List<String> changes, List<String> calls) {
    var applied = apply("{'realm':'test','requiredActions':[" + action + "]}");
    assertThat(describe(applied.plan())).containsExactlyElementsOf(changes);
    assertThat(applied.calls()).containsExactlyElementsOf(calls);
  }

  static Stream<Arguments> defaultGroups() {
    return Stream.of(
        Arguments.of("['/guests']", List.of()),
        Arguments.of("['/guests','/staff']", List.of("PUT /default-groups/g1")),
        Arguments.of("['/staff']", List.of("DELETE /default-groups/g2", "PUT /default-groups/g1")),
        Arguments.of("[]", List.of("DELETE /default-groups/g2")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void defaultGroups(String declared, List<String> calls) {
    var applied = apply("{'realm':'test','defaultGroups':" + declared + "}");
    assertThat(applied.calls()).containsExactlyElementsOf(calls);
    assertThat(applied.plan().visibleChanges()).hasSize(calls.isEmpty() ? 0 : 1);
  }

  static Stream<Arguments> scopeMappings() {
    return Stream.of(
        Arguments.of("[{'client':'web','roles':['reader']}]", List.of()),
        Arguments.of("[{'client':'web','roles':['reader','writer']}]", List.of("POST /clients/c1/scope-mappings/realm")),
        Arguments.of("[{'client':'web','roles':[]}]", List.of("DELETE /clients/c1/scope-mappings/realm")),
        Arguments.of("[{'clientScope':'profile','roles':['writer']}]",
            List.of("DELETE /client-scopes/s1/scope-mappings/realm", "POST /client-scopes/s1/scope-mappings/realm")));
  }

  /** Exact per declared owner; an owner the file does not name (the other one) is left alone. */
  @ParameterizedTest(name = "{0}")
  @MethodSource
  void scopeMappings(String declared, List<String> calls) {
    var applied = apply("{'realm':'test','scopeMappings':" + declared + "}");
    assertThat(applied.calls()).containsExactlyElementsOf(calls);
  }

  @Test
  void aChangedComponentIsUpdatedAndItsSubComponentsAreExact() {
    var applied = apply("{'realm':'test','components':{'" + STORAGE + "':[{'name':'ldap','providerId':'ldap',"
        + "'config':{'vendor':['ad']},'subComponents':{'" + MAPPER + "':["
        + "{'name':'username','providerId':'user-attribute-ldap-mapper','config':{'ldap.attribute':['sAMAccountName']}},"
        + "{'name':'email','providerId':'user-attribute-ldap-mapper','config':{'ldap.attribute':['mail']}}]}}]}}");
    String ldap = STORAGE + "/ldap";
    assertThat(describe(applied.plan())).containsExactly("~ component \"" + ldap + "\"",
        "~ component \"" + ldap + " > " + MAPPER + "/username\"", "+ component \"" + ldap + " > " + MAPPER + "/email\"",
        "- component \"" + ldap + " > " + MAPPER + "/stale\"");
    assertThat(applied.calls()).containsExactly("PUT /components/k1", "PUT /components/m1", "POST /components",
        "DELETE /components/m2");
  }

  @Test
  void anOwnedComponentTheFileDropsIsDeletedLast() {
    var persisted = SyncState.empty();
    persisted.own(SOURCE, EntityType.COMPONENT, List.of(STORAGE + "/ldap"));
    var applied = apply("{'realm':'test','components':{'" + STORAGE + "':[]},'defaultGroups':['/staff']}", persisted);
    assertThat(applied.plan().changes().get(applied.plan().changes().size() - 1).describe())
        .isEqualTo("- component \"" + STORAGE + "/ldap\"");
    assertThat(applied.calls()).endsWith("DELETE /components/k1");
    assertThat(applied.state().owns(SOURCE, EntityType.COMPONENT, STORAGE + "/ldap")).isFalse();
  }

  /**
   * A new component's sub-components are created by its own change, after it exists; the hashes of their secrets
   * must land in the ownership record the sync writes, or the next plan sees the masked value as a change.
   */
  @Test
  void secretsOfSubComponentsCreatedWithTheirParentAreRemembered() {
    var applied = apply("{'realm':'test','components':{'" + STORAGE + "':[{'name':'ldap2','providerId':'ldap',"
        + "'config':{'bindCredential':['s3cret']},'subComponents':{'" + MAPPER + "':[{'name':'token',"
        + "'providerId':'hardcoded-attribute-mapper','config':{'apiToken':['t0ken']}}]}}]}}");
    assertThat(applied.calls()).containsExactly("POST /components", "POST /components");
    String parent = "component/" + STORAGE + "/ldap2";
    assertThat(applied.state().hash(parent + "/config.bindCredential")).isNotNull();
    assertThat(applied.state().hash(parent + " > " + MAPPER + "/token/config.apiToken")).isNotNull();
  }

  @Test
  void secretsOfSubComponentsAddedToALiveParentAreRemembered() {
    var applied = apply("{'realm':'test','components':{'" + STORAGE + "':[{'name':'ldap','providerId':'ldap',"
        + "'subComponents':{'" + MAPPER + "':[{'name':'token','providerId':'hardcoded-attribute-mapper',"
        + "'config':{'apiToken':['t0ken']}}]}}]}}");
    assertThat(applied.state().hash("component/" + STORAGE + "/ldap > " + MAPPER + "/token/config.apiToken"))
        .isNotNull();
  }

  @Test
  void authorizationSettingsAreImportedOnceAndUndeclaredItemsDeleted() {
    var applied = apply("{'realm':'test','clients':[{'clientId':'api','authorizationSettings':{"
        + "'allowRemoteResourceManagement':true,'resources':[{'name':'docs','uris':['/docs']},{'name':'new'}]}}]}");
    assertThat(applied.plan().visibleChanges()).singleElement().satisfies(change -> {
      assertThat(change.describe()).isEqualTo("~ authorization \"api\"");
      assertThat(change.fields()).extracting(FieldChange::path).containsExactlyInAnyOrder(
          "allowRemoteResourceManagement", "resources.new", "resources.old");
    });
    assertThat(applied.calls()).containsExactly("POST /clients/c2/authz/resource-server/import",
        "DELETE /clients/c2/authz/resource-server/resource/res-old");
  }

  @Test
  void unchangedAuthorizationSettingsPlanNothing() {
    var applied = apply("{'realm':'test','clients':[{'clientId':'api','authorizationSettings':{"
        + "'allowRemoteResourceManagement':false,'resources':[{'name':'docs','uris':['/docs']},{'name':'old'}]}}]}");
    assertThat(applied.plan().changes()).isEmpty();
  }

  static Stream<Arguments> organizations() {
    return Stream.of(
        Arguments.of("as exported (domains in any order, a managed member not listed)",
            "{" + ACME + ",'members':[{'username':'Alice','membershipType':'UNMANAGED'}]}", List.of(), List.of()),
        Arguments.of("links not declared are left alone", "{'name':'acme'}", List.of(), List.of()),
        Arguments.of("a setting changed", "{'name':'acme','description':'Acme Inc.'}",
            List.of("~ organization \"acme\""), List.of("PUT /organizations/o1")),
        Arguments.of("a member replaced and the provider unlinked",
            "{'name':'acme','identityProviders':[],'members':[{'username':'bob'}]}",
            List.of("~ organization \"acme\""), List.of("DELETE /organizations/o1/identity-providers/corp",
                "DELETE /organizations/o1/members/u1", "POST /organizations/o1/members")),
        Arguments.of("a new one, with its links", "{'name':'beta','domains':[{'name':'beta.com'}],"
            + "'identityProviders':[{'alias':'corp'}],'members':[{'username':'bob'}]}",
            List.of("+ organization \"beta\""), List.of("POST /organizations", "POST /organizations/id-1/identity-providers",
                "POST /organizations/id-1/members")));
  }

  /** The organization that is not declared (acme, in the last case) is not owned here, so it stays. */
  @ParameterizedTest(name = "{0}")
  @MethodSource
  void organizations(String name, String organization, List<String> changes, List<String> calls) {
    var applied = apply("{'realm':'test','organizations':[" + organization + "]}");
    assertThat(describe(applied.plan())).containsExactlyElementsOf(changes);
    assertThat(applied.calls()).containsExactlyElementsOf(calls);
  }

  @Test
  void anOwnedOrganizationTheFileDropsIsDeletedBeforeItsProvider() {
    var persisted = SyncState.empty();
    persisted.own(SOURCE, EntityType.ORGANIZATION, List.of("acme"));
    persisted.own(SOURCE, EntityType.IDENTITY_PROVIDER, List.of("corp"));
    var applied = apply("{'realm':'test','organizations':[],'identityProviders':[]}", persisted);
    assertThat(applied.calls()).containsExactly("DELETE /organizations/o1", "DELETE /identity-provider/instances/corp");
  }

  @Test
  void aProviderLinkedToAnOrganizationIsNotChangedByTheExportedOrganizationId() {
    var applied = apply("{'realm':'test','identityProviders':[{'alias':'corp','providerId':'oidc',"
        + "'organizationId':'id-from-another-server'}]}");
    assertThat(applied.plan().changes()).isEmpty();
  }

  static Stream<Arguments> localizationTexts() {
    return Stream.of(
        Arguments.of("{'en':{'greeting':'Hello','farewell':'Bye'},'de':{'greeting':'Hallo'}}", List.of(), List.of()),
        Arguments.of("{'en':{'greeting':'Hi','farewell':'Bye','new':'New'},'de':{'greeting':'Hallo'}}",
            List.of("~ localization-texts \"en\""), List.of("POST /localization/en")),
        Arguments.of("{'en':{'greeting':'Hello'},'de':{'greeting':'Hallo'}}",
            List.of("~ localization-texts \"en\""), List.of("DELETE /localization/en/farewell")),
        Arguments.of("{'en':{'greeting':'Hello','farewell':'Bye'},'fr':{'greeting':'Salut'}}",
            List.of("+ localization-texts \"fr\"", "- localization-texts \"de\""),
            List.of("POST /localization/fr", "DELETE /localization/de")));
  }

  /** Exact per locale once declared: changed and new texts in one write, dropped keys and locales deleted. */
  @ParameterizedTest(name = "{0}")
  @MethodSource
  void localizationTexts(String texts, List<String> changes, List<String> calls) {
    var applied = apply("{'realm':'test','localizationTexts':" + texts + "}");
    assertThat(describe(applied.plan())).containsExactlyElementsOf(changes);
    assertThat(applied.calls()).containsExactlyElementsOf(calls);
  }
}
