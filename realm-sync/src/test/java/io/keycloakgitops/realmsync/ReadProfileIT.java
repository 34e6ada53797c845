package io.keycloakgitops.realmsync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.keycloak.KeycloakAdmin;
import io.keycloakgitops.realmsync.keycloak.LiveReader;
import io.keycloakgitops.realmsync.keycloak.ReadSpec;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The request profile of a no-op read of a generated realm (clients, groups, roles, users with memberships): four
 * times the users and clients cost only the extra pages of their lists, never a request per user or client.
 */
class ReadProfileIT {
  private static final int PAGE = 50;

  private static ObjectNode realm(String name, int users) {
    var realm = Json.object().put("realm", name).put("enabled", true);
    var clients = realm.putArray("clients");
    for (int i = 0; i < users / 2; i++) {
      clients.addObject().put("clientId", "app-%04d".formatted(i)).put("publicClient", i % 2 == 0)
          .put("rootUrl", "https://app-%d.example.com".formatted(i));
    }
    var roles = realm.putObject("roles").putArray("realm");
    var groups = realm.putArray("groups");
    for (int i = 0; i < 4; i++) {
      roles.addObject().put("name", "role-" + i);
      groups.addObject().put("name", "group-" + i).putArray("subGroups").addObject().put("name", "team-" + i);
    }
    var list = realm.putArray("users");
    for (int i = 0; i < users; i++) {
      var user = list.addObject().put("username", "user-%04d".formatted(i)).put("enabled", true)
          .put("email", "user-%04d@example.com".formatted(i));
      user.putArray("groups").add("/group-%d/team-%d".formatted(i % 4, i % 4));
      user.putArray("realmRoles").add("role-" + i % 4);
    }
    return realm;
  }

  /** Applies the realm, then reads it once more with a connection of its own: requests by kind. */
  private static Map<String, Long> noOpRead(int users) {
    String name = It.realmName("profile-" + users);
    var desired = It.desired(name, Json.write(realm(name, users)));
    var outcome = It.syncer(It.admin()).apply(desired);
    assertThat(outcome.ok()).as(String.valueOf(outcome.error())).isTrue();
    try (var admin = KeycloakAdmin.connect(It.target())) {
      var live = LiveReader.read(admin.realm(name), admin.readers(), ReadSpec.forFile(desired.model()).withPageSize(PAGE));
      assertThat(live.get("users")).hasSize(users);
      assertThat(live.get("clients")).hasSizeGreaterThanOrEqualTo(users / 2);
      return admin.counter().byKind();
    }
  }

  @Test
  void readingFourTimesTheUsersAndClientsCostsTheirExtraPagesNotARequestPerObject() {
    var small = noOpRead(40);
    var large = noOpRead(160);
    var grown = new HashMap<String, Long>();
    large.forEach((kind, n) -> {
      long more = n - small.getOrDefault(kind, 0L);
      if (more != 0) {
        grown.put(kind, more);
      }
    });
    // 40 users fit one page of 50; 160 take four (50, 50, 50, 10). 20 clients and Keycloak's 6 built-in ones fit one
    // page; 80 and 6 take two. The members of the realm's default role (every user) are not read, since no user lists
    // it; the 40 members of each group and role still fit one page.
    assertThat(grown).as("small %s, large %s", small, large)
        .containsOnly(Map.entry("GET users", 3L), Map.entry("GET clients", 1L));
    assertThat(large.keySet()).noneMatch(kind -> kind.startsWith("GET users/") || kind.startsWith("GET clients/"));
  }

  /**
   * The default role is implicit: a user whose file entry leaves it out keeps it, and may lose it unnoticed; a user
   * whose entry lists it gets it back. So its members are read only when some entry lists it.
   */
  @Test
  void theDefaultRoleIsComparedOnlyForUsersWhoseFileListsIt() {
    String name = It.realmName("default-role");
    String defaultRole = "default-roles-" + name;
    var realm = realm(name, 3);
    ((ObjectNode) realm.get("users").get(0)).withArray("realmRoles").add(defaultRole);
    var desired = It.desired(name, Json.write(realm));
    var syncer = It.syncer(It.admin());
    var applied = syncer.apply(desired);
    assertThat(applied.ok()).as(String.valueOf(applied.error())).isTrue();
    var role = It.realm(name).get("/roles/" + defaultRole);
    for (String username : new String[] {"user-0000", "user-0001"}) {
      It.realm(name).delete("/users/" + Json.text(It.user(name, username), "id") + "/role-mappings/realm",
          Json.array().add(role));
    }

    var plan = syncer.plan(desired).plan();
    assertThat(plan.changes()).extracting(change -> change.describe())
        .containsExactly("~ user \"user-0000\"");
    var outcome = syncer.apply(desired);
    assertThat(outcome.ok()).as(String.valueOf(outcome.error())).isTrue();
    assertThat(It.realm(name).get("/roles/" + defaultRole + "/users")).extracting(u -> Json.text(u, "username"))
        .contains("user-0000", "user-0002").doesNotContain("user-0001");
  }
}
