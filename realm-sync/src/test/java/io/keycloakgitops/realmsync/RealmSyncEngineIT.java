package io.keycloakgitops.realmsync;

import static io.keycloakgitops.realmsync.It.client;
import static io.keycloakgitops.realmsync.It.find;
import static io.keycloakgitops.realmsync.It.realm;
import static io.keycloakgitops.realmsync.It.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.engine.OwnershipKey;
import io.keycloakgitops.realmsync.engine.SyncState;
import io.keycloakgitops.realmsync.engine.PlanPrinter;
import io.keycloakgitops.realmsync.engine.PrunePolicy;
import io.keycloakgitops.realmsync.keycloak.Defaults;
import io.keycloakgitops.realmsync.keycloak.Exporter;
import io.keycloakgitops.realmsync.keycloak.KeycloakAdmin;
import io.keycloakgitops.realmsync.source.DesiredRealm;
import io.keycloakgitops.realmsync.source.Placeholders;
import io.keycloakgitops.realmsync.source.RealmDocument;
import io.keycloakgitops.realmsync.source.GitSettings;
import io.keycloakgitops.testsupport.GitRepo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine against the real Keycloak: every entity type created, changed and removed; minimal writes; export. */
class RealmSyncEngineIT {
  private static final Map<String, String> ENV = Map.of("REALM_SMTP_PASSWORD", "smtp-pass-1", "REALM_API_SECRET", "api-secret-1",
      "REALM_ALICE_PASSWORD", "alice-pass-1", "REALM_IDP_SECRET", "idp-secret-1", "REALM_IDP_SECRET_V2", "idp-secret-2");
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

  private static long writesDuring(Runnable work) {
    long before = connection.counter().writes();
    work.run();
    return connection.counter().writes() - before;
  }

  private static List<String> names(JsonNode array, String field) {
    return Json.objects(array).stream().map(o -> Json.text(o, field)).toList();
  }

  @Test
  void everyEntityTypeIsCreatedChangedAndRemovedAcrossCommits(@TempDir Path dir) {
    String name = It.realmName("lifecycle");
    try (var repo = GitRepo.create(dir.resolve("repo"), "main");
         var service = RealmSyncService.start(RealmSyncConfig.builder().git(GitSettings.of(repo.url(), "main", "realms"))
             .keycloak(It.target()).port(0).interval(Duration.ofHours(1)).env(ENV).build())) {
      Function<String, RealmSyncer.Outcome> commit = version -> {
        repo.write("realms/" + name + ".json", It.resource(name, version)).commitAndPush(version);
        var outcome = service.syncNow().get(name);
        assertThat(outcome.error()).as("sync of %s", version).isNull();
        return outcome;
      };
      commit.apply("lifecycle-v1.json");
      lifecycle(name, commit);
    }
  }

