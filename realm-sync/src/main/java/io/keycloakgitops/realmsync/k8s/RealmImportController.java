package io.keycloakgitops.realmsync.k8s;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.keycloakgitops.realmsync.RealmSyncer;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.service.RealmStatus;
import io.keycloakgitops.realmsync.service.StatusRegistry;
import io.keycloakgitops.realmsync.service.SyncMetrics;
import io.keycloakgitops.realmsync.service.SyncRunner;
import io.keycloakgitops.realmsync.source.DesiredRealm;
import io.keycloakgitops.realmsync.source.GitSettings;
import io.keycloakgitops.realmsync.source.Placeholders;
import io.keycloakgitops.realmsync.source.RealmFileException;
import io.keycloakgitops.realmsync.source.RealmParser;
import io.keycloakgitops.schemas.common.Condition;
import io.keycloakgitops.schemas.realmimport.KeycloakRealmImportSpec;
import io.keycloakgitops.schemas.realmimport.KeycloakRealmImportStatus;
import io.keycloakgitops.schemas.v2beta1.KeycloakRealmImport;
import io.keycloakgitops.realmsync.source.SourceIds;
import io.keycloakgitops.schemas.authority.PlaceholderScan;
import io.keycloakgitops.schemas.authority.RealmGrants;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies KeycloakRealmImport CRs through the admin API — no import Jobs — and, unlike upstream, keeps applying
 * them: an edited CR updates its realm, and the periodic resync compares for drift. Status follows upstream's
 * conditions (Started while syncing, Done when applied, HasErrors with the reason). Deleting a CR leaves the realm,
 * as upstream does. Placeholders come only from the CR's mapped Secrets and {@code ${secret:name/key}} in its own
 * namespace: never from realm-sync's environment or files, which hold its own credentials.
 *
 * <p>Authority: a CR reaches only the realms {@link RealmGrants} grant its namespace ({@code master} only when named),
 * and a realm of one server belongs to one CR — the one recorded as its owner in the realm while that CR still
 * claims it, else the oldest claimant (creationTimestamp, then namespace/name). Every CR writes under its own
 * source id ({@code cr:<namespace>/<name>}), so no other source prunes what it created.
 *
 * <p>Work is queued per target Keycloak (one queue each, served in turn by a bounded pool of workers), and every
 * admin call has bounded timeouts: a slow or hung server delays only its own CRs.
 */
public final class RealmImportController implements AutoCloseable {
  public static final String SOURCE = "cr";
  private static final Logger LOG = LoggerFactory.getLogger(RealmImportController.class);

