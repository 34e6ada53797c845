package io.keycloakgitops.realmsync;

import static io.keycloakgitops.realmsync.It.realm;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.engine.PlanPrinter;
import io.keycloakgitops.realmsync.keycloak.Defaults;
import io.keycloakgitops.realmsync.keycloak.Exporter;
import io.keycloakgitops.realmsync.keycloak.KeycloakAdmin;
import io.keycloakgitops.realmsync.source.DesiredRealm;
import io.keycloakgitops.realmsync.source.RealmDocument;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Organizations (domains, identity-provider links, members) and localization texts against the real Keycloak:
 * applied, then planned with no change, then one change is one write, then removed; the export plans no change.
 */
class OrganizationsAndTextsIT {
  private static final String V1 = """
      {'realm':'REALM','enabled':true,'organizationsEnabled':true,
       'users':[{'username':'alice','enabled':true},{'username':'bob','enabled':true}],
       'identityProviders':[{'alias':'corp','providerId':'oidc','enabled':true,
          'config':{'clientId':'realm-sync','authorizationUrl':'https://idp.example/auth','tokenUrl':'https://idp.example/token'}}],
       'organizations':[
         {'name':'beta','domains':[{'name':'beta.com'}],'members':[{'username':'bob'}]},
         {'name':'acme','alias':'acme','description':'Acme','enabled':true,'attributes':{'tier':['gold']},
          'domains':[{'name':'acme.org','verified':false},{'name':'acme.com','verified':false}],
          'identityProviders':[{'alias':'corp'}],'members':[{'username':'alice','membershipType':'UNMANAGED'}]}],
       'localizationTexts':{'en':{'greeting':'Hello','farewell':'Bye'},'de':{'greeting':'Hallo'}}}
      """;
  private static KeycloakAdmin connection;

  @BeforeAll
  static void connect() {
    connection = KeycloakAdmin.connect(It.target());
  }

  @AfterAll
  static void disconnect() {
    connection.close();
  }

  private static RealmSyncer.Outcome apply(DesiredRealm desired) {
    var outcome = It.syncer(connection).apply(desired);
    assertThat(outcome.error()).as("apply of %s", desired.name()).isNull();
    return outcome;
  }

  private static long writesOf(DesiredRealm desired) {
    long before = connection.counter().writes();
    apply(desired);
    return connection.counter().writes() - before;
  }

  private static void assertNoChange(DesiredRealm desired) {
    var planned = It.syncer(connection).plan(desired);
    assertThat(planned.plan().isEmpty()).as(PlanPrinter.text(planned.plan(), planned.secrets())).isTrue();
    assertThat(planned.plan().warnings()).noneMatch(w -> w.contains("not managed"));
  }

  private static List<String> names(JsonNode array, String field) {
    return Json.objects(array).stream().map(o -> Json.text(o, field)).sorted().toList();
  }

  private static JsonNode organization(String realm, String name) {
    return It.find(realm(realm).get("/organizations", "search", name, "exact", true, "briefRepresentation", false),
        "name", name);
  }

  @Test
  void organizationsAndTextsRoundTripWithOneWritePerChange() {
    String name = It.realmName("orgs");
    var v1 = It.desired(name, V1);
    apply(v1);
    var api = realm(name);
    JsonNode acme = organization(name, "acme");
    String acmePath = "/organizations/" + acme.get("id").asText();
    assertThat(names(acme.get("domains"), "name")).containsExactly("acme.com", "acme.org");
    assertThat(acme.at("/attributes/tier/0").asText()).isEqualTo("gold");
    assertThat(names(api.get(acmePath + "/identity-providers"), "alias")).containsExactly("corp");
    assertThat(names(api.get(acmePath + "/members"), "username")).containsExactly("alice");
    assertThat(names(api.get("/organizations/" + organization(name, "beta").get("id").asText() + "/members"),
        "username")).containsExactly("bob");
    assertThat(api.get("/localization/en").get("greeting").asText()).isEqualTo("Hello");
    assertThat(api.get("/localization/de").get("greeting").asText()).isEqualTo("Hallo");

    assertNoChange(v1);
    assertThat(writesOf(v1)).as("a second apply writes nothing").isZero();

    var v2 = It.desired(name, V1.replace("'greeting':'Hello'", "'greeting':'Hi'"));
    assertThat(writesOf(v2)).as("one changed text").isEqualTo(1);
    assertThat(api.get("/localization/en").get("greeting").asText()).isEqualTo("Hi");
    String v3Text = V1.replace("'greeting':'Hello'", "'greeting':'Hi'").replace("'Acme'", "'Acme Inc.'");
    var v3 = It.desired(name, v3Text);
    assertThat(writesOf(v3)).as("one changed organization").isEqualTo(1);
    assertThat(organization(name, "acme").get("description").asText()).isEqualTo("Acme Inc.");
    assertNoChange(v3);

    var v4 = It.desired(name, v3Text.replace(",'de':{'greeting':'Hallo'}", "")
        .replace("'members':[{'username':'alice','membershipType':'UNMANAGED'}]", "'members':[]")
        .replace("{'name':'beta','domains':[{'name':'beta.com'}],'members':[{'username':'bob'}]},", ""));
    // One write each, and the ownership record forgets the deleted organization.
    assertThat(apply(v4).writes()).as("a locale, an organization and a membership removed").isEqualTo(Map.of(
        "localization-texts/delete", 1, "organization/delete", 1, "organization/update", 1, "sync-state/update", 1));
    assertThat(organization(name, "beta")).isNull();
    assertThat(Json.strings(api.get("/localization"))).containsExactly("en");
    assertThat(api.get(acmePath + "/members")).isEmpty();
    assertThat(It.user(name, "alice")).as("the user stays; only the membership went").isNotNull();
    assertNoChange(v4);
  }

  @Test
  void anExportOfOrganizationsAndTextsPlansNoChange() {
    String name = It.realmName("orgs-export");
    apply(It.desired(name, V1));
    var exported = Exporter.export(realm(name), connection.readers(), Defaults.load());
    assertThat(names(exported.get("organizations"), "name")).containsExactly("acme", "beta");
    assertThat(exported.at("/localizationTexts/de/greeting").asText()).isEqualTo("Hallo");
    var desired = DesiredRealm.load(new RealmDocument(name, name + ".json", Json.writePretty(exported)),
        It.policy(Map.of()).create());
    assertNoChange(desired);
  }
}