  private static void lifecycle(String name, Function<String, RealmSyncer.Outcome> commit) {
    var api = realm(name);

    // v1: created as declared
    JsonNode settings = api.get("");
    assertThat(settings.get("displayName").asText()).isEqualTo("V1");
    assertThat(settings.get("browserFlow").asText()).isEqualTo("custom-browser");
    assertThat(settings.at("/attributes/custom.flag").asText()).isEqualTo("on");
    assertThat(names(api.get("/client-scopes"), "name")).contains("tenant", "profile", "email", "roles");
    JsonNode web = client(name, "web");
    assertThat(web.get("defaultClientScopes")).extracting(JsonNode::asText).contains("tenant", "profile");
    assertThat(names(web.get("protocolMappers"), "name")).containsExactly("aud");
    assertThat(web.at("/authenticationFlowBindingOverrides/browser").asText())
        .isEqualTo(find(api.get("/authentication/flows"), "alias", "custom-browser").get("id").asText());
    JsonNode apiClient = client(name, "api");
    assertThat(api.get("/clients/" + apiClient.get("id").asText() + "/client-secret").get("value").asText())
        .isEqualTo("api-secret-1");
    assertThat(names(api.get("/clients/" + apiClient.get("id").asText() + "/authz/resource-server/resource"), "name"))
        .contains("orders");
    assertThat(names(api.get("/roles/editor/composites"), "name")).containsExactlyInAnyOrder("reader", "api-admin");
    JsonNode editors = api.get("/group-by-path/staff/editors");
    assertThat(editors.get("realmRoles")).extracting(JsonNode::asText).containsExactly("editor");
    assertThat(names(api.get("/default-groups"), "path")).containsExactly("/staff");
    var alice = user(name, "alice");
    assertThat(names(api.get("/users/" + alice.get("id").asText() + "/groups"), "path")).contains("/staff/editors");
    assertThat(names(api.get("/users/" + alice.get("id").asText() + "/role-mappings/realm"), "name")).contains("reader");
    assertThat(api.get("/users/" + alice.get("id").asText() + "/credentials")).hasSize(1);
    String serviceAccount = api.get("/clients/" + apiClient.get("id").asText() + "/service-account-user").get("id").asText();
    assertThat(names(api.get("/users/" + serviceAccount + "/role-mappings/realm"), "name")).contains("reader");
    assertThat(api.get("/identity-provider/instances/corp").get("trustEmail").asBoolean()).isTrue();
    assertThat(names(api.get("/identity-provider/instances/corp/mappers"), "name")).containsExactly("corp-role");
    assertThat(names(api.get("/authentication/flows/custom-browser/executions"), "displayName"))
        .contains("Cookie", "custom-forms", "Username Password Form");
    assertThat(api.get("/authentication/required-actions/CONFIGURE_TOTP").get("defaultAction").asBoolean()).isTrue();
    assertThat(names(api.get("/components", "type", "org.keycloak.keys.KeyProvider"), "name"))
        .contains("extra-hmac", "rsa-generated");
    String tenantScope = find(api.get("/client-scopes"), "name", "tenant").get("id").asText();
    assertThat(names(api.get("/client-scopes/" + tenantScope + "/scope-mappings/realm"), "name")).containsExactly("reader");

    // Syncing the same content again (a commit that changes nothing here): nothing to write.
    assertThat(commit.apply("lifecycle-v1.json").writes()).isEmpty();

    // v2: one change of each kind
    commit.apply("lifecycle-v2.json");
    settings = api.get("");
    assertThat(settings.get("displayName").asText()).isEqualTo("V2");
    assertThat(settings.get("browserFlow").asText()).isEqualTo("browser");
    assertThat(settings.at("/attributes/custom.flag").asText()).isEqualTo("off");
    assertThat(settings.at("/smtpServer/from").asText()).isEqualTo("hello@example.com");
    JsonNode tenant = find(api.get("/client-scopes"), "name", "tenant");
    assertThat(tenant.at("/protocolMappers/0/config/claim.value").asText()).isEqualTo("globex");
    web = client(name, "web");
    assertThat(web.get("redirectUris")).hasSize(2);
    assertThat(names(web.get("protocolMappers"), "name")).containsExactly("hardcoded");
    assertThat(web.get("defaultClientScopes")).extracting(JsonNode::asText).contains("extra");
    assertThat(web.get("optionalClientScopes")).isEmpty();
    assertThat(client(name, "mobile")).isNotNull();
    assertThat(names(api.get("/clients/" + apiClient.get("id").asText() + "/authz/resource-server/resource"), "name"))
        .contains("orders", "invoices");
    assertThat(api.get("/roles/reader").get("description").asText()).isEqualTo("can read");
    assertThat(names(api.get("/roles/editor/composites"), "name")).containsExactly("reader");
    assertThat(api.find("/roles/auditor")).isPresent();
    assertThat(api.get("/group-by-path/staff").at("/attributes/dept/0").asText()).isEqualTo("ops");
    assertThat(api.get("/group-by-path/staff/editors").get("realmRoles")).extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("editor", "auditor");
    assertThat(names(api.get("/default-groups"), "path")).containsExactly("/contractors");
    alice = user(name, "alice");
    assertThat(alice.get("lastName").asText()).isEqualTo("Jones");
    assertThat(names(api.get("/users/" + alice.get("id").asText() + "/groups"), "path"))
        .contains("/staff/editors", "/contractors");
    assertThat(names(api.get("/users/" + alice.get("id").asText() + "/role-mappings/realm"), "name"))
        .contains("reader", "auditor");
    assertThat(user(name, "bob")).isNotNull();
    assertThat(names(api.get("/users/" + serviceAccount + "/role-mappings/realm"), "name")).doesNotContain("reader");
    assertThat(api.get("/identity-provider/instances/corp").at("/config/authorizationUrl").asText())
        .endsWith("/authorize");
    assertThat(api.get("/identity-provider/instances/corp/mappers").at("/0/config/role").asText()).isEqualTo("auditor");
    assertThat(api.find("/identity-provider/instances/partner")).isPresent();
    JsonNode formRows = api.get("/authentication/flows/custom-forms/executions");
    assertThat(find(formRows, "providerId", "auth-otp-form").get("requirement").asText()).isEqualTo("REQUIRED");
    assertThat(find(api.get("/authentication/flows/custom-browser/executions"), "providerId", "auth-spnego")).isNotNull();
    String redirectorConfig = find(api.get("/authentication/flows/custom-browser/executions"), "providerId",
        "identity-provider-redirector").get("authenticationConfig").asText();
    assertThat(api.get("/authentication/config/" + redirectorConfig).at("/config/defaultProvider").asText())
        .isEqualTo("partner");
    assertThat(api.get("/authentication/required-actions/CONFIGURE_TOTP").get("defaultAction").asBoolean()).isFalse();
    assertThat(find(api.get("/components", "type", "org.keycloak.keys.KeyProvider"), "name", "extra-hmac")
        .at("/config/priority/0").asText()).isEqualTo("60");
    assertThat(names(api.get("/client-scopes/" + tenantScope + "/scope-mappings/realm"), "name"))
        .containsExactlyInAnyOrder("reader", "auditor");

    // v3: removals (owned objects are deleted; the flow is deleted once nothing binds it)
    commit.apply("lifecycle-v3.json");
    assertThat(client(name, "mobile")).isNull();
    assertThat(names(api.get("/client-scopes"), "name")).doesNotContain("extra");
    assertThat(api.find("/roles/auditor")).isEmpty();
    assertThat(api.find("/clients/" + apiClient.get("id").asText() + "/roles/api-reader")).isEmpty();
    assertThat(api.find("/group-by-path/contractors")).isEmpty();
    assertThat(api.get("/default-groups")).isEmpty();
    assertThat(user(name, "bob")).isNull();
    assertThat(api.find("/identity-provider/instances/partner")).isEmpty();
    assertThat(api.get("/identity-provider/instances/corp/mappers")).isEmpty();
    assertThat(find(api.get("/authentication/flows"), "alias", "custom-browser")).isNull();
    assertThat(names(api.get("/components", "type", "org.keycloak.keys.KeyProvider"), "name"))
        .doesNotContain("extra-aes").contains("extra-hmac", "rsa-generated");
    // Built-ins stay, whatever the file says.
    assertThat(client(name, "account")).isNotNull();
    assertThat(find(api.get("/authentication/flows"), "alias", "browser")).isNotNull();

    var planned = It.syncer(connection).plan(It.desiredResource(name, "lifecycle-v3.json", ENV));
    assertThat(planned.plan().isEmpty()).as(PlanPrinter.text(planned.plan(), planned.secrets())).isTrue();
  }