  private final KubernetesClient client;
  private final List<String> namespaces;
  private final KeycloakCrTargets targets;
  private final SyncRunner runner;
  private final StatusRegistry status;
  private final SyncMetrics metrics;
  private final RealmSyncer.Options options;
  private final Duration resync;
  private final EventRecorder events;
  private final RealmGrants grants;
  /** Delays (retries) only: the work itself runs on {@link #workers}. */
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "realm-sync-crs-timer"));
  private final ExecutorService workers;
  /** One queue per target Keycloak ({@code <namespace>/<keycloakCRName>}). */
  private final Map<String, TargetQueue> queues = new ConcurrentHashMap<>();
  private final Map<String, ReentrantLock> running = new ConcurrentHashMap<>();
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  private final Map<String, DesiredRealm> applied = new ConcurrentHashMap<>();
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private final List<SharedIndexInformer<KeycloakRealmImport>> informers = new ArrayList<>();

  /** The CRs waiting for one target; {@code active} while a worker serves it (at most one at a time). */
  private static final class TargetQueue {
    final Deque<String> keys = new ArrayDeque<>();
    boolean active;
  }

  public RealmImportController(KubernetesClient client, List<String> namespaces, KeycloakCrTargets targets,
      SyncRunner runner, StatusRegistry status, SyncMetrics metrics, RealmSyncer.Options options, Duration resync,
      RealmGrants grants, int workerCount) {
    this.client = client;
    this.namespaces = namespaces;
    this.targets = targets;
    this.runner = runner;
    this.status = status;
    this.metrics = metrics;
    this.options = options;
    this.resync = resync;
    this.grants = grants;
    this.events = new EventRecorder(client);
    var threads = new AtomicInteger();
    this.workers = Executors.newFixedThreadPool(workerCount, r -> daemon(r, "realm-sync-crs-" + threads.incrementAndGet()));
  }

  private static Thread daemon(Runnable r, String name) {
    var thread = new Thread(r, name);
    thread.setDaemon(true);
    return thread;
  }

  public void start() {
    var handler = new ResourceEventHandler<KeycloakRealmImport>() {
      @Override
      public void onAdd(KeycloakRealmImport cr) {
        enqueue(key(cr), 0);
      }

      @Override
      public void onUpdate(KeycloakRealmImport before, KeycloakRealmImport after) {
        enqueue(key(after), 0);
      }

      @Override
      public void onDelete(KeycloakRealmImport cr, boolean unknownFinalState) {
        enqueue(key(cr), 0);
      }
    };
    var resources = client.resources(KeycloakRealmImport.class);
    if (namespaces.isEmpty()) {
      informers.add(resources.inAnyNamespace().inform(handler, resync.toMillis()));
    } else {
      namespaces.forEach(ns -> informers.add(resources.inNamespace(ns).inform(handler, resync.toMillis())));
    }
  }

  private static String key(KeycloakRealmImport cr) {
    return cr.getMetadata().getNamespace() + "/" + cr.getMetadata().getName();
  }

  private void enqueue(String key, long delayMillis) {
    if (queued.add(key)) {
      try {
        timer.schedule(() -> dispatch(key), delayMillis, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closed) {
        // close() ran meanwhile (a sync that failed because the service is stopping): nothing is left to retry
        queued.remove(key);
      }
    }
  }

  /** Queues {@code key} behind its target's other CRs; starts serving that target if no worker does. */
  private void dispatch(String key) {
    TargetQueue queue = queues.computeIfAbsent(targetOf(key), t -> new TargetQueue());
    synchronized (queue) {
      queue.keys.add(key);
      if (queue.active) {
        return;
      }
      queue.active = true;
    }
    workers.execute(() -> serve(queue));
  }

  /** One CR of the queue, then back into the pool, so that targets take turns on the workers. */
  private void serve(TargetQueue queue) {
    String key;
    synchronized (queue) {
      key = queue.keys.poll();
      if (key == null) {
        queue.active = false;
        return;
      }
    }
    queued.remove(key);
    var lock = running.computeIfAbsent(key, k -> new ReentrantLock());
    lock.lock();
    try {
      process(key);
    } finally {
      lock.unlock();
      if (!workers.isShutdown()) {
        workers.execute(() -> serve(queue));
      }
    }
  }

  private String targetOf(String key) {
    String namespace = key.substring(0, key.indexOf('/'));
    for (var informer : informers) {
      var cr = informer.getIndexer().getByKey(key);
      if (cr != null && cr.getSpec() != null) {
        return namespace + "/" + cr.getSpec().keycloakCRName;
      }
    }
    return namespace + "/";
  }

  private KeycloakRealmImport cached(String key) {
    return cached(key, true);
  }

  /** The CR from the informers' cache, else (when {@code orRead}) from the API server. */
  private KeycloakRealmImport cached(String key, boolean orRead) {
    String[] parts = key.split("/", 2);
    for (var informer : informers) {
      var cr = informer.getIndexer().getByKey(key);
      if (cr != null) {
        return cr;
      }
    }
    return orRead ? client.resources(KeycloakRealmImport.class).inNamespace(parts[0]).withName(parts[1]).get() : null;
  }

  private void process(String key) {
    KeycloakRealmImport cr;
    try {
      cr = cached(key);
    } catch (KubernetesClientException e) {
      LOG.atWarn().addKeyValue("resource", key).log("cannot read: {}", e.getMessage());
      retry(key);
      return;
    }
    if (cr == null) {
      // Upstream semantics: the realm outlives its import CR.
      status.remove(key);
      applied.remove(key);
      failures.remove(key);
      running.remove(key);
      return;
    }
    try {
      sync(key, cr);
    } catch (RuntimeException e) {
      LOG.atError().addKeyValue("resource", key).log("realm import failed unexpectedly", e);
      retry(key);
    }
  }

  private void sync(String key, KeycloakRealmImport cr) {
    KeycloakRealmImportSpec spec = cr.getSpec();
    String realm = spec.realm == null ? null : Json.text(spec.realm, "realm");
    long generation = Objects.requireNonNullElse(cr.getMetadata().getGeneration(), 0L);
    String revision = "generation/" + generation;
    RealmStatus realmStatus = status.realm(key, realm, SOURCE);
    Optional<String> denied = grants.deny(cr.getMetadata().getNamespace(), realm);
    if (denied.isPresent()) {
      refuse(cr, key, realmStatus, revision, generation, realm, "not-granted", "RealmNotGranted", denied.get());
      return;
    }
    var forbidden = PlaceholderScan.forbiddenInCr(spec.realm, "spec.realm");
    if (!forbidden.isEmpty()) {
      refuse(cr, key, realmStatus, revision, generation, realm, "invalid-file", "InvalidRealm", forbidden.stream()
          .map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; ")));
      return;
    }
    DesiredRealm desired;
    RealmSyncer syncer;
    try {
      RealmParser.validate(spec.realm, "KeycloakRealmImport " + key + " spec.realm");
      var placeholders = Placeholders.forCr(cr.getMetadata().getNamespace(), mappedPlaceholders(cr),
          SecretValues.byName(client, cr.getMetadata().getNamespace()));
      desired = DesiredRealm.of(realm, "KeycloakRealmImport " + key, spec.realm.deepCopy(), placeholders);
      syncer = new RealmSyncer(targets.admin(cr.getMetadata().getNamespace(), spec.keycloakCRName),
          options.withSource(SourceIds.cr(cr.getMetadata().getNamespace(), cr.getMetadata().getName())),
          owner -> checkClaim(cr, realm, owner));
    } catch (RealmFileException | TargetException | KubernetesClientException e) {
      realmStatus.attempted(revision, "KeycloakRealmImport " + key);
      realmStatus.failed(e.getMessage());
      metrics.failed(String.valueOf(realm), e instanceof RealmFileException ? "invalid-file" : "keycloak-target");
      publish(cr, generation, false, e.getMessage(), null);
      events.warning(cr, e instanceof TargetException ? "KeycloakNotReady" : "InvalidRealm", e.getMessage());
      retry(key);
      return;
    }
    DesiredRealm previous = applied.get(key);
    boolean unchanged = previous != null && previous.hash().equals(desired.hash())
        && realmStatus.result() != RealmStatus.Result.Failed;
    RealmSyncer.Outcome outcome;
    if (unchanged) {
      outcome = runner.checkDrift(syncer, realmStatus, revision, desired, o -> { });
      if (outcome == null) {
        retry(key);
        return;
      }
      if (outcome.total() == 0) {
        if (realmStatus.result() == RealmStatus.Result.Drifted) {
          events.warning(cr, "DriftDetected", "the realm differs from the CR (drift policy: report)");
        }
        return;
      }
      events.warning(cr, "DriftReverted", "edits made outside the CR were reverted: " + counts(outcome));
    } else {
      publishStarted(cr, generation);
      DesiredRealm base = previous != null && realmStatus.result() == RealmStatus.Result.Synced ? previous : null;
      outcome = runner.apply(syncer, realmStatus, revision, desired, base, o -> { });
    }
    if (outcome.ok()) {
      applied.put(key, desired);
      failures.remove(key);
      publish(cr, generation, true, null, outcome);
      if (outcome.total() > 0) {
        events.normal(cr, "Synced", "realm " + realm + ": " + counts(outcome));
      }
    } else {
      applied.remove(key);
      publish(cr, generation, false, outcome.error().getMessage(), outcome);
      events.warning(cr, "SyncFailed", outcome.error().getMessage());
      retry(key);
    }
  }

  /** {@link RealmClaims} on the informers' cache: refuses (before any write) unless {@code cr} may have the realm. */
  private void checkClaim(KeycloakRealmImport cr, String realm, String owner) {
    String server = serverOf(cr);
    String ownerKey = SourceIds.crKey(owner);
    KeycloakRealmImport recorded = ownerKey == null ? null : cached(ownerKey, false);
    List<RealmClaims.Claimant> claimants = claimants(realm, server).stream().map(RealmImportController::claimant).toList();
    RealmClaims.refusal(realm, claimant(cr), owner, recorded != null && claims(recorded, realm, server), claimants)
        .ifPresent(message -> {
          throw new RealmSyncer.ClaimRefused(message);
        });
  }

  private static RealmClaims.Claimant claimant(KeycloakRealmImport cr) {
    String created = cr.getMetadata().getCreationTimestamp();
    return new RealmClaims.Claimant(key(cr), created == null ? Instant.MAX : Instant.parse(created));
  }

  /** The CRs in the cache that claim {@code realm} on {@code server} and are granted it. */
  private List<KeycloakRealmImport> claimants(String realm, String server) {
    var out = new ArrayList<KeycloakRealmImport>();
    for (var informer : informers) {
      for (var other : informer.getIndexer().list()) {
        if (other.getMetadata().getCreationTimestamp() != null && claims(other, realm, server)
            && grants.allows(other.getMetadata().getNamespace(), realm)) {
          out.add(other);
        }
      }
    }
    return out;
  }

  private boolean claims(KeycloakRealmImport other, String realm, String server) {
    var spec = other.getSpec();
    return spec != null && spec.realm != null && realm.equals(Json.text(spec.realm, "realm"))
        && server != null && server.equals(serverOf(other));
  }

  /** The server a CR targets: its Keycloak CR's internal URL (two CRs of one server may sit in two namespaces). */
  private String serverOf(KeycloakRealmImport cr) {
    String name = cr.getSpec() == null ? null : cr.getSpec().keycloakCRName;
    if (name == null) {
      return null;
    }
    var keycloak = client.resources(Keycloak.class).inNamespace(cr.getMetadata().getNamespace()).withName(name).get();
    return keycloak == null || keycloak.getStatus() == null ? null : keycloak.getStatus().internalUrl;
  }

  /**
   * Refuses the CR before anything is read from or written to Keycloak; it is looked at again when it changes (or,
   * for grants, when realm-sync restarts with new ones).
   */
  private void refuse(KeycloakRealmImport cr, String key, RealmStatus realmStatus, String revision, long generation,
      String realm, String metricReason, String eventReason, String message) {
    realmStatus.attempted(revision, "KeycloakRealmImport " + key);
    realmStatus.failed(message);
    metrics.failed(String.valueOf(realm), metricReason);
    publish(cr, generation, false, message, null);
    events.warning(cr, eventReason, message);
    applied.remove(key);
  }

  private static String counts(RealmSyncer.Outcome outcome) {
    return outcome.created() + " created, " + outcome.updated() + " updated, " + outcome.deleted() + " deleted";
  }

  /** Upstream's {@code placeholders}: name to a key of a Secret in the CR's namespace. */
  private Map<String, String> mappedPlaceholders(KeycloakRealmImport cr) {
    var out = new HashMap<String, String>();
    if (cr.getSpec().placeholders != null) {
      cr.getSpec().placeholders.forEach((name, placeholder) -> {
        if (placeholder.secret == null) {
          throw new RealmFileException("placeholder " + name + " has no secret reference");
        }
        String value = secretValue(cr, placeholder.secret.getName() + "/" + placeholder.secret.getKey());
        if (value == null) {
          throw new RealmFileException("placeholder " + name + ": Secret key " + placeholder.secret.getName() + "/"
              + placeholder.secret.getKey() + " not found");
        }
        out.put(name, value);
      });
    }
    return out;
  }

  private String secretValue(KeycloakRealmImport cr, String reference) {
    if (!reference.contains("/")) {
      throw new RealmFileException("Secret reference " + reference + " is not name/key");
    }
    return SecretValues.lookup(client, cr.getMetadata().getNamespace()).apply(reference);
  }

  private void publishStarted(KeycloakRealmImport cr, long generation) {
    var previous = cr.getStatus();
    var next = new KeycloakRealmImportStatus();
    next.observedGeneration = generation;
    next.lastAppliedHash = previous == null ? null : previous.lastAppliedHash;
    next.lastWrites = previous == null ? null : previous.lastWrites;
    next.conditions = List.of(
        condition(previous, KeycloakRealmImportStatus.DONE, Condition.FALSE, "Syncing", null, generation),
        condition(previous, KeycloakRealmImportStatus.STARTED, Condition.TRUE, "Syncing", "applying generation " + generation, generation),
        condition(previous, KeycloakRealmImportStatus.HAS_ERRORS, Condition.FALSE, "Syncing", null, generation));
    patchStatus(cr, next);
  }

  private void publish(KeycloakRealmImport cr, long generation, boolean ok, String error, RealmSyncer.Outcome outcome) {
    var previous = cr.getStatus();
    var next = new KeycloakRealmImportStatus();
    next.observedGeneration = generation;
    if (ok && outcome != null) {
      next.lastAppliedHash = applied.get(key(cr)).hash();
    } else if (previous != null) {
      next.lastAppliedHash = previous.lastAppliedHash;
    }
    if (outcome != null) {
      next.lastWrites = outcome.total();
    } else if (previous != null) {
      next.lastWrites = previous.lastWrites;
    }
    next.conditions = List.of(
        condition(previous, KeycloakRealmImportStatus.DONE, ok ? Condition.TRUE : Condition.FALSE,
            ok ? "Synced" : "Failed", ok ? "realm applied" : null, generation),
        condition(previous, KeycloakRealmImportStatus.STARTED, Condition.FALSE, ok ? "Synced" : "Failed", null, generation),
        condition(previous, KeycloakRealmImportStatus.HAS_ERRORS, ok ? Condition.FALSE : Condition.TRUE,
            ok ? "Synced" : "Failed", GitSettings.redact(error), generation));
    patchStatus(cr, next);
  }

  /** A condition keeping its transition time when its state did not change. */
  private static Condition condition(KeycloakRealmImportStatus previous, String type, String value, String reason,
      String message, long generation) {
    var condition = new Condition(type, value, reason, message, generation);
    Condition before = previous == null ? null : previous.condition(type);
    condition.lastTransitionTime = before != null && value.equals(before.status) && before.lastTransitionTime != null
        ? before.lastTransitionTime : Instant.now().toString();
    return condition;
  }

  private void patchStatus(KeycloakRealmImport cr, KeycloakRealmImportStatus next) {
    if (next.equals(cr.getStatus())) {
      return;
    }
    var patch = new KeycloakRealmImport();
    patch.setMetadata(new ObjectMetaBuilder().withName(cr.getMetadata().getName())
        .withNamespace(cr.getMetadata().getNamespace()).build());
    patch.setStatus(next);
    try {
      client.resources(KeycloakRealmImport.class).inNamespace(cr.getMetadata().getNamespace()).resource(patch).patchStatus();
      cr.setStatus(next);
    } catch (KubernetesClientException e) {
      LOG.atWarn().addKeyValue("resource", key(cr)).log("cannot update status: {}", e.getMessage());
    }
  }

  private void retry(String key) {
    int attempt = failures.merge(key, 1, Integer::sum);
    long delay = Math.min(1000L << Math.min(attempt - 1, 16), resync.toMillis());
    enqueue(key, delay);
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
    timer.shutdownNow();
    workers.shutdownNow();
  }
}
