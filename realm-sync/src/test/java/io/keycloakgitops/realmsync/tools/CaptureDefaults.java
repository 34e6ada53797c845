package io.keycloakgitops.realmsync.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.keycloak.Defaults;
import io.keycloakgitops.realmsync.keycloak.Exporter;
import io.keycloakgitops.realmsync.keycloak.KeycloakAdmin;
import io.keycloakgitops.realmsync.keycloak.KeycloakTarget;
import io.keycloakgitops.realmsync.keycloak.LiveReader;
import io.keycloakgitops.realmsync.keycloak.ReadSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Regenerates {@code keycloak-defaults.json} (what a new realm and new objects look like on this Keycloak version),
 * which {@code export} strips. Run against a throwaway server of the supported version:
 * {@code java -cp ... CaptureDefaults <url> <admin> <password> <output file>}. Writes a temporary realm and deletes it.
 */
public final class CaptureDefaults {
  private CaptureDefaults() {}

  public static void main(String[] args) throws Exception {
    String realm = "defaults-probe-" + UUID.randomUUID().toString().substring(0, 8);
    try (var admin = KeycloakAdmin.connect(KeycloakTarget.password(args[0], args[1], args[2]))) {
      var api = admin.realm(realm);
      api.createRealm(Json.object().put("realm", realm).put("enabled", true));
      try {
        ObjectNode builtIn = Exporter.canonicalize(LiveReader.read(api, admin.readers(), ReadSpec.everything()), realm);
        api.post("/clients", Json.object().put("clientId", Defaults.PROBE));
        api.post("/client-scopes", Json.object().put("name", Defaults.PROBE).put("protocol", "openid-connect"));
        api.post("/roles", Json.object().put("name", Defaults.PROBE));
        api.post("/groups", Json.object().put("name", Defaults.PROBE));
        api.post("/users", Json.object().put("username", Defaults.PROBE));
        api.post("/identity-provider/instances", Json.object().put("alias", Defaults.PROBE).put("providerId", "oidc"));
        api.post("/authentication/flows", Json.object().put("alias", Defaults.PROBE).put("providerId", "basic-flow")
            .put("topLevel", true));
        ObjectNode probed = Exporter.canonicalize(LiveReader.read(api, admin.readers(), ReadSpec.everything()), realm);
        var out = Json.object();
        out.put("keycloakVersion", Json.text(admin.serverInfo().path("systemInfo"), "version"));
        out.set("realm", builtIn);
        var fresh = out.putObject("fresh");
        fresh.set("client", probe(probed.get("clients"), "clientId"));
        fresh.set("clientScope", probe(probed.get("clientScopes"), "name"));
        fresh.set("role", probe(probed.path("roles").get("realm"), "name"));
        fresh.set("group", probe(probed.get("groups"), "name"));
        fresh.set("user", probe(probed.get("users"), "username"));
        fresh.set("identityProvider", probe(probed.get("identityProviders"), "alias"));
        fresh.set("flow", probe(probed.get("authenticationFlows"), "alias"));
        // Realm names appear in built-in values (account URLs, default-roles-<realm>): stored as a token.
        Files.writeString(Path.of(args[3]),
            Json.writePretty(Json.canonical(Defaults.substitute(out, realm, Defaults.REALM_TOKEN))) + "\n");
      } finally {
        api.deleteRealm();
      }
    }
  }

  private static JsonNode probe(JsonNode array, String keyField) {
    for (JsonNode item : array) {
      if (Defaults.PROBE.equals(Json.text(item, keyField))) {
        return item;
      }
    }
    throw new IllegalStateException("probe not found under " + keyField);
  }
}
