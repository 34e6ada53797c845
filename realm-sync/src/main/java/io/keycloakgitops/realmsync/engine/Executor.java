package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a plan in order. Creations that fit Keycloak's {@code partialImport} are sent as one request when there are
 * many of them; everything else is one targeted call per change. The first failure stops the run (later changes
 * depend on earlier ones); the outcome then says how far it got, and the next sync starts again from the live state.
 */
public final class Executor {
  public static final int DEFAULT_BULK_THRESHOLD = 10;
  private static final Logger LOG = LoggerFactory.getLogger(Executor.class);

  /**
   * Writes made to realm objects, by operation; {@code bookkeeping}: writes of the ownership record alone;
   * {@code writes}: all of them by {@code type/operation}. {@code failure} is null on success.
   */
  public record Outcome(int created, int updated, int deleted, int bookkeeping, Map<String, Integer> writes,
      RuntimeException failure, String failedChange) {
    public int total() {
      return created + updated + deleted;
    }

    public boolean ok() {
      return failure == null;
    }
  }

  private final ApplyContext ctx;
  private final int bulkThreshold;
  private final Progress progress;
  private final Map<String, int[]> doneOfTotal = new LinkedHashMap<>();
  private final Map<String, Integer> writes = new LinkedHashMap<>();
  private int created;
  private int updated;
  private int deleted;
  private int bookkeeping;

  private Executor(ApplyContext ctx, int bulkThreshold, Progress progress) {
    this.ctx = ctx;
    this.bulkThreshold = bulkThreshold;
    this.progress = progress;
  }

  public static Outcome run(Plan plan, ApplyContext ctx, int bulkThreshold) {
    return run(plan, ctx, bulkThreshold, Progress.NONE);
  }

  /** Runs the plan, telling {@code progress} how many changes of each type are done. */
  public static Outcome run(Plan plan, ApplyContext ctx, int bulkThreshold, Progress progress) {
    return new Executor(ctx, bulkThreshold, progress).execute(plan);
  }

  /**
   * Bulk creations are grouped by phase, one partialImport each: a single request mixing clients, groups and users
   * is much slower in Keycloak than one request per kind, and the phases keep dependencies in order.
   */
  private Outcome execute(Plan plan) {
    Map<Phase, List<Change>> bulkByPhase = new EnumMap<>(Phase.class);
    plan.changes().stream().filter(c -> c.bulk() != null)
        .forEach(c -> bulkByPhase.computeIfAbsent(c.phase(), k -> new ArrayList<>()).add(c));
    // The threshold counts objects, not changes: two top-level trees of five groups are ten groups to create.
    bulkByPhase.values().removeIf(changes -> changes.stream().mapToInt(Executor::objects).sum() < bulkThreshold);
    var bulkKeys = new java.util.HashSet<String>();
    bulkByPhase.values().forEach(changes -> changes.forEach(c -> bulkKeys.add(c.type() + "\u0000" + c.key())));
    plan.changes().stream().filter(c -> !c.followUp())
        .forEach(c -> doneOfTotal.computeIfAbsent(c.type().label(), k -> new int[2])[1]++);
    Change current = null;
    try {
      for (Change change : plan.changes()) {
        current = change;
        if (change.bulk() != null && bulkByPhase.containsKey(change.phase())) {
          List<Change> batch = bulkByPhase.remove(change.phase());
          if (batch != null) {
            int before = ctx.api().writes();
            partialImport(batch);
            count(EntityType.BULK, Operation.CREATE, ctx.api().writes() - before);
          }
          continue;
        }
        if (change.bulk() != null && bulkKeys.contains(change.type() + "\u0000" + change.key())) {
          continue;
        }
        if (change.followUp() && bulkKeys.contains(change.type() + "\u0000" + change.key())) {
          continue;
        }
        int before = ctx.api().writes();
        long start = System.nanoTime();
        try {
          change.action().run(ctx);
        } finally {
          count(change.type(), change.op(), ctx.api().writes() - before);
          LOG.trace("{} took {} ms", change.describe(), (System.nanoTime() - start) / 1_000_000);
        }
        if (!change.followUp()) {
          done(change.type(), 1);
        }
      }
      current = null;
      recordState();
      return outcome(null, null);
    } catch (RuntimeException e) {
      String what = current == null ? "recording the sync state" : current.describe();
      LOG.debug("change {} failed", what, e);
      if (current != null) {
        recordStateAfterFailure();
      }
      return outcome(e, what);
    }
  }

