package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;

/**
 * Named parts of one object (protocol mappers, identity-provider mappers), exact once declared: POST to
 * {@code base}, PUT and DELETE on {@code base/<id>} (the PUT body carries the id, as these endpoints want).
 */
final class NamedParts {
  private NamedParts() {}

  /** Protocol mappers of a client or client scope at {@code ownerPath}. */
  static void planMappers(PlanContext plan, EntityType type, String owner, String ownerPath, JsonNode desiredMappers,
      JsonNode liveMappers, Phase phase) {
    plan(plan, type, owner, ownerPath + "/protocol-mappers/models", PlanContext.keyedByName(desiredMappers),
        PlanContext.keyedByName(liveMappers), phase, phase);
  }

  static void plan(PlanContext plan, EntityType type, String owner, String base, Map<String, ObjectNode> wanted,
      Map<String, ObjectNode> current, Phase phase, Phase deletePhase) {
    wanted.forEach((name, part) -> {
      String key = owner + "/" + name;
      ObjectNode existing = current.get(name);
      if (existing == null) {
        var body = part.deepCopy();
        plan.add(Change.create(type, key, phase, ctx -> ctx.api().post(base, body)));
        return;
      }
      var fields = plan.diff(part, existing, type, key, Set.of());
      if (!fields.isEmpty()) {
        var body = Representations.merged(existing, part, Set.of(), Set.of());
        body.put("id", Json.text(existing, "id"));
        plan.add(Change.update(type, key, fields, phase,
            ctx -> ctx.api().put(base + "/" + Json.text(existing, "id"), body)));
      }
    });
    current.forEach((name, part) -> {
      if (!wanted.containsKey(name)) {
        plan.add(Change.delete(type, owner + "/" + name, deletePhase,
            ctx -> ctx.api().delete(base + "/" + Json.text(part, "id"))));
      }
    });
  }
}
