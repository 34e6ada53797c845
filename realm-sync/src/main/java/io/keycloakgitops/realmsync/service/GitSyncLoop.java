package io.keycloakgitops.realmsync.service;

import io.keycloakgitops.realmsync.RealmSyncer;
import io.keycloakgitops.realmsync.source.CommitSignatures;
import io.keycloakgitops.realmsync.source.DesiredRealm;
import io.keycloakgitops.realmsync.source.Placeholders;
import io.keycloakgitops.realmsync.source.RealmLoader;
import io.keycloakgitops.realmsync.source.Tenancy;
import io.keycloakgitops.realmsync.source.RealmSource;
import io.keycloakgitops.realmsync.source.SourceException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls a Git source (and runs at once when a push webhook arrives). Each round fetches, then per realm: applies
 * what changed since the last successful apply (only those objects), or — when the content is unchanged and the
 * drift interval is up — compares the whole realm. Failures back off (1 s doubling up to the poll interval); a
 * broken file fails its realm only and the realm keeps its last good state.
 */
public final class GitSyncLoop implements AutoCloseable {
  public static final String SOURCE = "git";
  private static final Logger LOG = LoggerFactory.getLogger(GitSyncLoop.class);

  private final RealmSource source;
  private final RealmSyncer syncer;
  private final SyncRunner runner;
  private final StatusRegistry status;
  private final SyncMetrics metrics;
  private final Duration interval;
  private final Duration driftInterval;
  private final Supplier<Placeholders> placeholders;
  private Tenancy tenancy = Tenancy.OPEN;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    var thread = new Thread(r, "realm-sync-git");
    thread.setDaemon(true);
    return thread;
  });
  private final Map<String, DesiredRealm> applied = new HashMap<>();
  private final Map<String, Instant> lastFullCompare = new HashMap<>();
  private final AtomicBoolean triggered = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private ScheduledFuture<?> next;
  private int fetchFailures;

  public GitSyncLoop(RealmSource source, RealmSyncer syncer, SyncRunner runner, StatusRegistry status,
      SyncMetrics metrics, Duration interval, Duration driftInterval, Supplier<Placeholders> placeholders) {
    this.source = source;
    this.syncer = syncer;
    this.runner = runner;
    this.status = status;
    this.metrics = metrics;
    this.interval = interval;
    this.driftInterval = driftInterval;
    this.placeholders = placeholders;
  }

  /** What each path of the repository may declare (see {@link Tenancy}); set before the loop starts. */
  public GitSyncLoop withTenancy(Tenancy grants) {
    this.tenancy = grants;
    return this;
  }

  public void start() {
    trigger();
  }

  /** Runs a round as soon as possible (a push arrived); rounds already queued absorb further triggers. */
  public void trigger() {
    if (triggered.compareAndSet(false, true)) {
      executor.execute(() -> round(false));
    }
  }

  /**
   * Runs a round now and waits for it, comparing every realm in full (as if its drift check were due); returns
   * the outcome per realm.
   */
  public Map<String, RealmSyncer.Outcome> syncNow() {
    try {
      return executor.submit(() -> round(true)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  private Map<String, RealmSyncer.Outcome> round(boolean compareAll) {
    triggered.set(false);
    if (next != null) {
      next.cancel(false);
    }
    var outcomes = new LinkedHashMap<String, RealmSyncer.Outcome>();
    Duration delay = interval;
    try {
      int failures = syncAll(outcomes, compareAll);
      delay = failures == 0 ? interval : backoff(failures);
    } catch (RuntimeException e) {
      LOG.error("sync round failed", e);
      delay = backoff(1);
    } finally {
      if (!executor.isShutdown()) {
        next = executor.schedule(() -> round(false), delay.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    return outcomes;
  }

  /** One round; returns the number of consecutive failures to back off for (0: all good). */
  private int syncAll(Map<String, RealmSyncer.Outcome> outcomes, boolean compareAll) {
    RealmSource.Snapshot snapshot;
    try {
      snapshot = source.fetch();
      status.sourceFetched(SOURCE, source.describe(), snapshot.revision());
      fetchFailures = 0;
    } catch (SourceException e) {
      fetchFailures++;
      status.sourceFailed(SOURCE, source.describe(), e.getMessage());
      if (e instanceof CommitSignatures.UntrustedCommitException) {
        // Each realm keeps its last applied revision and says why the new one was not applied.
        status.realms().values().stream().filter(r -> SOURCE.equals(r.source())).forEach(r -> r.failed(e.getMessage()));
      }
      metrics.failed("*", "source");
      LOG.atWarn().addKeyValue("source", source.describe()).addKeyValue("attempt", fetchFailures).log(e.getMessage());
      return fetchFailures;
    }
    int failures = 0;
    var loaded = RealmLoader.load(snapshot, placeholders, tenancy);
    for (RealmLoader.Loaded realm : loaded) {
      RealmStatus realmStatus = status.realm(realm.realm(), realm.realm(), SOURCE);
      if (!realm.ok()) {
        realmStatus.attempted(snapshot.revision(), realm.path());
        realmStatus.failed(realm.error());
        metrics.failed(realm.realm(), "invalid-file");
        LOG.atError().addKeyValue("realm", realm.realm()).addKeyValue("revision", snapshot.revision())
            .log("invalid realm file, last applied state kept: {}", realm.error());
        failures = Math.max(failures, realmStatus.consecutiveFailures());
        continue;
      }
      RealmSyncer.Outcome outcome = sync(realm.desired(), realmStatus, snapshot.revision(), compareAll);
      if (outcome != null) {
        outcomes.put(realm.realm(), outcome);
        if (!outcome.ok()) {
          failures = Math.max(failures, realmStatus.consecutiveFailures());
        }
      }
    }
    forgetRemoved(loaded.stream().map(RealmLoader.Loaded::realm).collect(Collectors.toSet()));
    return failures;
  }

  private RealmSyncer.Outcome sync(DesiredRealm desired, RealmStatus realmStatus, String revision, boolean compareAll) {
    String realm = desired.name();
    DesiredRealm previous = applied.get(realm);
    boolean inSync = previous != null && realmStatus.result() != RealmStatus.Result.Failed;
    if (inSync && previous.hash().equals(desired.hash())) {
      realmStatus.upToDate(revision);
      Instant last = lastFullCompare.get(realm);
      if (!compareAll && last != null && last.plus(driftInterval).isAfter(Instant.now())) {
        return null;
      }
      lastFullCompare.put(realm, Instant.now());
      return runner.checkDrift(syncer, realmStatus, revision, desired, outcome -> remember(desired, outcome, true));
    }
    // Incremental only from a base that was fully applied; anything else gets a full compare.
    DesiredRealm base = inSync && realmStatus.result() == RealmStatus.Result.Synced ? previous : null;
    return runner.apply(syncer, realmStatus, revision, desired, base, outcome -> remember(desired, outcome, base == null));
  }

  private void remember(DesiredRealm desired, RealmSyncer.Outcome outcome, boolean fullCompare) {
    if (outcome.ok()) {
      applied.put(desired.name(), desired);
      if (fullCompare) {
        lastFullCompare.put(desired.name(), Instant.now());
      }
    } else {
      applied.remove(desired.name());
    }
  }

  /** Realms whose files are gone: dropped from status, and deleted if the realm prune policy says so. */
  private void forgetRemoved(Set<String> present) {
    for (String realm : Set.copyOf(applied.keySet())) {
      if (!present.contains(realm)) {
        applied.remove(realm);
        lastFullCompare.remove(realm);
        status.remove(realm);
      }
    }
    status.realms().forEach((key, realmStatus) -> {
      if (SOURCE.equals(realmStatus.source()) && !present.contains(key)) {
        status.remove(key);
      }
    });
    if (!present.isEmpty()) {
      try {
        syncer.pruneRealms(present).forEach(realm -> LOG.atWarn().addKeyValue("realm", realm)
            .log("realm deleted: its file is gone and the realm prune policy is full"));
      } catch (RuntimeException e) {
        LOG.atWarn().log("could not check for realms to delete: {}", e.getMessage());
      }
    }
  }

  private Duration backoff(int failures) {
    long seconds = 1L << Math.min(Math.max(failures - 1, 0), 16);
    return Duration.ofSeconds(seconds).compareTo(interval) < 0 ? Duration.ofSeconds(seconds) : interval;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    source.close();
  }
}