  @Test
  void anUnchangedResyncMakesZeroWritesAndOneChangedFieldMakesOneWrite() {
    String name = It.realmName("minimal");
    String v1 = """
        {'realm':'REALM','enabled':true,
         'clients':[{'clientId':'a','rootUrl':'https://a'},{'clientId':'b'}],
         'roles':{'realm':[{'name':'r1'}]},'users':[{'username':'carol','enabled':true,'realmRoles':['r1']}]}
        """;
    var first = It.desired(name, v1);
    apply(first);
    assertThat(writesDuring(() -> apply(first))).isZero();

    var changed = It.desired(name, v1.replace("https://a", "https://a2"));
    assertThat(writesDuring(() -> assertThat(apply(changed).updated()).isEqualTo(1))).isEqualTo(1);
    assertThat(client(name, "a").get("rootUrl").asText()).isEqualTo("https://a2");

    // Incremental (what the service does for a new commit): reads and writes only the changed client.
    var again = It.desired(name, v1.replace("https://a", "https://a3"));
    long reads = connection.counter().reads();
    long writes = writesDuring(() -> assertThat(It.syncer(connection).applyIncremental(again, changed).ok()).isTrue());
    assertThat(writes).isEqualTo(1);
    assertThat(connection.counter().reads() - reads).isLessThan(10);
    assertThat(client(name, "a").get("rootUrl").asText()).isEqualTo("https://a3");
  }

