package io.keycloakgitops.realmsync.service;

import io.keycloakgitops.realmsync.RealmSyncer;
import io.keycloakgitops.realmsync.engine.PlanPrinter;
import io.keycloakgitops.realmsync.source.DesiredRealm;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs syncs for the service, whatever the source: one at a time per realm and server (a lock per pair), recording
 * status and metrics and logging the outcome. Never throws: failures land in the status and the caller retries.
 */
public final class SyncRunner {
  private static final Logger LOG = LoggerFactory.getLogger(SyncRunner.class);

  private final SyncMetrics metrics;
  private final DriftPolicy driftPolicy;
  private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  public SyncRunner(SyncMetrics metrics, DriftPolicy driftPolicy) {
    this.metrics = metrics;
    this.driftPolicy = driftPolicy;
  }

  /**
   * Applies {@code desired}: only what changed since {@code previous} when given (the last content applied
   * successfully), else a full compare.
   */
  public RealmSyncer.Outcome apply(RealmSyncer syncer, RealmStatus status, String revision, DesiredRealm desired,
      DesiredRealm previous, Consumer<RealmSyncer.Outcome> onDone) {
    return locked(syncer, desired.name(), () -> {
      status.attempted(revision, desired.path());
      RealmSyncer.Outcome outcome = previous == null ? syncer.apply(desired, status::progress)
          : syncer.applyIncremental(desired, previous, status::progress);
      status.applied(revision, desired.hash(), outcome);
      metrics.synced(desired.name(), outcome);
      log(desired, revision, outcome, previous != null);
      onDone.accept(outcome);
      return outcome;
    });
  }

  /**
   * Compares the whole realm with its file. With the revert policy, differences are applied; with report, they are
   * recorded. Returns the outcome of the revert (no writes when there was nothing to revert or only a report), or
   * null when the compare itself failed.
   */
  public RealmSyncer.Outcome checkDrift(RealmSyncer syncer, RealmStatus status, String revision, DesiredRealm desired,
      Consumer<RealmSyncer.Outcome> onDone) {
    return locked(syncer, desired.name(), () -> {
      RealmSyncer.Planned planned;
      try {
        planned = syncer.plan(desired);
      } catch (RuntimeException e) {
        String message = "drift check failed: " + e.getMessage();
        status.failed(message);
        metrics.failed(desired.name(), "keycloak");
        LOG.atWarn().addKeyValue("realm", desired.name()).log(message);
        return null;
      }
      int changes = planned.plan().visibleChanges().size() + (planned.plan().realmExists() ? 0 : 1);
      var nothingWritten = new RealmSyncer.Outcome(desired.name(), planned.plan(), 0, 0, 0, 0, Map.of(), 0, null);
      if (changes == 0) {
        status.drifted(0);
        return nothingWritten;
      }
      metrics.drift(desired.name(), changes);
      LOG.atWarn().addKeyValue("realm", desired.name()).addKeyValue("changes", changes)
          .addKeyValue("policy", driftPolicy.name().toLowerCase()).log("drift detected: {}",
              PlanPrinter.countsByType(planned.plan()));
      if (driftPolicy == DriftPolicy.REPORT) {
        status.drifted(changes);
        return nothingWritten;
      }
      status.attempted(revision, desired.path());
      RealmSyncer.Outcome outcome = syncer.apply(desired, status::progress);
      status.applied(revision, desired.hash(), outcome);
      metrics.synced(desired.name(), outcome);
      log(desired, revision, outcome, false);
      onDone.accept(outcome);
      return outcome;
    });
  }

  private <T> T locked(RealmSyncer syncer, String realm, java.util.function.Supplier<T> work) {
    var lock = locks.computeIfAbsent(syncer.admin().target().url() + "|" + realm, k -> new ReentrantLock());
    lock.lock();
    try {
      return work.get();
    } finally {
      lock.unlock();
    }
  }

  private static void log(DesiredRealm desired, String revision, RealmSyncer.Outcome outcome, boolean incremental) {
    var event = (outcome.ok() ? LOG.atInfo() : LOG.atError()).addKeyValue("realm", desired.name())
        .addKeyValue("revision", revision).addKeyValue("created", outcome.created())
        .addKeyValue("updated", outcome.updated()).addKeyValue("deleted", outcome.deleted())
        .addKeyValue("durationMs", outcome.millis()).addKeyValue("mode", incremental ? "incremental" : "full");
    if (outcome.ok()) {
      event.log(outcome.total() == 0 ? "realm in sync" : "realm applied");
    } else {
      event.addKeyValue("error", outcome.error().getMessage()).log("realm sync failed");
    }
  }
}
