package io.keycloakgitops.realmsync.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keycloakgitops.realmsync.engine.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark workloads of issue 12, generated: W1 (300 clients, 200 roles, 100 groups, 1,000 users), W10 (ten
 * times that, groups three levels deep) and R200 (200 small realms in one folder).
 */
public enum Workloads {
  W1(1, new Size(300, 200, 20, 4, 0, 1000), "300 clients, 200 realm roles, 100 groups (20 × 4), 1,000 users"),
  W10(1, new Size(3000, 2000, 50, 9, 10, 20000),
      "3,000 clients, 2,000 realm roles, 5,000 groups (50 × 9 × 10, three levels), 20,000 users"),
  R200(200, new Size(20, 10, 2, 4, 0, 50), "200 realms of 20 clients, 10 realm roles, 10 groups (2 × 4), 50 users");

  /** One realm's size; groups are {@code top} trees of {@code mid} children of {@code leaf} children each. */
  record Size(int clients, int roles, int top, int mid, int leaf, int users) {
    int groups() {
      return top + top * mid + top * mid * leaf;
    }
  }

  final int realms;
  final Size size;
  final String description;

  Workloads(int realms, Size size, String description) {
    this.realms = realms;
    this.size = size;
    this.description = description;
  }

  /** The realm names of this workload, each starting with {@code prefix}. */
  List<String> names(String prefix) {
    var out = new ArrayList<String>();
    for (int i = 0; i < realms; i++) {
      out.add(realms == 1 ? prefix : prefix + "-%03d".formatted(i));
    }
    return out;
  }

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * One realm: clients (a third public, every tenth with a service account, each with a protocol mapper, every
   * sixth with two client roles), realm roles, groups with a role and an attribute, users each in one deepest group
   * with one realm role. {@code variant} changes one client's rootUrl: the one-change step.
   */
  public ObjectNode realm(String name, int variant) {
    var realm = Json.object().put("realm", name).put("enabled", true).put("displayName", "Benchmark " + this);
    var clients = realm.putArray("clients");
    for (int i = 0; i < size.clients(); i++) {
      var client = clients.addObject().put("clientId", "app-%04d".formatted(i)).put("name", "App " + i)
          .put("enabled", true).put("publicClient", i % 3 == 0).put("standardFlowEnabled", true)
          .put("rootUrl", i == 7 ? "https://app-7.example.com/v" + variant : "https://app-%d.example.com".formatted(i));
      client.putArray("redirectUris").add("https://app-%d.example.com/*".formatted(i));
      client.putArray("webOrigins").add("+");
      if (i % 3 != 0) {
        client.put("secret", "secret-" + i);
      }
      if (i % 10 == 1) {
        client.put("serviceAccountsEnabled", true);
      }
      var mapper = client.putArray("protocolMappers").addObject().put("name", "tenant").put("protocol", "openid-connect")
          .put("protocolMapper", "oidc-hardcoded-claim-mapper");
      mapper.putObject("config").put("claim.name", "tenant").put("claim.value", "t" + i % 10)
          .put("jsonType.label", "String").put("access.token.claim", "true");
    }
    var roles = realm.putObject("roles");
    var realmRoles = roles.putArray("realm");
    for (int i = 0; i < size.roles(); i++) {
      realmRoles.addObject().put("name", "role-%04d".formatted(i)).put("description", "Role " + i);
    }
    var clientRoles = roles.putObject("client");
    for (int i = 0; i < size.clients(); i += 6) {
      var list = clientRoles.putArray("app-%04d".formatted(i));
      list.addObject().put("name", "admin");
      list.addObject().put("name", "viewer");
    }
    var leaves = new ArrayList<String>();
    var groups = realm.putArray("groups");
    int role = 0;
    for (int t = 0; t < size.top(); t++) {
      var top = group(groups.addObject(), "dept-%02d".formatted(t), role++);
      var mids = top.putArray("subGroups");
      for (int m = 0; m < size.mid(); m++) {
        String midName = "team-%02d-%d".formatted(t, m);
        var mid = group(mids.addObject(), midName, role++);
        if (size.leaf() == 0) {
          leaves.add("/dept-%02d/%s".formatted(t, midName));
          continue;
        }
        var subs = mid.putArray("subGroups");
        for (int l = 0; l < size.leaf(); l++) {
          String leafName = "squad-%02d-%d-%d".formatted(t, m, l);
          group(subs.addObject(), leafName, role++);
          leaves.add("/dept-%02d/%s/%s".formatted(t, midName, leafName));
        }
      }
    }
    var users = realm.putArray("users");
    for (int i = 0; i < size.users(); i++) {
      var user = users.addObject().put("username", "user-%05d".formatted(i)).put("enabled", true)
          .put("email", "user-%05d@example.com".formatted(i)).put("emailVerified", true)
          .put("firstName", "User").put("lastName", "N" + i);
      user.putArray("groups").add(leaves.get(i % leaves.size()));
      user.putArray("realmRoles").add("role-%04d".formatted(i % size.roles()));
    }
    return realm;
  }

  private ObjectNode group(ObjectNode group, String name, int index) {
    group.put("name", name);
    group.putObject("attributes").putArray("cost-center").add("cc-" + index);
    group.putArray("realmRoles").add("role-%04d".formatted(index % size.roles()));
    return group;
  }
}
