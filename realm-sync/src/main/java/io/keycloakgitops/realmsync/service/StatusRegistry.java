package io.keycloakgitops.realmsync.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.source.GitSettings;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** Every realm's status plus the state of each source (last fetched revision, fetch error). */
public final class StatusRegistry {
  private final Map<String, RealmStatus> realms = new ConcurrentSkipListMap<>();
  private final Map<String, ObjectNode> sources = new ConcurrentHashMap<>();

  /** The status of {@code key} ({@code <realm>} for Git, {@code <namespace>/<name>} for a CR), created on first use. */
  public RealmStatus realm(String key, String realm, String source) {
    return realms.computeIfAbsent(key, k -> new RealmStatus(realm, source));
  }

  public void remove(String key) {
    realms.remove(key);
  }

  public Map<String, RealmStatus> realms() {
    return Map.copyOf(realms);
  }

  public void sourceFetched(String source, String description, String revision) {
    var node = Json.object();
    node.put("source", GitSettings.redact(description));
    node.put("revision", revision);
    node.put("lastFetch", Instant.now().toString());
    node.putNull("error");
    sources.put(source, node);
  }

  public void sourceFailed(String source, String description, String error) {
    var node = sources.computeIfAbsent(source, k -> Json.object().put("source", GitSettings.redact(description)));
    node.put("error", GitSettings.redact(error));
    node.put("lastFailure", Instant.now().toString());
  }

  public ObjectNode toJson() {
    var root = Json.object();
    var sourceNode = root.putObject("sources");
    sources.forEach((name, node) -> sourceNode.set(name, node.deepCopy()));
    var realmNode = root.putObject("realms");
    realms.forEach((key, status) -> realmNode.set(key, status.toJson()));
    return root;
  }
}
