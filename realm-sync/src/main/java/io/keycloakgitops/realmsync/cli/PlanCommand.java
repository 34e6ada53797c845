package io.keycloakgitops.realmsync.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.keycloakgitops.realmsync.RealmSyncer;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.engine.PlanPrinter;
import io.keycloakgitops.realmsync.source.Fragments;
import io.keycloakgitops.realmsync.source.RealmLoader;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Shows what {@code apply} would do. Exit 0: nothing to do, 2: changes pending, 1: an error. */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = "Show the changes apply would make (exit 0: none, 2: changes pending, 1: error).")
public final class PlanCommand extends OneShotCommand {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PlanCommand.class);
  /** Version of the JSON output (plan-schema.json); raised only when a field changes meaning or goes away. */
  static final int FORMAT_VERSION = 1;
  /** The line of a file error, as the parser reports it: {@code path:LINE: message}. */
  private static final Pattern LINE = Pattern.compile("\\.(?:json|ya?ml):(\\d+):");

  enum Format { text, markdown, json }

  @Option(names = {"--format", "--output"}, defaultValue = "text",
      description = "text, markdown (a pull request comment) or json (plan-schema.json) (default ${DEFAULT-VALUE}).")
  Format format;

  @Override
  int run(RealmSyncer syncer, List<RealmLoader.Loaded> realms) {
    boolean changes = false;
    var entries = Json.NODES.arrayNode();
    var failures = Json.NODES.arrayNode();
    var markdown = new StringBuilder();
    for (RealmLoader.Loaded realm : realms) {
      if (!realm.ok()) {
        err().println(realm.error());
        failure(failures, realm, realm.error());
        continue;
      }
      try {
        var before = previous.get(realm.realm());
        RealmSyncer.Planned planned = before == null ? syncer.plan(realm.desired())
            : syncer.planIncremental(realm.desired(), before);
        // A failed fragment fails the plan too, though the rest of its realm is planned.
        for (Fragments.Failure fragment : realm.desired().provenance().errors()) {
          err().println(fragment.message());
          failure(failures, realm.realm(), fragment.path(), fragment.message());
        }
        changes |= !planned.plan().isEmpty() || !planned.plan().realmExists();
        var guard = syncer.options().deletions();
        switch (format) {
          case json -> entries.add(PlanPrinter.json(planned.plan(), planned.secrets(), guard));
          case markdown -> markdown.append(PlanPrinter.markdown(planned.plan(), planned.secrets(), guard));
          case text -> out().print(PlanPrinter.text(planned.plan(), planned.secrets()));
        }
      } catch (RuntimeException e) {
        LOG.debug("planning realm {} failed", realm.realm(), e);
        String message = "realm " + realm.realm() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage());
        err().println(message);
        failure(failures, realm, message);
      }
    }
    int exit = !failures.isEmpty() ? 1 : changes ? 2 : 0;
    if (format == Format.json) {
      var root = Json.object();
      root.put("formatVersion", FORMAT_VERSION);
      root.put("revision", revision);
      root.put("exitCode", exit);
      root.put("status", status(exit));
      root.set("realms", entries);
      root.set("failures", failures);
      out().println(Json.writePretty(root));
    } else if (format == Format.markdown) {
      out().print(markdownDocument(exit, markdown.toString(), failures));
    }
    out().flush();
    return exit;
  }

  private static void failure(ArrayNode failures, RealmLoader.Loaded realm, String message) {
    failure(failures, realm.realm(), realm.path(), message);
  }

  private static void failure(ArrayNode failures, String realm, String path, String message) {
    var item = failures.addObject();
    item.put("realm", realm);
    item.put("path", path);
    var line = LINE.matcher(message);
    if (line.find()) {
      item.put("line", Integer.parseInt(line.group(1)));
    } else {
      item.putNull("line");
    }
    item.put("error", message);
  }

  private static String status(int exit) {
    return switch (exit) {
      case 0 -> "no-changes";
      case 2 -> "changes";
      default -> "error";
    };
  }

  private String markdownDocument(int exit, String realms, ArrayNode failures) {
    var out = new StringBuilder("## realm-sync plan\n\n");
    out.append(switch (exit) {
      case 0 -> "No changes: Keycloak already matches";
      case 2 -> "**Changes pending**: merging applies the changes below to Keycloak";
      default -> "**Errors**: some realm files cannot be planned (see Failures); nothing would be applied for them";
    }).append(" (revision ").append(PlanPrinter.code(revision == null ? "?" : revision)).append(", exit ")
        .append(exit).append(").\n\n");
    if (!failures.isEmpty()) {
      out.append("### Failures\n\n");
      failures.forEach(f -> out.append("- ").append(PlanPrinter.code(f.get("path").asText()
          + (f.get("line").isNull() ? "" : ":" + f.get("line").asInt()))).append(": ")
          .append(PlanPrinter.prose(f.get("error").asText())).append('\n'));
      out.append('\n');
    }
    out.append(realms);
    return out.toString();
  }
}
