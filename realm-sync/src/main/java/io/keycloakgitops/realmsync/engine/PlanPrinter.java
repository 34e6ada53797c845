package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a plan for people (terraform-like text, or markdown for a pull request comment) or as JSON. Secrets never appear: fields that are sensitive by name,
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
    return json(plan, secrets, new DeletionGuard(Integer.MAX_VALUE, true));
  }

  /** The realm entry of {@code plan --format json} (schema: plan-schema.json). */
  public static ObjectNode json(Plan plan, SecretPolicy secrets, DeletionGuard guard) {
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
    guard.stop(plan).ifPresentOrElse(stop -> out.put("deletionGuard", stop), () -> out.putNull("deletionGuard"));
    return out;
  }

  /**
   * The plan as a markdown section for a pull request comment: a summary table, then deletions and a deletion-guard
   * stop first, then the other changes grouped by object type, then warnings. Keys and values are code spans and
   * prose is HTML-escaped, so a realm file cannot inject markup into the comment.
   */
  public static String markdown(Plan plan, SecretPolicy secrets, DeletionGuard guard) {
    var out = new StringBuilder("### Realm ").append(code(plan.realm())).append("\n\n");
    if (!plan.realmExists()) {
      out.append("| create | update | delete |\n|---:|---:|---:|\n| 1 | 0 | 0 |\n\n")
          .append("The realm does not exist: it will be created, then given its declared objects.\n\n");
      return out.toString();
    }
    var visible = plan.visibleChanges();
    out.append("| create | update | delete |\n|---:|---:|---:|\n| ").append(plan.count(Operation.CREATE)).append(" | ")
        .append(plan.count(Operation.UPDATE)).append(" | ").append(plan.count(Operation.DELETE)).append(" |\n\n");
    if (visible.isEmpty()) {
      out.append("No changes.\n\n");
    }
    guard.stop(plan).ifPresent(stop -> out.append("> [!CAUTION]\n> **Deletion guard:** ")
        .append(prose(stop.lines().findFirst().orElse(""))).append("\n\n"));
    var deletions = visible.stream().filter(c -> c.op() == Operation.DELETE).toList();
    if (!deletions.isEmpty()) {
      out.append("#### Deletions\n\n");
      deletions.forEach(change -> markdownChange(out, change, secrets));
      out.append('\n');
    }
    var byType = new java.util.LinkedHashMap<String, java.util.List<Change>>();
    visible.stream().filter(c -> c.op() != Operation.DELETE)
        .forEach(c -> byType.computeIfAbsent(c.type().label(), k -> new java.util.ArrayList<>()).add(c));
    byType.forEach((type, changes) -> {
      out.append("#### ").append(prose(type)).append("\n\n");
      changes.forEach(change -> markdownChange(out, change, secrets));
      out.append('\n');
    });
    if (!plan.warnings().isEmpty()) {
      out.append("#### Warnings\n\n");
      plan.warnings().forEach(w -> out.append("- ").append(prose(w)).append('\n'));
      out.append('\n');
    }
    return out.toString();
  }

  private static void markdownChange(StringBuilder out, Change change, SecretPolicy secrets) {
    out.append("- ").append(code(change.describe()));
    if (change.detail() != null) {
      out.append(" (").append(prose(change.detail())).append(')');
    }
    out.append('\n');
    for (FieldChange field : change.fields()) {
      out.append("  - ").append(code(field.path())).append(": ").append(code(value(field, field.before(), secrets)))
          .append(" → ").append(code(value(field, field.after(), secrets))).append('\n');
    }
  }

  /** A markdown code span holding {@code text} whatever backticks it contains. */
  public static String code(String text) {
    String fence = "`";
    while (text.contains(fence)) {
      fence += "`";
    }
    String pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
    return fence + pad + text.replace('\n', ' ') + pad + fence;
  }

  /** Text outside code spans: no HTML, no markdown emphasis or links from realm content. */
  public static String prose(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replaceAll("([\\\\`*_\\[\\]|])", "\\\\$1")
        .replace('\n', ' ');
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
