package io.keycloakgitops.realmsync.cli;

import io.keycloakgitops.realmsync.RealmSyncer;
import io.keycloakgitops.realmsync.engine.PlanPrinter;
import io.keycloakgitops.realmsync.source.RealmLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/** Applies every realm file once. Ends with one line per realm; exit 0 only if every realm applied. */
@Command(name = "apply", mixinStandardHelpOptions = true,
    description = "Make Keycloak match the realm files once, then exit (0: all applied, 1: any failure).")
public final class ApplyCommand extends OneShotCommand {
  @Override
  int run(RealmSyncer syncer, List<RealmLoader.Loaded> realms) {
    var summaries = new ArrayList<String>();
    boolean failed = false;
    for (RealmLoader.Loaded realm : realms) {
      if (!realm.ok()) {
        err().println(realm.error());
        summaries.add("realm " + realm.realm() + ": FAILED after 0 created, 0 updated, 0 deleted in 0 ms: invalid file "
            + realm.path());
        failed = true;
        continue;
      }
      var progress = TerminalProgress.onTerminal(err(), realm.realm());
      RealmSyncer.Outcome outcome = progress == null ? syncer.apply(realm.desired())
          : syncer.apply(realm.desired(), progress);
      if (progress != null) {
        progress.end();
      }
      if (outcome.plan() != null && !outcome.plan().isEmpty()) {
        out().print(PlanPrinter.text(outcome.plan(), new io.keycloakgitops.realmsync.engine.SecretPolicy(
            realm.desired().secretValues(), io.keycloakgitops.realmsync.engine.SyncState.empty(),
            syncer.options().ownershipKey())));
      }
      summaries.add(outcome.summary());
      if (!outcome.ok()) {
        String location = FailureLocation.of(realm.path(), outcome.error().getMessage());
        if (location != null) {
          err().println(location + ": Keycloak refused " + outcome.error().getMessage());
        }
      }
      failed |= !outcome.ok();
    }
    if (!failed) {
      var deleted = syncer.pruneRealms(realms.stream().map(RealmLoader.Loaded::realm).collect(Collectors.toSet()));
      deleted.forEach(name -> summaries.add("realm " + name + ": deleted (its file is gone)"));
    }
    summaries.forEach(out()::println);
    out().flush();
    return failed ? 1 : 0;
  }
}