  @Test
  void onlyOwnedObjectsArePrunedPerPolicyAndBuiltInsNever() {
    String name = It.realmName("prune");
    apply(It.desired(name, "{'realm':'REALM','clients':[{'clientId':'mine'},{'clientId':'kept'},{'clientId':'account'}],"
        + "'users':[{'username':'dave','enabled':true}]}"));
    realm(name).post("/clients", Json.object().put("clientId", "console-made"));

    var noDelete = It.syncer(connection, PrunePolicy.parse("user=no-delete"));
    var outcome = noDelete.apply(It.desired(name, "{'realm':'REALM','clients':[{'clientId':'kept'}],'users':[]}"));
    assertThat(outcome.ok()).isTrue();
    assertThat(client(name, "mine")).isNull();
    assertThat(client(name, "kept")).isNotNull();
    assertThat(client(name, "console-made")).as("never declared, so not owned").isNotNull();
    assertThat(client(name, "account")).as("built in").isNotNull();
    assertThat(user(name, "dave")).as("user=no-delete").isNotNull();
    assertThat(outcome.plan().warnings()).anyMatch(w -> w.contains("\"account\" is built in"))
        .anyMatch(w -> w.contains("\"dave\"") && w.contains("user=no-delete"));
  }

  @Test
  void secretsComeFromPlaceholdersNeverShowAndMaskedOnesDoNotDiffForever(@TempDir Path dir) throws Exception {
    String name = It.realmName("secrets");
    var secretFile = dir.resolve("idp-secret");
    java.nio.file.Files.writeString(secretFile, "file-secret-value\n");
    String text = "{'realm':'REALM','smtpServer':{'host':'smtp','from':'a@b.c','auth':'true','user':'mailer','password':'${env:REALM_SMTP}'},"
        + "'clients':[{'clientId':'conf','secret':'${env:REALM_CLIENT_SECRET}'}],"
        + "'identityProviders':[{'alias':'gh','providerId':'github','config':{'clientId':'x','clientSecret':'${file:"
        + "idp-secret}'}}]}";
    var env = Map.of("REALM_SMTP", "smtp-secret-value", "REALM_CLIENT_SECRET", "client-secret-value");
    var desired = It.desired(name, text, new Placeholders.GitPolicy(env, "REALM_", dir, null, null));
    var outcome = apply(desired);
    assertThat(outcome.plan().realmExists()).isFalse();
    var api = realm(name);
    assertThat(api.get("/clients/" + client(name, "conf").get("id").asText() + "/client-secret").get("value").asText())
        .isEqualTo("client-secret-value");
    assertThat(api.get("/identity-provider/instances/gh").at("/config/clientSecret").asText()).isEqualTo(Json.MASKED);
    assertThat(apply(desired).writes()).as("masked values compare by hash").isEmpty();

    var rotated = It.desired(name, text, new Placeholders.GitPolicy(Map.of("REALM_SMTP", "smtp-secret-rotated",
        "REALM_CLIENT_SECRET", "client-secret-rotated"), "REALM_", dir, null, null));
    var planned = It.syncer(connection).plan(rotated);
    String shown = PlanPrinter.text(planned.plan(), planned.secrets()) + Json.write(PlanPrinter.json(planned.plan(), planned.secrets()));
    assertThat(planned.plan().visibleChanges()).hasSize(2);
    assertThat(shown).doesNotContain("smtp-secret", "client-secret-", "file-secret-value").contains("(sensitive)");
    apply(rotated);
    assertThat(api.get("/clients/" + client(name, "conf").get("id").asText() + "/client-secret").get("value").asText())
        .isEqualTo("client-secret-rotated");
    assertThat(writesDuring(() -> apply(rotated))).isZero();
  }

