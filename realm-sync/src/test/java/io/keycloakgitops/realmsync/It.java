package io.keycloakgitops.realmsync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.engine.PrunePolicy;
import io.keycloakgitops.realmsync.engine.RealmApi;
import io.keycloakgitops.realmsync.keycloak.KeycloakAdmin;
import io.keycloakgitops.realmsync.keycloak.KeycloakTarget;
import io.keycloakgitops.realmsync.source.DesiredRealm;
import io.keycloakgitops.realmsync.source.Placeholders;
import io.keycloakgitops.realmsync.source.RealmDocument;
import io.keycloakgitops.testsupport.KeycloakServer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Shared by the integration tests: the one Keycloak of the test JVM, fresh realm names, quick admin reads. */
final class It {
  private static final Set<String> NAMED = ConcurrentHashMap.newKeySet();
  private static KeycloakAdmin admin;

  private It() {}

  static KeycloakTarget target() {
    var keycloak = KeycloakServer.shared();
    return KeycloakTarget.password(keycloak.baseUrl(), keycloak.adminUser(), keycloak.adminPassword());
  }

  /** A connection for checking live state (its own, so its request counter is not shared with the code under test). */
  static synchronized KeycloakAdmin admin() {
    if (admin == null) {
      admin = KeycloakAdmin.connect(target());
    }
    return admin;
  }

  static RealmApi realm(String name) {
    return admin().realm(name);
  }

  /** A new realm name; the realm, if the test creates it, is deleted after its test class ({@link DeleteTestRealms}). */
  static String realmName(String prefix) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    NAMED.add(name);
    return name;
  }

  /** Deletes the realms named since the last call that exist: every realm Keycloak holds slows its admin API. */
  static void deleteNamedRealms() {
    for (String name : List.copyOf(NAMED)) {
      NAMED.remove(name);
      try {
        if (admin().realm(name).find("").isPresent()) {
          admin().realm(name).deleteRealm();
        }
      } catch (RuntimeException e) {
        System.out.println("could not delete test realm " + name + ": " + e.getMessage());
      }
    }
  }

  /**
   * A realm file's text with {@code 'quotes'} for JSON quotes and {@code REALM} for the realm name ({@code REALM_}
   * starts a placeholder variable name and stays).
   */
  static String file(String realm, String text) {
    return text.replace('\'', '"').replaceAll("REALM(?!_)", realm);
  }

  /** A realm file from the test resources ({@code realms/<name>}) with {@code REALM} replaced. */
  static String resource(String realm, String name) {
    try (var in = It.class.getResourceAsStream("/realms/" + name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).replaceAll("REALM(?!_)", realm);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** What Git files may read by default, with {@code env} as the environment. */
  static Placeholders.GitPolicy policy(Map<String, String> env) {
    return new Placeholders.GitPolicy(env, Placeholders.DEFAULT_ENV_PREFIX, null, null, null);
  }

  static DesiredRealm desiredResource(String realm, String name, Map<String, String> env) {
    return DesiredRealm.load(new RealmDocument(realm, "realms/" + realm + ".json", resource(realm, name)),
        policy(env).create());
  }

  static DesiredRealm desired(String realm, String text) {
    return desired(realm, text, Map.of());
  }

  static DesiredRealm desired(String realm, String text, Map<String, String> env) {
    return desired(realm, text, policy(env));
  }

  static DesiredRealm desired(String realm, String text, Placeholders.GitPolicy policy) {
    return DesiredRealm.load(new RealmDocument(realm, "realms/" + realm + ".json", file(realm, text)), policy.create());
  }

  static RealmSyncer syncer(KeycloakAdmin connection) {
    return syncer(connection, PrunePolicy.defaults());
  }

  static RealmSyncer syncer(KeycloakAdmin connection, PrunePolicy prune) {
    return new RealmSyncer(connection, new RealmSyncer.Options(prune, 10, "it"));
  }

  /** The object of {@code array} whose {@code field} is {@code value}, or null. */
  static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode item : array) {
      if (value.equals(Json.text(item, field))) {
        return item;
      }
    }
    return null;
  }

  static JsonNode client(String realm, String clientId) {
    JsonNode found = realm(realm).get("/clients", "clientId", clientId);
    return found.isEmpty() ? null : found.get(0);
  }

  static ObjectNode user(String realm, String username) {
    JsonNode found = realm(realm).get("/users", "username", username, "exact", true, "briefRepresentation", false);
    return found.isEmpty() ? null : (ObjectNode) found.get(0);
  }
}
