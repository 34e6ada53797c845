package io.keycloakgitops.realmsync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keycloakgitops.realmsync.engine.ApplyContext;
import io.keycloakgitops.realmsync.engine.BuiltIns;
import io.keycloakgitops.realmsync.engine.DeletionGuard;
import io.keycloakgitops.realmsync.engine.EntityType;
import io.keycloakgitops.realmsync.engine.Executor;
import io.keycloakgitops.realmsync.engine.Incremental;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.engine.Operation;
import io.keycloakgitops.realmsync.engine.OwnershipKey;
import io.keycloakgitops.realmsync.engine.Plan;
import io.keycloakgitops.realmsync.engine.Planner;
import io.keycloakgitops.realmsync.engine.Progress;
import io.keycloakgitops.realmsync.engine.PrunePolicy;
import io.keycloakgitops.realmsync.engine.RealmApi;
import io.keycloakgitops.realmsync.engine.RealmModel;
import io.keycloakgitops.realmsync.engine.SecretPolicy;
import io.keycloakgitops.realmsync.engine.SyncState;
import io.keycloakgitops.realmsync.keycloak.KeycloakAdmin;
import io.keycloakgitops.realmsync.keycloak.LiveReader;
import io.keycloakgitops.realmsync.keycloak.ReadSpec;
import io.keycloakgitops.realmsync.source.DesiredRealm;
import io.keycloakgitops.realmsync.source.Fragments;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Makes one Keycloak server match realm files, one realm at a time: read the live realm (only what the file
 * declares), plan, execute. After creating a realm in one request it plans once more, so that whatever the import
 * cannot express (flow overrides by alias) converges in the same run.
 */