  @Test
  void exportOfALiveRealmPlansNoChangesAgainstTheSameServer() {
    String name = It.realmName("export");
    apply(It.desiredResource(name, "lifecycle-v1.json", ENV));
    // Console-style edits the file never declared show up in the export too.
    var api = realm(name);
    api.post("/roles", Json.object().put("name", "console-role").put("description", "made by hand"));
    api.put("", Json.object().put("loginTheme", "keycloak").put("registrationAllowed", true));

    var exported = Exporter.export(api, connection.readers(), Defaults.load());
    String text = Json.writePretty(exported);
    assertThat(text).contains("console-role", "registrationAllowed").doesNotContain("api-secret-1", "idp-secret-1",
        "smtp-pass-1", "\"id\"");
    assertThat(exported.has("requiredActions") ? exported.get("requiredActions").size() : 0).isLessThanOrEqualTo(1);
    var desired = DesiredRealm.load(new RealmDocument(name, name + ".json", text), It.policy(Map.of()).create());
    var planned = It.syncer(connection).plan(desired);
    assertThat(planned.plan().isEmpty()).as(PlanPrinter.text(planned.plan(), planned.secrets())).isTrue();
    // The first apply only records ownership of what the file now declares; after that nothing is written.
    assertThat(apply(desired).writes()).containsOnlyKeys("sync-state/update");
    assertThat(writesDuring(() -> apply(desired))).isZero();
  }

  @Test
  void theOwnershipRecordHoldsNoPlainDigestOfASecretAndOldOnesAreRewrittenOnce() {
    String name = It.realmName("hmac");
    var env = Map.of("REALM_SMTP", "smtp-known-secret", "REALM_IDP", "idp-known-secret");
    String text = "{'realm':'REALM','smtpServer':{'host':'smtp','from':'a@b.c','auth':'true','user':'mailer','password':'${env:REALM_SMTP}'},"
        + "'identityProviders':[{'alias':'gh','providerId':'github','config':{'clientId':'x','clientSecret':'${env:REALM_IDP}'}}]}";
    var desired = It.desired(name, text, env);
    var key = OwnershipKey.of(OwnershipKey.random());
    var syncer = new RealmSyncer(connection, new RealmSyncer.Options(PrunePolicy.defaults(), 10, "it").withOwnershipKey(key));
    assertThat(syncer.apply(desired).ok()).isTrue();
    assertThat(syncer.apply(desired).writes()).as("masked secrets compare through the HMAC").isEmpty();

    // What any viewer of the realm reads: no digest a dictionary can be run against, only HMACs.
    var record = recordOf(name);
    var hashes = record.get("hashes");
    assertThat(Json.write(record)).doesNotContain(Json.sha256("smtp-known-secret"), Json.sha256("idp-known-secret"));
    assertThat(hashes.properties()).hasSize(2).allSatisfy(e -> assertThat(e.getValue().asText()).startsWith(OwnershipKey.PREFIX));
    assertThat(hashes.toString()).contains(key.hash("smtp-known-secret"), key.hash("idp-known-secret"));

    // A record written by an older version (unsalted SHA-256) matches once and is rewritten, with no other write.
    var legacy = (com.fasterxml.jackson.databind.node.ObjectNode) hashes;
    legacy.properties().forEach(e -> e.setValue(Json.NODES.textNode(Json.sha256(
        e.getKey().endsWith("smtpServer.password") ? "smtp-known-secret" : "idp-known-secret"))));
    realm(name).put("", Json.object().set("attributes", Json.object().put(SyncState.ATTRIBUTE, Json.write(record))));
    assertThat(Json.write(recordOf(name))).contains(Json.sha256("idp-known-secret"));
    assertThat(syncer.apply(desired).writes()).containsOnlyKeys("sync-state/update");
    assertThat(Json.write(recordOf(name))).doesNotContain(Json.sha256("smtp-known-secret"), Json.sha256("idp-known-secret"))
        .contains(key.hash("smtp-known-secret"), key.hash("idp-known-secret"));
    assertThat(writesDuring(() -> syncer.apply(desired))).isZero();
  }

  /** The ownership record as stored in the realm attribute (small realms: plain JSON). */
  private static JsonNode recordOf(String name) {
    String value = realm(name).get("").at("/attributes").get(SyncState.ATTRIBUTE).asText();
    assertThat(value).doesNotStartWith("gz:");
    return Json.read(value);
  }
}
