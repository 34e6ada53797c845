package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * What realm-sync remembers inside the realm itself (one realm attribute, so it travels with the realm and works
 * for the CLI and the service alike): which objects it owns — only those are ever pruned — and the hashes of
 * secrets Keycloak masks. Large records are gzip+base64 encoded.
 */
public final class SyncState {
  public static final String ATTRIBUTE = "keycloak-gitops.sync-state";
  private static final String GZIP_PREFIX = "gz:";
  private static final int GZIP_ABOVE = 2048;

  private final Map<String, Set<String>> owned = new TreeMap<>();
  private final Map<String, String> hashes = new TreeMap<>();
  private boolean realmCreated;
  private String source;

  public static SyncState empty() {
    return new SyncState();
  }

  /** Reads the record from the realm's attributes; a missing or unreadable record is an empty one. */
  public static SyncState fromRealmAttributes(JsonNode attributes) {
    String value = Json.text(attributes, ATTRIBUTE);
    var state = new SyncState();
    if (value == null || value.isBlank()) {
      return state;
    }
    JsonNode node = Json.read(value.startsWith(GZIP_PREFIX) ? gunzip(value.substring(GZIP_PREFIX.length())) : value);
    state.realmCreated = node.path("realmCreated").asBoolean(false);
    state.source = Json.text(node, "source");
    node.path("owned").properties().forEach(e -> state.owned.put(e.getKey(), new TreeSet<>(Json.strings(e.getValue()))));
    node.path("hashes").properties().forEach(e -> state.hashes.put(e.getKey(), e.getValue().asText()));
    return state;
  }

  public SyncState copy() {
    var copy = new SyncState();
    owned.forEach((type, keys) -> copy.owned.put(type, new TreeSet<>(keys)));
    copy.hashes.putAll(hashes);
    copy.realmCreated = realmCreated;
    copy.source = source;
    return copy;
  }

  public boolean owns(EntityType type, String key) {
    return owned.getOrDefault(type.label(), Set.of()).contains(key);
  }

  public Set<String> owned(EntityType type) {
    return owned.getOrDefault(type.label(), Set.of());
  }

  public void own(EntityType type, Collection<String> keys) {
    if (!keys.isEmpty()) {
      owned.computeIfAbsent(type.label(), k -> new TreeSet<>()).addAll(keys);
    }
  }

  public void disown(EntityType type, String key) {
    Set<String> keys = owned.get(type.label());
    if (keys != null && keys.remove(key) && keys.isEmpty()) {
      owned.remove(type.label());
    }
  }

  public String hash(String key) {
    return hashes.get(key);
  }

  public void rememberHash(String key, String hash) {
    hashes.put(key, hash);
  }

  /** Drops the unsalted hashes older versions wrote (see {@link OwnershipKey#isLegacy}). */
  public void forgetLegacyHashes() {
    hashes.values().removeIf(OwnershipKey::isLegacy);
  }

  public void forgetHashes(String prefix) {
    hashes.keySet().removeIf(k -> k.startsWith(prefix));
  }

  public boolean realmCreated() {
    return realmCreated;
  }

  /** Records that realm-sync created the realm, from {@code source} (only that source may delete it again). */
  public void markRealmCreated(String fromSource) {
    realmCreated = true;
    source = fromSource;
  }

  public String source() {
    return source;
  }

  public String encode() {
    ObjectNode node = Json.object();
    node.put("v", 1);
    if (realmCreated) {
      node.put("realmCreated", true);
      node.put("source", source);
    }
    var ownedNode = node.putObject("owned");
    owned.forEach((type, keys) -> {
      if (!keys.isEmpty()) {
        ownedNode.set(type, Json.array(keys));
      }
    });
    var hashNode = node.putObject("hashes");
    hashes.forEach(hashNode::put);
    String json = Json.write(node);
    return json.length() > GZIP_ABOVE ? GZIP_PREFIX + gzip(json) : json;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SyncState s && owned.equals(s.owned) && hashes.equals(s.hashes) && realmCreated == s.realmCreated
        && java.util.Objects.equals(source, s.source);
  }

  @Override
  public int hashCode() {
    return owned.hashCode() * 31 + hashes.hashCode();
  }

  private static String gzip(String text) {
    var bytes = new ByteArrayOutputStream();
    try (var out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  private static String gunzip(String base64) {
    try (var in = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(base64)))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