public final class RealmSyncer {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RealmSyncer.class);
  /** The phase before any write: reading the live realm and planning. */
  public static final String READING = "reading live realm";
  /**
   * {@code source} identifies where the files come from ({@link io.keycloakgitops.realmsync.source.SourceIds}),
   * recorded with every object and realm it writes: a source prunes only its own; null until the source is known
   * ({@link #withDefaultSource}). {@code bulkThreshold} is the number of new objects from which creation goes
   * through partialImport; {@code deletions} stops syncs that would delete too much; {@code ownershipKey} hashes the
   * masked secrets remembered in the ownership record.
   */
  public record Options(PrunePolicy prune, int bulkThreshold, String source, DeletionGuard deletions,
      OwnershipKey ownershipKey) {
    public Options {
      source = source == null || source.isBlank() ? null : source;
    }

    /** With the default deletion guard and a key that lives as long as the process. */
    public Options(PrunePolicy prune, int bulkThreshold, String source) {
      this(prune, bulkThreshold, source, DeletionGuard.DEFAULT, OwnershipKey.processLocal());
    }

    public static Options defaults() {
      return new Options(PrunePolicy.defaults(), Executor.DEFAULT_BULK_THRESHOLD, null);
    }

    /** These options with {@code id} as the source, unless one was given explicitly ({@code --source-id}). */
    public Options withDefaultSource(String id) {
      return source != null ? this : withSource(id);
    }

    public Options withSource(String id) {
      return new Options(prune, bulkThreshold, id, deletions, ownershipKey);
    }

    public Options withOwnershipKey(OwnershipKey key) {
      return new Options(prune, bulkThreshold, source, deletions, key);
    }
  }

  /** The plan as computed against the live state, with the live read it came from. */
  public record Planned(DesiredRealm desired, Plan plan, RealmModel live, ObjectNode liveRep, SyncState persisted,
      SyncState target, SecretPolicy secrets) {}

  /**
   * What one apply did: the first plan; the writes made to realm objects (all passes) by operation;
   * {@code bookkeeping}, the writes of the ownership record alone (at most one per pass, none when a realm PUT
   * carried it); every write by {@code type/operation}; duration; and the error if it failed.
   */
  public record Outcome(String realm, Plan plan, int created, int updated, int deleted, int bookkeeping,
      Map<String, Integer> writes, long millis, RuntimeException error) {
    public boolean ok() {
      return error == null;
    }

    public int total() {
      return created + updated + deleted;
    }

    /** The line {@code apply} ends with. */
    public String summary() {
      String counts = created + " created, " + updated + " updated, " + deleted + " deleted in " + millis + " ms";
      return "realm " + realm + ": " + (ok() ? counts : "FAILED after " + counts + ": " + error.getMessage());
    }
  }

  /**
   * Whether this syncer may write a realm whose ownership record names {@code recordedOwner} (null: nobody), when
   * that is not its own source. Returns to go ahead — the realm is then claimed, taken over from a recorded owner
   * that is gone — or throws {@link ClaimRefused}, before anything is written.
   */
  @FunctionalInterface
  public interface Claim {
    void check(String recordedOwner);
  }

  /** Another source owns the realm; the message names it. */
  public static final class ClaimRefused extends RuntimeException {
    public ClaimRefused(String message) {
      super(message);
    }
  }

  private final KeycloakAdmin admin;
  private final Options options;
  private final Claim claim;

  /** A trusted source (Git, a folder): it writes any realm, and claims only those nobody owns. */
  public RealmSyncer(KeycloakAdmin admin, Options options) {
    this(admin, options, null);
  }

  public RealmSyncer(KeycloakAdmin admin, Options options, Claim claim) {
    if (options.source() == null) {
      throw new IllegalArgumentException("no source id: every source records its own");
    }
    this.admin = admin;
    this.options = options;
    this.claim = claim;
  }

  public KeycloakAdmin admin() {
    return admin;
  }

  public Options options() {
    return options;
  }

  /** Reads the live realm and plans, without writing. */
  public Planned plan(DesiredRealm desired) {
    return plan(desired, desired.model(), null);
  }

  /**
   * Plans only what changed since {@code previous} (which was applied successfully): the live read and the compare
   * are limited to objects whose declaration changed. Drift elsewhere is left to the periodic full compare.
   */
  public Planned planIncremental(DesiredRealm desired, DesiredRealm previous) {
    var delta = Incremental.between(previous.model(), desired.model());
    // A fragment added, removed or failed changes what is owned where: compare in full.
    if (delta.needsFullCompare() || !desired.provenance().fragments().keySet().equals(previous.provenance().fragments().keySet())
        || !desired.provenance().failed().equals(previous.provenance().failed())) {
      return plan(desired);
    }
    return plan(desired, Incremental.restrict(desired.model(), delta), delta);
  }

  private Planned plan(DesiredRealm desired, RealmModel model, Incremental.Delta delta) {
    RealmApi api = admin.realm(desired.name());
    long start = System.nanoTime();
    long readsBefore = admin.counter().reads();
    ObjectNode liveRep = LiveReader.read(api, admin.readers(), ReadSpec.forFile(model));
    LOG.debug("read realm {} in {} ms ({} requests)", desired.name(), millis(start), admin.counter().reads() - readsBefore);
    SyncState persisted = liveRep == null ? SyncState.empty() : SyncState.fromRealmAttributes(liveRep.get("attributes"));
    if (delta == null) {
      // A fragment that is gone takes its objects with it, even of collections no file declares any more.
      ObjectNode widened = desired.representation().deepCopy();
      if (Fragments.declareRemoved(widened, persisted.fragments(options.source()), desired.provenance())) {
        desired = new DesiredRealm(desired.name(), desired.path(), widened, desired.secretValues(), desired.hash(),
            desired.provenance(), desired.storedForms());
        model = desired.model();
        liveRep = LiveReader.read(api, admin.readers(), ReadSpec.forFile(model));
        persisted = liveRep == null ? SyncState.empty() : SyncState.fromRealmAttributes(liveRep.get("attributes"));
      }
    }
    RealmModel live = liveRep == null ? null : RealmModel.of(liveRep);
    if (live != null && delta != null) {
      live = Incremental.restrictLive(live, delta);
    }
    SyncState base = persisted;
    String owner = persisted.realmOwner();
    if (claim != null && !options.source().equals(owner)) {
      claim.check(owner);
      if (owner != null) {
        base = persisted.copy();
        base.releaseRealm();
      }
    }
    var secrets = new SecretPolicy(desired.secretValues(), persisted, options.ownershipKey());
    var result = Planner.plan(new Planner.Input(desired.representation(), model, live, base, options.prune(),
        secrets, options.source()));
    SyncState target = result.target();
    secrets.upgrades().forEach(target::rememberHash);
    if (delta == null) {
      // A full compare met every remembered secret still declared: older unsalted hashes left are of nothing.
      target.forgetLegacyHashes();
    }
    Plan plan = ProtectedPrincipals.keep(withWarnings(result.plan(), desired.storedForms()), target, options.source(),
        admin.target(), api);
    plan = keepFailedFragments(plan, persisted, target, desired.provenance());
    Optional<String> stop = options.deletions().stop(plan);
    if (stop.isPresent()) {
      var warnings = new ArrayList<>(plan.warnings());
      warnings.add("apply would stop: " + plan.count(Operation.DELETE)
          + " deletions exceed --max-deletions " + options.deletions().maxDeletions() + " (--allow-deletions lets them through)");
      plan = new Plan(plan.realm(), plan.realmExists(), plan.changes(), warnings);
    }
    return new Planned(desired, plan, live, liveRep, persisted, target, secrets);
  }

  private static Plan withWarnings(Plan plan, List<String> more) {
    if (more.isEmpty()) {
      return plan;
    }
    var warnings = new ArrayList<>(more);
    warnings.addAll(plan.warnings());
    return new Plan(plan.realm(), plan.realmExists(), plan.changes(), warnings);
  }

  /**
   * What a present but failed fragment declared when last applied is never deleted because of its failure: such
   * deletions leave the plan (with a warning) and the objects stay owned. The record of fragments is renewed: the
   * merged ones with what they declare now, the failed ones as they were; removed fragments leave it.
   */
  private Plan keepFailedFragments(Plan plan, SyncState persisted, SyncState target, Fragments.Provenance files) {
    var recorded = persisted.fragments(options.source());
    var record = new java.util.TreeMap<String, Map<String, Set<String>>>(files.fragments());
    var kept = new HashMap<String, Set<String>>();
    for (String path : files.failed()) {
      var declared = recorded.get(path);
      if (declared != null) {
        record.put(path, declared);
        declared.forEach((type, keys) -> kept.computeIfAbsent(type, k -> new java.util.HashSet<>()).addAll(keys));
      }
    }
    target.setFragments(options.source(), record);
    if (kept.isEmpty()) {
      return plan;
    }
    var changes = new ArrayList<io.keycloakgitops.realmsync.engine.Change>();
    var warnings = new ArrayList<>(plan.warnings());
    for (var change : plan.changes()) {
      if (change.op() == io.keycloakgitops.realmsync.engine.Operation.DELETE
          && kept.getOrDefault(change.type().label(), Set.of()).contains(change.key())) {
        warnings.add(change.type().label() + " \"" + change.key() + "\" is kept: the fragment that declares it failed");
      } else {
        changes.add(change);
      }
    }
    return new Plan(plan.realm(), plan.realmExists(), changes, warnings);
  }

  /** Reads, plans and writes; never throws for Keycloak or plan problems, the outcome carries them. */
  public Outcome apply(DesiredRealm desired) {
    return apply(desired, Progress.NONE);
  }

  /** As {@link #apply(DesiredRealm)}, telling {@code progress} the phase: reading, then each type written. */
  public Outcome apply(DesiredRealm desired, Progress progress) {
    return run(desired, () -> plan(desired), progress);
  }

  public Outcome applyIncremental(DesiredRealm desired, DesiredRealm previous) {
    return applyIncremental(desired, previous, Progress.NONE);
  }

  public Outcome applyIncremental(DesiredRealm desired, DesiredRealm previous, Progress progress) {
    return run(desired, () -> planIncremental(desired, previous), progress);
  }

  private Outcome run(DesiredRealm desired, java.util.function.Supplier<Planned> planner, Progress progress) {
    long start = System.nanoTime();
    progress.update(READING, 0, 0);
    int[] counts = new int[4];
    Map<String, Integer> writes = new HashMap<>();
    Plan first = null;
    try {
      Planned planned = planner.get();
      first = planned.plan();
      Optional<String> stop = options.deletions().stop(planned.plan());
      if (stop.isPresent()) {
        throw new DeletionsStopped(stop.get());
      }
      var outcome = execute(planned, progress);
      add(counts, writes, outcome);
      if (outcome.ok() && !planned.plan().realmExists()) {
        progress.update(READING, 0, 0);
        Planned again = plan(desired);
        outcome = execute(again, progress);
        add(counts, writes, outcome);
      }
      RuntimeException error = outcome.ok() ? null : describe(outcome, planned.secrets());
      if (error == null && !desired.provenance().errors().isEmpty()) {
        error = new SyncException("applied without failed fragments: " + String.join("; ",
            desired.provenance().errors().stream().map(Fragments.Failure::message).toList()), null);
      }
      return new Outcome(desired.name(), first, counts[0], counts[1], counts[2], counts[3], writes, millis(start), error);
    } catch (RuntimeException e) {
      var secrets = new SecretPolicy(desired.secretValues(), SyncState.empty(), options.ownershipKey());
      return new Outcome(desired.name(), first, counts[0], counts[1], counts[2], counts[3], writes, millis(start),
          new SyncException(secrets.redact(String.valueOf(e.getMessage())), e));
    }
  }

  private Executor.Outcome execute(Planned planned, Progress progress) {
    if (planned.plan().changes().isEmpty() && planned.target().equals(planned.persisted())) {
      return new Executor.Outcome(0, 0, 0, 0, Map.of(), null, null);
    }
    RealmApi api = admin.realm(planned.desired().name());
    JsonNode attributes = planned.liveRep() == null ? null : planned.liveRep().get("attributes");
    var ctx = new ApplyContext(api, planned.persisted(), planned.target().copy(), attributes).seed(planned.live());
    long start = System.nanoTime();
    var outcome = Executor.run(planned.plan(), ctx, options.bulkThreshold(), progress);
    LOG.debug("executed {} changes on realm {} in {} ms: {}", planned.plan().changes().size(), api.realm(),
        millis(start), outcome.writes());
    return outcome;
  }

  private static SyncException describe(Executor.Outcome outcome, SecretPolicy secrets) {
    return new SyncException(secrets.redact(outcome.failedChange() + ": " + outcome.failure().getMessage()),
        outcome.failure());
  }

  private static void add(int[] counts, Map<String, Integer> writes, Executor.Outcome outcome) {
    counts[0] += outcome.created();
    counts[1] += outcome.updated();
    counts[2] += outcome.deleted();
    counts[3] += outcome.bookkeeping();
    outcome.writes().forEach((k, v) -> writes.merge(k, v, Integer::sum));
  }

  /**
   * Deletes realms realm-sync created from this same source whose files are gone — only when the prune policy for
   * realms is {@code full} (it is {@code no-delete} unless configured), and never the master realm.
   */
  public List<String> pruneRealms(Set<String> declared) {
    var deleted = new ArrayList<String>();
    if (!options.prune().deletes(EntityType.REALM)) {
      return deleted;
    }
    for (JsonNode realm : admin.realms()) {
      String name = Json.text(realm, "realm");
      SyncState state = SyncState.fromRealmAttributes(realm.get("attributes"));
      if (!declared.contains(name) && state.realmCreated() && options.source().equals(state.realmOwner())
          && !BuiltIns.isBuiltIn(name, EntityType.REALM, name, realm)) {
        admin.realm(name).deleteRealm();
        deleted.add(name);
      }
    }
    return deleted;
  }

  private static long millis(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** The deletion guard stopped a realm: nothing was written. */
  public static final class DeletionsStopped extends RuntimeException {
    public DeletionsStopped(String message) {
      super(message);
    }
  }

  /** A sync failure whose message is safe to show (secrets redacted). */
  public static final class SyncException extends RuntimeException {
    public SyncException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
