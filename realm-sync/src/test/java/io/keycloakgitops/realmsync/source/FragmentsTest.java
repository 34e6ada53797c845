package io.keycloakgitops.realmsync.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keycloakgitops.realmsync.engine.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FragmentsTest {
  private static ObjectNode rep(String json) {
    return (ObjectNode) Json.read(json);
  }

  static Stream<Arguments> conflictCases() {
    return Stream.of(
        Arguments.of("{\"clients\":[{\"clientId\":\"web\"}]}", "{\"clients\":[{\"clientId\":\"web\"}]}", "client \"web\""),
        Arguments.of("{\"clients\":[{\"clientId\":\"web\"}]}", "{\"clients\":[{\"clientId\":\"api\"}]}", null),
        Arguments.of("{\"groups\":[{\"name\":\"a\",\"subGroups\":[{\"name\":\"b\"}]}]}",
            "{\"groups\":[{\"name\":\"a\"}]}", "group \"/a\""),
        Arguments.of("{\"groups\":[{\"name\":\"a\"}]}", "{\"groups\":[{\"name\":\"b\"}]}", null),
        Arguments.of("{\"roles\":{\"client\":{\"web\":[{\"name\":\"admin\"}]}}}",
            "{\"roles\":{\"client\":{\"web\":[{\"name\":\"admin\"}]}}}", "client-role \"web/admin\""),
        Arguments.of("{\"roles\":{\"client\":{\"web\":[{\"name\":\"admin\"}]}}}",
            "{\"roles\":{\"client\":{\"web\":[{\"name\":\"viewer\"}]}}}", null),
        Arguments.of("{\"roles\":{\"realm\":[{\"name\":\"r\"}]}}", "{\"roles\":{\"realm\":[{\"name\":\"r\"}]}}", "role \"r\""),
        Arguments.of("{\"users\":[{\"username\":\"Bob\"}]}", "{\"users\":[{\"username\":\"bob\"}]}", "user \"bob\""),
        Arguments.of("{\"displayName\":\"A\"}", "{\"displayName\":\"B\"}", "realm \"displayName\""),
        Arguments.of("{\"defaultGroups\":[\"/a\"]}", "{\"defaultGroups\":[\"/b\"]}", "realm \"defaultGroups\""),
        Arguments.of("{\"identityProviders\":[{\"alias\":\"gh\"}]}", "{\"identityProviders\":[{\"alias\":\"gh\"}]}",
            "identity-provider \"gh\""),
        Arguments.of("{\"authenticationFlows\":[{\"alias\":\"f\"}]}", "{\"authenticationFlows\":[{\"alias\":\"f\"}]}", "flow \"f\""),
        Arguments.of("{\"clientScopes\":[{\"name\":\"s\"}]}", "{\"clientScopes\":[{\"name\":\"s\"}]}", "client-scope \"s\""),
        Arguments.of("{\"components\":{\"t\":[{\"name\":\"c\"}]}}", "{\"components\":{\"t\":[{\"name\":\"c\"}]}}", "component \"t/c\""),
        Arguments.of("{\"requiredActions\":[{\"alias\":\"x\"}]}", "{\"requiredActions\":[{\"alias\":\"x\"}]}", "required-action \"x\""),
        Arguments.of("{\"organizations\":[{\"name\":\"o\"}]}", "{\"organizations\":[{\"name\":\"o\"}]}", "organization \"o\""),
        Arguments.of("{\"localizationTexts\":{\"en\":{}}}", "{\"localizationTexts\":{\"en\":{}}}", "localization-texts \"en\""),
        Arguments.of("{\"localizationTexts\":{\"en\":{}}}", "{\"localizationTexts\":{\"de\":{}}}", null));
  }

  @ParameterizedTest
  @MethodSource("conflictCases")
  void anObjectDeclaredTwiceIsAConflictNamingBothFiles(String main, String fragment, String object) {
    var a = rep(main);
    a.put("realm", "acme");
    var b = rep(fragment);
    b.put("realm", "acme");
    var conflicts = Fragments.conflicts(List.of(new Fragments.File("realms/acme.json", a),
        new Fragments.File("teams/shop/acme.clients.json", b)));
    if (object == null) {
      assertThat(conflicts).isEmpty();
    } else {
      assertThat(conflicts).containsExactly(object + " is declared by both realms/acme.json and teams/shop/acme.clients.json");
    }
  }

  @Test
  void mergingAddsTheFragmentsObjectsToTheRealm() {
    var main = rep("""
        {"realm":"acme","enabled":true,"clients":[{"clientId":"portal"}],"roles":{"realm":[{"name":"staff"}]},
         "components":{"t":[{"name":"a"}]}}""");
    var fragment = rep("""
        {"realm":"acme","clients":[{"clientId":"shop-web"}],"groups":[{"name":"shop-admins"}],
         "roles":{"realm":[{"name":"shop"}],"client":{"shop-web":[{"name":"buyer"}]}},"components":{"t":[{"name":"b"}]}}""");
    var merged = Fragments.merge(main, List.of(fragment));
    assertThat(merged.get("realm").asText()).isEqualTo("acme");
    assertThat(merged.get("enabled").asBoolean()).isTrue();
    assertThat(Json.objects(merged.get("clients")).stream().map(c -> Json.text(c, "clientId"))).containsExactly("portal", "shop-web");
    assertThat(Json.objects(merged.at("/roles/realm")).stream().map(c -> Json.text(c, "name"))).containsExactly("staff", "shop");
    assertThat(merged.at("/roles/client/shop-web/0/name").asText()).isEqualTo("buyer");
    assertThat(merged.at("/groups/0/name").asText()).isEqualTo("shop-admins");
    assertThat(merged.at("/components/t")).hasSize(2);
    assertThat(main.has("groups")).as("the realm file itself is left as it was").isFalse();
  }

  @Test
  void ownedKeysAreTheOwnershipRecordsKeys() {
    var fragment = rep("""
        {"realm":"acme","clients":[{"clientId":"shop-web"}],"groups":[{"name":"shop","subGroups":[{"name":"ops"}]}],
         "roles":{"client":{"shop-web":[{"name":"buyer"}]}},"displayName":"x"}""");
    assertThat(Fragments.ownedKeys(fragment)).isEqualTo(Map.of("client", Set.of("shop-web"),
        "group", Set.of("/shop", "/shop/ops"), "client-role", Set.of("shop-web/buyer")));
  }

  static Stream<Arguments> removedCases() {
    return Stream.of(
        // recorded type, key, realm file, collections declared after
        Arguments.of("client", "shop-web", "{}", "clients"),
        Arguments.of("group", "/shop", "{\"groups\":[]}", ""),
        Arguments.of("role", "shop", "{}", "roles"),
        Arguments.of("client-role", "portal/buyer", "{\"clients\":[{\"clientId\":\"portal\"}]}", "roles"),
        Arguments.of("client-role", "gone/buyer", "{}", ""),
        Arguments.of("user", "bob", "{}", "users"),
        Arguments.of("component", "org.keycloak.keys.KeyProvider/k", "{}", "components"));
  }

  @ParameterizedTest
  @MethodSource("removedCases")
  void aRemovedFragmentsCollectionsAreDeclaredSoItsObjectsArePruned(String type, String key, String file, String added) {
    var rep = rep(file);
    var before = rep.deepCopy();
    boolean changed = Fragments.declareRemoved(rep, Map.of("teams/shop/acme.json", Map.of(type, Set.of(key))),
        Fragments.Provenance.NONE);
    assertThat(changed).isEqualTo(!added.isEmpty());
    var fields = new java.util.HashSet<String>();
    rep.fieldNames().forEachRemaining(fields::add);
    before.fieldNames().forEachRemaining(fields::remove);
    assertThat(fields.stream().collect(Collectors.joining(","))).isEqualTo(added);
  }

  @Test
  void presentOrFailedFragmentsDeclareNothingExtra() {
    var rep = rep("{}");
    var recorded = Map.of("a.json", Map.of("client", Set.of("x")), "b.json", Map.of("user", Set.of("y")));
    var files = new Fragments.Provenance(Map.of("a.json", Map.of()), Set.of("b.json"), List.of());
    assertThat(Fragments.declareRemoved(rep, recorded, files)).isFalse();
    assertThat(rep.size()).isZero();
  }

  /** Each locale of either file survives the merge; organizations are appended like other arrays. */
  @Test
  void localizationTextsMergeByLocaleAndOrganizationsAppend() {
    var merged = Fragments.merge(rep("{\"realm\":\"acme\",\"localizationTexts\":{\"en\":{\"a\":\"A\"}},"
        + "\"organizations\":[{\"name\":\"o1\"}]}"), List.of(rep("{\"realm\":\"acme\",\"localizationTexts\":"
        + "{\"de\":{\"a\":\"Ä\"}},\"organizations\":[{\"name\":\"o2\"}]}")));
    assertThat(merged.get("localizationTexts").properties()).extracting(Map.Entry::getKey).containsExactly("en", "de");
    assertThat(merged.get("organizations")).hasSize(2);
  }

  /** Tenancy grants see organizations and localization texts like any other object. */
  @Test
  void organizationsAndLocalesAreDeclaredObjects() {
    var declared = Fragments.declared(rep("{\"realm\":\"acme\",\"organizations\":[{\"name\":\"o1\"}],"
        + "\"localizationTexts\":{\"en\":{\"a\":\"A\"}}}"));
    assertThat(declared).extracting(Object::toString).containsExactly("organization \"o1\"", "localization-texts \"en\"");
    assertThat(Fragments.ownedKeys(rep("{\"realm\":\"acme\",\"organizations\":[{\"name\":\"o1\"}]}")))
        .containsEntry("organization", Set.of("o1"));
  }
}