  /** One write of the ownership record at the end, if it changed and no realm PUT carried it already. */
  private void recordState() {
    if (!ctx.stateChanged()) {
      return;
    }
    int before = ctx.api().writes();
    try {
      ctx.putRealm(Json.object(), null);
    } finally {
      int made = ctx.api().writes() - before;
      if (made > 0) {
        bookkeeping += made;
        writes.merge(EntityType.SYNC_STATE.label() + "/" + Operation.UPDATE.label(), made, Integer::sum);
      }
    }
  }

  /** What was created before the failure must still be known as owned: best effort, the failure is what matters. */
  private void recordStateAfterFailure() {
    try {
      recordState();
    } catch (RuntimeException e) {
      LOG.debug("could not record the sync state after a failure: {}", e.getMessage());
    }
  }

  /** Sends the creations in batches sized by a {@link BatchSizer}, so that no request nears a server timeout. */
  private void partialImport(List<Change> bulk) {
    var sizer = new BatchSizer();
    for (int from = 0; from < bulk.size(); ) {
      int to = from;
      int objects = 0;
      while (to < bulk.size() && (to == from || objects + objects(bulk.get(to)) <= sizer.next())) {
        objects += objects(bulk.get(to++));
      }
      long start = System.nanoTime();
      importBatch(bulk.subList(from, to));
      var took = java.time.Duration.ofNanos(System.nanoTime() - start);
      LOG.debug("partialImport of {} objects took {} ms", objects, took.toMillis());
      sizer.measured(objects, took);
      var byType = new LinkedHashMap<EntityType, Integer>();
      bulk.subList(from, to).forEach(c -> byType.merge(c.type(), 1, Integer::sum));
      byType.forEach(this::done);
      from = to;
    }
  }

  /** Objects one bulk item creates: a top-level group brings its whole tree. */
  private static int objects(Change change) {
    return objects(change.bulk().representation());
  }

  private static int objects(JsonNode representation) {
    int n = 1;
    for (JsonNode child : representation.path("subGroups")) {
      n += objects(child);
    }
    return n;
  }

  private void done(EntityType type, int n) {
    int[] counts = doneOfTotal.get(type.label());
    counts[0] += n;
    progress.update(type.label(), counts[0], counts[1]);
  }

  private void importBatch(List<Change> bulk) {
    var body = Json.object();
    body.put("ifResourceExists", "FAIL");
    for (Change change : bulk) {
      var item = change.bulk();
      switch (item.section()) {
        case "realmRoles" -> body.with("roles").withArray("realm").add(item.representation());
        case "clientRoles" -> body.with("roles").with("client").withArray(item.clientId()).add(item.representation());
        default -> body.withArray(item.section()).add(item.representation());
      }
    }
    JsonNode result = ctx.api().postForJson("/partialImport", body);
    for (JsonNode added : result.path("results")) {
      String type = Json.text(added, "resourceType");
      String name = Json.text(added, "resourceName");
      String id = Json.text(added, "id");
      if ("CLIENT".equals(type)) {
        ctx.remember(EntityType.CLIENT, name, id);
      } else if ("USER".equals(type)) {
        ctx.remember(EntityType.USER, name, id);
      }
    }
  }

  private void count(EntityType type, Operation op, int n) {
    if (n <= 0) {
      return;
    }
    writes.merge(type.label() + "/" + op.label(), n, Integer::sum);
    switch (op) {
      case CREATE -> created += n;
      case UPDATE -> updated += n;
      case DELETE -> deleted += n;
    }
  }

  private Outcome outcome(RuntimeException failure, String failedChange) {
    return new Outcome(created, updated, deleted, bookkeeping, Map.copyOf(writes), failure, failedChange);
  }
}
