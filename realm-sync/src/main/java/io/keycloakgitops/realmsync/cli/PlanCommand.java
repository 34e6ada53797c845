package io.keycloakgitops.realmsync.cli;

import io.keycloakgitops.realmsync.RealmSyncer;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.engine.PlanPrinter;
import io.keycloakgitops.realmsync.source.RealmLoader;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Shows what {@code apply} would do. Exit 0: nothing to do, 2: changes pending, 1: an error. */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = "Show the changes apply would make (exit 0: none, 2: changes pending, 1: error).")
public final class PlanCommand extends OneShotCommand {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PlanCommand.class);
  enum Format { text, json }

  @Option(names = "--output", defaultValue = "text", description = "text or json (default ${DEFAULT-VALUE}).")
  Format output;

  @Override
  int run(RealmSyncer syncer, List<RealmLoader.Loaded> realms) {
    boolean error = false;
    boolean changes = false;
    var json = Json.object().putArray("realms");
    for (RealmLoader.Loaded realm : realms) {
      if (!realm.ok()) {
        error = true;
        err().println(realm.error());
        json.addObject().put("realm", realm.realm()).put("error", realm.error());
        continue;
      }
      try {
        RealmSyncer.Planned planned = syncer.plan(realm.desired());
        // A failed fragment fails the plan too, though the rest of its realm is planned.
        realm.desired().provenance().errors().forEach(err()::println);
        error |= !realm.desired().provenance().errors().isEmpty();
        changes |= !planned.plan().isEmpty() || !planned.plan().realmExists();
        if (output == Format.json) {
          json.add(PlanPrinter.json(planned.plan(), planned.secrets()));
        } else {
          out().print(PlanPrinter.text(planned.plan(), planned.secrets()));
        }
      } catch (RuntimeException e) {
        error = true;
        LOG.debug("planning realm {} failed", realm.realm(), e);
        String message = "realm " + realm.realm() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage());
        err().println(message);
        json.addObject().put("realm", realm.realm()).put("error", message);
      }
    }
    if (output == Format.json) {
      var root = Json.object();
      root.set("realms", json);
      out().println(Json.writePretty(root));
    }
    out().flush();
    return error ? 1 : changes ? 2 : 0;
  }
}
