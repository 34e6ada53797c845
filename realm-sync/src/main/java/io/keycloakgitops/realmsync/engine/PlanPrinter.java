package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a plan for people (terraform-like) or as JSON. Secrets never appear: fields that are sensitive by name,
 * masked values and anything that came from a placeholder print as {@code (sensitive)}, and so do sensitive keys
 * nested at any depth inside a map or list that changes as a whole.
 */
public final class PlanPrinter {
  private static final int MAX_VALUE = 160;
  private static final String SENSITIVE = SecretPolicy.MASK;

  private PlanPrinter() {}

  public static String text(Plan plan, SecretPolicy secrets) {
    var out = new StringBuilder("realm ").append(plan.realm()).append(": ");
    if (!plan.realmExists()) {
      out.append("does not exist: will be created, then given its declared objects\n");
      return out.toString();
    }
    var visible = plan.visibleChanges();
    if (visible.isEmpty()) {
      out.append("no changes\n");
    } else {
      out.append(plan.count(Operation.CREATE)).append(" to create, ").append(plan.count(Operation.UPDATE))
          .append(" to update, ").append(plan.count(Operation.DELETE)).append(" to delete\n");
    }
    for (Change change : visible) {
      out.append("  ").append(change.describe());
      if (change.detail() != null) {
        out.append(" (").append(change.detail()).append(')');
      }
      out.append('\n');
      for (FieldChange field : change.fields()) {
        out.append("      ").append(field.path()).append(": ").append(value(field, field.before(), secrets))
            .append(" -> ").append(value(field, field.after(), secrets)).append('\n');
      }
    }
    plan.warnings().forEach(w -> out.append("  ! ").append(w).append('\n'));
    return out.toString();
  }

  public static ObjectNode json(Plan plan, SecretPolicy secrets) {
    var out = Json.object();
    out.put("realm", plan.realm());
    out.put("realmExists", plan.realmExists());
    var counts = out.putObject("summary");
    for (Operation op : Operation.values()) {
      counts.put(op.label(), plan.realmExists() ? plan.count(op) : op == Operation.CREATE ? 1 : 0);
    }
    var changes = out.putArray("changes");
    for (Change change : plan.visibleChanges()) {
      var item = changes.addObject();
      item.put("op", change.op().label());
      item.put("type", change.type().label());
      item.put("key", change.key());
      if (change.detail() != null) {
        item.put("detail", change.detail());
      }
      var fields = item.putArray("fields");
      for (FieldChange field : change.fields()) {
        var f = fields.addObject();
        f.put("path", field.path());
        f.set("before", jsonValue(field, field.before(), secrets));
        f.set("after", jsonValue(field, field.after(), secrets));
        if (hidden(field, secrets)) {
          f.put("sensitive", true);
        }
      }
    }
    out.set("warnings", Json.array(plan.warnings()));
    return out;
  }

  /** Counts of visible changes by type, for logs. */
  public static Map<String, Long> countsByType(Plan plan) {
    var out = new TreeMap<String, Long>();
    plan.visibleChanges().forEach(c -> out.merge(c.op().label() + " " + c.type().label(), 1L, Long::sum));
    return out;
  }

  private static boolean hidden(FieldChange field, SecretPolicy secrets) {
    String name = field.path().substring(field.path().lastIndexOf('.') + 1);
    return field.sensitive() || SecretPolicy.sensitiveName(name) || secrets.containsPlaceholderValue(field.after())
        || secrets.containsPlaceholderValue(field.before());
  }

  private static String value(FieldChange field, JsonNode value, SecretPolicy secrets) {
    if (value == null || value.isNull()) {
      return "(none)";
    }
    if (hidden(field, secrets)) {
      return SENSITIVE;
    }
    String text = Json.write(secrets.masked(value));
    return text.length() > MAX_VALUE ? text.substring(0, MAX_VALUE) + "..." : text;
  }

  private static JsonNode jsonValue(FieldChange field, JsonNode value, SecretPolicy secrets) {
    if (value == null) {
      return Json.NODES.nullNode();
    }
    return hidden(field, secrets) ? Json.NODES.textNode(SENSITIVE) : secrets.masked(value);
  }
}
