package io.keycloakgitops.realmsync.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.engine.Paths;
import io.keycloakgitops.realmsync.engine.RealmApi;
import io.keycloakgitops.realmsync.keycloak.KeycloakAdmin;
import io.keycloakgitops.realmsync.keycloak.KeycloakTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Regenerates the Keycloak-made files of the fidelity corpus ({@code src/test/resources/corpus/}): for each seed in
 * {@code src/test/resources/corpus-seeds/}, creates the realm, configures the feature through the admin API step by
 * step as the admin console would, and writes Keycloak's own partial export of it ({@code exportClients},
 * {@code exportGroupsAndRoles}). Run against a throwaway server of the supported version:
 * {@code java -cp ... GenerateCorpus <url> <admin> <password> <seed dir> <corpus dir>}. Deletes each realm after.
 *
 * <p>A seed is {@code {"realm": {...POST /admin/realms body...}, "steps": [...]}}; a step is one of
 * {@code {"post"|"put"|"delete": path, "body": ...}}, {@code {"requirement": {"flow", "display", "value"}}} (set an
 * execution's requirement) or {@code {"config": {"flow", "display", "body"}}} (give an execution a config). Paths
 * and bodies may name objects as {@code {client:<clientId>}}, {@code {clientScope:<name>}}, {@code {role:<name>}}, {@code {component:<name>}}, {@code {clientRole:<clientId>|<name>}}, {@code {group:<path>}}, {@code {flow:<alias>}}, {@code {organization:<name>}}, {@code {realmId}},
 * {@code {policy:<clientId>|<name>}} or {@code {resource:<clientId>|<name>}}. A seed {@code {"source": "master"}}
 * exports the master realm as it is; {@code "withOrganizations": true} adds the realm's organizations.
 */
public final class GenerateCorpus {
  private static final Pattern REFERENCE = Pattern.compile("\\{(client|clientRole|clientScope|component|flow|group|organization|realmId|policy|resource|role)(?::([^}|]+))?(?:\\|([^}]+))?}");

  private GenerateCorpus() {}

  public static void main(String[] args) throws Exception {
    Path seeds = Path.of(args[3]);
    Path corpus = Path.of(args[4]);
    List<Path> files;
    try (var list = Files.list(seeds)) {
      files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    try (var admin = KeycloakAdmin.connect(KeycloakTarget.password(args[0], args[1], args[2]))) {
      for (Path seedFile : files) {
        String name = seedFile.getFileName().toString().replace(".json", "");
        var seed = (ObjectNode) Json.read(Files.readString(seedFile));
        JsonNode export = "master".equals(Json.text(seed, "source")) ? export(admin.realm("master"))
            : generate(admin, "corpus-" + name, seed);
        Files.writeString(corpus.resolve(name + ".json"), Json.writePretty(export) + "\n");
        System.out.println("wrote " + name + ".json");
      }
    }
  }

  private static JsonNode generate(KeycloakAdmin admin, String realm, ObjectNode seed) {
    var api = admin.realm(realm);
    api.find("").ifPresent(existing -> api.deleteRealm());
    var rep = seed.has("realm") ? (ObjectNode) seed.get("realm").deepCopy() : Json.object();
    rep.put("realm", realm);
    rep.put("enabled", true);
    api.createRealm(rep);
    try {
      for (JsonNode step : seed.path("steps")) {
        try {
          run(api, step);
        } catch (RuntimeException e) {
          throw new IllegalStateException(realm + ": step " + step + " failed: " + e.getMessage(), e);
        }
      }
      var export = (ObjectNode) export(api);
      if (Json.bool(seed, "withOrganizations")) {
        export.set("organizations", organizations(api));
      }
      return export;
    } finally {
      api.deleteRealm();
    }
  }

  private static JsonNode export(RealmApi api) {
    return api.postForJson("/partial-export?exportClients=true&exportGroupsAndRoles=true", Json.object());
  }

  /**
   * The partial export leaves organizations out; a seed with {@code "withOrganizations": true} gets them as the full
   * export ({@code kc.sh export}) writes them: with domains and linked identity providers (members need users).
   */
  private static JsonNode organizations(RealmApi api) {
    var out = Json.array();
    for (ObjectNode org : Json.objects(api.get("/organizations", "briefRepresentation", false))) {
      String id = Json.text(org, "id");
      org.remove(List.of("id", "members"));
      var idps = org.putArray("identityProviders");
      for (JsonNode idp : api.get("/organizations/" + id + "/identity-providers")) {
        idps.addObject().put("alias", Json.text(idp, "alias"));
      }
      out.add(org);
    }
    return out;
  }

  private static void run(RealmApi api, JsonNode step) {
    JsonNode body = step.has("body") ? Json.read(resolve(api, Json.write(step.get("body")))) : Json.object();
    if (step.has("post")) {
      api.post(resolve(api, step.get("post").asText()), body);
    } else if (step.has("put")) {
      api.put(resolve(api, step.get("put").asText()), body);
    } else if (step.has("delete")) {
      api.delete(resolve(api, step.get("delete").asText()));
    } else if (step.has("requirement")) {
      JsonNode spec = step.get("requirement");
      var execution = execution(api, spec);
      execution.put("requirement", Json.text(spec, "value"));
      api.put("/authentication/flows/" + Paths.segment(Json.text(spec, "flow")) + "/executions", execution);
    } else if (step.has("config")) {
      JsonNode spec = step.get("config");
      api.post("/authentication/executions/" + Json.text(execution(api, spec), "id") + "/config", spec.get("body"));
    } else {
      throw new IllegalArgumentException("unknown step " + step);
    }
  }

  /** The execution row of {@code flow} whose display name is {@code display} (the n-th with {@code index}). */
  private static ObjectNode execution(RealmApi api, JsonNode spec) {
    int index = spec.path("index").asInt(0);
    for (ObjectNode row : Json.objects(api.get("/authentication/flows/" + Paths.segment(Json.text(spec, "flow")) + "/executions"))) {
      if (Json.text(spec, "display").equals(Json.text(row, "displayName")) && index-- == 0) {
        return row;
      }
    }
    throw new IllegalArgumentException("no execution " + spec);
  }

  private static String resolve(RealmApi api, String text) {
    Matcher m = REFERENCE.matcher(text);
    var out = new StringBuilder();
    while (m.find()) {
      String id = id(api, m.group(1), m.group(2), m.group(3));
      if (id == null) {
        throw new IllegalArgumentException("nothing found for " + m.group());
      }
      m.appendReplacement(out, Matcher.quoteReplacement(id));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String id(RealmApi api, String kind, String name, String part) {
    return switch (kind) {
      case "realmId" -> Json.text(api.get(""), "id");
      case "client" -> clientUuid(api, name);
      case "clientScope" -> Json.text(Json.objects(api.get("/client-scopes")).stream()
          .filter(s -> name.equals(Json.text(s, "name"))).findFirst().orElseThrow(), "id");
      case "role" -> Json.text(api.get("/roles/" + Paths.segment(name)), "id");
      case "flow" -> Json.text(Json.objects(api.get("/authentication/flows")).stream()
          .filter(f -> name.equals(Json.text(f, "alias"))).findFirst().orElseThrow(), "id");
      case "clientRole" -> Json.text(api.get("/clients/" + clientUuid(api, name) + "/roles/" + Paths.segment(part)), "id");
      case "group" -> Json.text(api.get("/group-by-path" + name), "id");
      case "organization" -> Json.text(api.get("/organizations", "search", name, "exact", true).get(0), "id");
      case "component" -> Json.text(Json.objects(api.get("/components", "parent", id(api, "realmId", null, null))).stream()
          .filter(c -> name.equals(Json.text(c, "name"))).findFirst().orElseThrow(), "id");
      case "policy" -> Json.text(api.get("/clients/" + clientUuid(api, name) + "/authz/resource-server/policy/search",
          "name", part), "id");
      case "resource" -> Json.text(api.get("/clients/" + clientUuid(api, name) + "/authz/resource-server/resource",
          "name", part, "exactName", true).get(0), "_id");
      default -> throw new IllegalArgumentException(kind);
    };
  }

  private static String clientUuid(RealmApi api, String clientId) {
    return Json.text(api.get("/clients", "clientId", clientId).get(0), "id");
  }
}
