package io.keycloakgitops.realmsync.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keycloakgitops.realmsync.RealmSyncer;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.source.GitSettings;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sync state of one realm as served on {@code GET /status}: what was last attempted and last applied (a commit
 * id, or {@code generation/N} for a KeycloakRealmImport), the result, the error, the writes made and how long it
 * took. Thread-safe: written by the sync thread, read by HTTP requests.
 */
public final class RealmStatus {
  /** Synced: matches its file. Failed: last attempt failed (the last good state stays). Drifted: edits found, reported only. */
  public enum Result { Pending, Synced, Failed, Drifted }

  private final String realm;
  private final String source;
  private String file;
  private String lastAttemptedCommit;
  private String lastAppliedCommit;
  private Result result = Result.Pending;
  private String error;
  private int created;
  private int updated;
  private int deleted;
  private int bookkeeping;
  private Map<String, Integer> writesByType = Map.of();
  private long durationMs;
  private Instant lastSync;
  private Instant lastSuccess;
  private int drift;
  private int consecutiveFailures;
  private String phase;

  public RealmStatus(String realm, String source) {
    this.realm = realm;
    this.source = source;
  }

  public synchronized void attempted(String revision, String fromFile) {
    lastAttemptedCommit = revision;
    file = fromFile;
  }

  /** Where the apply in progress is, for {@code /status}: {@code users 400/1000}; cleared when it ends. */
  public synchronized void progress(String phase, int done, int total) {
    this.phase = total == 0 ? phase : phase + " " + done + "/" + total;
  }

  /** Records an apply (or a failed one) at {@code revision} of content {@code hash}. */
  public synchronized void applied(String revision, String hash, RealmSyncer.Outcome outcome) {
    phase = null;
    lastSync = Instant.now();
    durationMs = outcome.millis();
    created = outcome.created();
    updated = outcome.updated();
    deleted = outcome.deleted();
    bookkeeping = outcome.bookkeeping();
    writesByType = new TreeMap<>(outcome.writes());
    if (outcome.ok()) {
      result = Result.Synced;
      error = null;
      lastAppliedCommit = revision;
      lastSuccess = lastSync;
      consecutiveFailures = 0;
      drift = 0;
    } else {
      failed(outcome.error().getMessage());
    }
  }

  /** A new revision whose content for this realm is what was applied already. */
  public synchronized void upToDate(String revision) {
    lastAttemptedCommit = revision;
    if (result == Result.Synced) {
      lastAppliedCommit = revision;
    }
  }

  /** A failure before anything could be applied (invalid file, unreachable source or server). */
  public synchronized void failed(String message) {
    phase = null;
    lastSync = Instant.now();
    result = Result.Failed;
    error = GitSettings.redact(message);
    consecutiveFailures++;
  }

  /** A drift check that found {@code changes} pending and did not revert them. */
  public synchronized void drifted(int changes) {
    drift = changes;
    result = changes == 0 ? Result.Synced : Result.Drifted;
  }

  public synchronized Result result() {
    return result;
  }

  public synchronized int consecutiveFailures() {
    return consecutiveFailures;
  }

  public String realm() {
    return realm;
  }

  public String source() {
    return source;
  }

  public synchronized ObjectNode toJson() {
    var node = Json.object();
    node.put("realm", realm);
    node.put("source", source);
    node.put("file", file);
    node.put("lastAttemptedCommit", lastAttemptedCommit);
    node.put("lastAppliedCommit", lastAppliedCommit);
    node.put("result", result.name());
    node.put("phase", phase);
    node.put("error", error);
    var writes = node.putObject("writes");
    writes.put("created", created);
    writes.put("updated", updated);
    writes.put("deleted", deleted);
    writes.put("ownershipRecord", bookkeeping);
    var byType = writes.putObject("byType");
    writesByType.forEach(byType::put);
    node.put("durationMs", durationMs);
    node.put("lastSync", lastSync == null ? null : lastSync.toString());
    node.put("lastSuccess", lastSuccess == null ? null : lastSuccess.toString());
    node.put("driftChanges", drift);
    node.put("consecutiveFailures", consecutiveFailures);
    return node;
  }
}
