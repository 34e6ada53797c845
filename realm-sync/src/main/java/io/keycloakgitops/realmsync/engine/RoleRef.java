package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** A realm role ({@code clientId} null) or a client role, by name — how files refer to roles. */
public record RoleRef(String clientId, String name) implements Comparable<RoleRef> {
  private static final Comparator<RoleRef> ORDER = Comparator
      .comparing((RoleRef r) -> r.clientId == null ? "" : r.clientId)
      .thenComparing(RoleRef::name);

  public static RoleRef realm(String name) {
    return new RoleRef(null, name);
  }

  public boolean isClientRole() {
    return clientId != null;
  }

  /**
   * Reads the export shape: {@code realmField} is an array of realm role names, {@code clientField} an object of
   * clientId to role names (as in {@code realmRoles}/{@code clientRoles} or composites' {@code realm}/{@code client}).
   */
  public static Set<RoleRef> read(JsonNode node, String realmField, String clientField) {
    var out = new LinkedHashSet<RoleRef>();
    if (node == null) {
      return out;
    }
    Json.strings(node.get(realmField)).forEach(name -> out.add(realm(name)));
    JsonNode clients = node.get(clientField);
    if (clients != null && clients.isObject()) {
      clients.properties().forEach(e -> Json.strings(e.getValue()).forEach(n -> out.add(new RoleRef(e.getKey(), n))));
    }
    return out;
  }

  /** Writes {@code roles} back in the export shape under the two field names (sorted, for stable output). */
  public static void write(ObjectNode target, String realmField, String clientField, Set<RoleRef> roles) {
    var realmNames = new TreeSet<String>();
    var clientNames = new TreeMap<String, Set<String>>();
    for (RoleRef role : roles) {
      if (role.isClientRole()) {
        clientNames.computeIfAbsent(role.clientId, k -> new TreeSet<>()).add(role.name);
      } else {
        realmNames.add(role.name);
      }
    }
    target.set(realmField, Json.array(realmNames));
    var clients = Json.object();
    for (Map.Entry<String, Set<String>> e : clientNames.entrySet()) {
      clients.set(e.getKey(), Json.array(e.getValue()));
    }
    target.set(clientField, clients);
  }

  @Override
  public int compareTo(RoleRef other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return clientId == null ? name : clientId + "/" + name;
  }

  /**
   * The role mappings an object (user, group) declares: {@code realmRoles} and {@code clientRoles} are managed
   * independently, each only when declared. Null when neither is.
   */
  static Set<RoleRef> declaredMappings(JsonNode object) {
    if (!object.has("realmRoles") && !object.has("clientRoles")) {
      return null;
    }
    return read(object, "realmRoles", "clientRoles");
  }

  /** Live role mappings restricted to the kinds (realm, client) the file declares for that object. */
  static Set<RoleRef> managedOnly(Set<RoleRef> live, JsonNode declared) {
    boolean realmRoles = declared.has("realmRoles");
    boolean clientRoles = declared.has("clientRoles");
    var out = new TreeSet<RoleRef>();
    live.stream().filter(r -> r.isClientRole() ? clientRoles : realmRoles).forEach(out::add);
    return out;
  }
}
