package io.keycloakgitops.realmsync.cli;

import io.keycloakgitops.realmsync.RealmSyncer;
import io.keycloakgitops.realmsync.engine.PlanPrinter;
import io.keycloakgitops.realmsync.engine.Progress;
import io.keycloakgitops.realmsync.source.DesiredRealm;
import io.keycloakgitops.realmsync.source.RealmLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/** Applies every realm file once. Ends with one line per realm; exit 0 only if every realm applied. */
@Command(name = "apply", mixinStandardHelpOptions = true,
    description = "Make Keycloak match the realm files once, then exit (0: all applied, 1: any failure).")
public final class ApplyCommand extends OneShotCommand {
  /** Realms applied at once off a terminal: a handful, so Keycloak works while realm-sync reads and plans. */
  public static final int REALMS_AT_ONCE = 4;

  @Override
  int run(RealmSyncer syncer, List<RealmLoader.Loaded> realms) {
    var summaries = new ArrayList<String>();
    boolean failed = false;
    // On a terminal one realm at a time, so that its progress lines stay readable.
    var outcomes = applyAll(syncer, realms, TerminalProgress.isTerminal() ? 1 : REALMS_AT_ONCE);
    for (int i = 0; i < realms.size(); i++) {
      RealmLoader.Loaded realm = realms.get(i);
      if (!realm.ok()) {
        err().println(realm.error());
        summaries.add("realm " + realm.realm() + ": FAILED after 0 created, 0 updated, 0 deleted in 0 ms: invalid file "
            + realm.path());
        failed = true;
        continue;
      }
      RealmSyncer.Outcome outcome = outcomes.get(i);
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

  /**
   * Applies the valid realms, {@code atOnce} at a time; the outcomes come back in file order (null for an invalid
   * file), so the output reads the same however many ran together.
   */
  private List<RealmSyncer.Outcome> applyAll(RealmSyncer syncer, List<RealmLoader.Loaded> realms, int atOnce) {
    var outcomes = new ArrayList<RealmSyncer.Outcome>();
    if (atOnce == 1) {
      for (RealmLoader.Loaded realm : realms) {
        outcomes.add(realm.ok() ? applyOne(syncer, realm) : null);
      }
      return outcomes;
    }
    var pool = Executors.newFixedThreadPool(Math.min(atOnce, realms.size()));
    try {
      var futures = new ArrayList<Future<RealmSyncer.Outcome>>();
      for (RealmLoader.Loaded realm : realms) {
        futures.add(realm.ok() ? pool.submit(() -> apply(syncer, realm, Progress.NONE)) : null);
      }
      for (var future : futures) {
        outcomes.add(future == null ? null : future.get());
      }
      return outcomes;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while applying realms", e);
    } catch (ExecutionException e) {
      // RealmSyncer.apply reports failures in its outcome; anything thrown is a bug, not a Keycloak problem.
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private RealmSyncer.Outcome applyOne(RealmSyncer syncer, RealmLoader.Loaded realm) {
    var progress = TerminalProgress.onTerminal(err(), realm.realm());
    if (progress == null) {
      return apply(syncer, realm, Progress.NONE);
    }
    var outcome = apply(syncer, realm, progress);
    progress.end();
    return outcome;
  }

  /**
   * Incremental when {@code --since} gave the realm's earlier file (nothing at all when the file is the same, as the
   * service does), otherwise a full compare.
   */
  private RealmSyncer.Outcome apply(RealmSyncer syncer, RealmLoader.Loaded realm, Progress progress) {
    DesiredRealm before = previous.get(realm.realm());
    if (before == null) {
      return syncer.apply(realm.desired(), progress);
    }
    if (before.hash().equals(realm.desired().hash())) {
      return new RealmSyncer.Outcome(realm.realm(), null, 0, 0, 0, 0, java.util.Map.of(), 0, null);
    }
    return syncer.applyIncremental(realm.desired(), before, progress);
  }
}
