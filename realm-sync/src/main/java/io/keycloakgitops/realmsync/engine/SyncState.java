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
 * for the CLI and the service alike): which objects each source owns — a source prunes only its own, and only
 * what no other source also declares — which source owns the realm itself (the one that created or first claimed
 * it), and the hashes of secrets Keycloak masks. Large records are gzip+base64 encoded.
 *
 * <p>Records written before sources had their own ids (version 1, one shared id) are read as owned by
 * {@link #LEGACY}: such an object is adopted by the first source that declares it and is never pruned by a
 * source that does not; a realm owned by a legacy id is claimed by the first source that syncs it.
 */
public final class SyncState {
  public static final String ATTRIBUTE = "keycloak-gitops.sync-state";
  /** The owner of objects recorded by a version-1 record. */
  public static final String LEGACY = "legacy";
  private static final int VERSION = 2;
  private static final String GZIP_PREFIX = "gz:";
  private static final int GZIP_ABOVE = 2048;

  /** source id → entity type label → keys. */
  private final Map<String, Map<String, Set<String>>> owners = new TreeMap<>();
  private final Map<String, String> hashes = new TreeMap<>();
  /** source id → fragment path → entity type label → keys: what each fragment declared when last applied. */
  private final Map<String, Map<String, Map<String, Set<String>>>> fragments = new TreeMap<>();
  private boolean realmCreated;
  private String source;
  private boolean legacyOwner;

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
    if (node.path("v").asInt(1) < VERSION) {
      state.legacyOwner = state.source != null;
      node.path("owned").properties().forEach(e -> state.keys(LEGACY, e.getKey()).addAll(Json.strings(e.getValue())));
    } else {
      node.path("owners").properties().forEach(bySource -> bySource.getValue().properties()
          .forEach(e -> state.keys(bySource.getKey(), e.getKey()).addAll(Json.strings(e.getValue()))));
    }
    state.prune();
    node.path("fragments").properties().forEach(bySource -> bySource.getValue().properties()
        .forEach(byPath -> byPath.getValue().properties().forEach(e -> state.fragments
            .computeIfAbsent(bySource.getKey(), k -> new TreeMap<>()).computeIfAbsent(byPath.getKey(), k -> new TreeMap<>())
            .put(e.getKey(), new TreeSet<>(Json.strings(e.getValue()))))));
    node.path("hashes").properties().forEach(e -> state.hashes.put(e.getKey(), e.getValue().asText()));
    return state;
  }

  public SyncState copy() {
    var copy = new SyncState();
    owners.forEach((src, byType) -> byType.forEach((type, keys) -> copy.keys(src, type).addAll(keys)));
    copy.hashes.putAll(hashes);
    fragments.forEach((src, byPath) -> copy.setFragments(src, byPath));
    copy.realmCreated = realmCreated;
    copy.source = source;
    copy.legacyOwner = legacyOwner;
    return copy;
  }

  private Set<String> keys(String owner, String type) {
    return owners.computeIfAbsent(owner, k -> new TreeMap<>()).computeIfAbsent(type, k -> new TreeSet<>());
  }

  private void prune() {
    owners.values().forEach(byType -> byType.values().removeIf(Set::isEmpty));
    owners.values().removeIf(Map::isEmpty);
  }

  /** Whether {@code owner} owns the object. */
  public boolean owns(String owner, EntityType type, String key) {
    return owners.getOrDefault(owner, Map.of()).getOrDefault(type.label(), Set.of()).contains(key);
  }

  /** Whether a source other than {@code owner} (a legacy record included) owns the object too. */
  public boolean ownedByAnother(String owner, EntityType type, String key) {
    return owners.entrySet().stream().anyMatch(e -> !e.getKey().equals(owner)
        && e.getValue().getOrDefault(type.label(), Set.of()).contains(key));
  }

  /** {@code owner} owns these objects; a legacy claim on them passes to it (adoption). */
  public void own(String owner, EntityType type, Collection<String> keys) {
    if (!keys.isEmpty()) {
      keys(owner, type.label()).addAll(keys);
      if (!owner.equals(LEGACY) && owners.containsKey(LEGACY)) {
        owners.get(LEGACY).getOrDefault(type.label(), new TreeSet<>()).removeAll(keys);
      }
      prune();
    }
  }

  /** {@code owner} no longer owns the object. */
  public void disown(String owner, EntityType type, String key) {
    Map<String, Set<String>> byType = owners.get(owner);
    if (byType != null && byType.getOrDefault(type.label(), new TreeSet<>()).remove(key)) {
      prune();
    }
  }

  /** The object is gone: nobody owns it any more. */
  public void forget(EntityType type, String key) {
    owners.values().forEach(byType -> byType.getOrDefault(type.label(), new TreeSet<>()).remove(key));
    prune();
  }

  /** What each fragment of {@code owner} declared when last applied, by path, then type label. */
  public Map<String, Map<String, Set<String>>> fragments(String owner) {
    return fragments.getOrDefault(owner, Map.of());
  }

  /** Replaces {@code owner}'s fragment record. */
  public void setFragments(String owner, Map<String, Map<String, Set<String>>> byPath) {
    var copy = new TreeMap<String, Map<String, Set<String>>>();
    byPath.forEach((path, byType) -> {
      var types = new TreeMap<String, Set<String>>();
      byType.forEach((type, keys) -> {
        if (!keys.isEmpty()) {
          types.put(type, new TreeSet<>(keys));
        }
      });
      copy.put(path, types);
    });
    if (copy.isEmpty()) {
      fragments.remove(owner);
    } else {
      fragments.put(owner, copy);
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
    legacyOwner = false;
  }

  /** The source that owns the realm (created or first claimed it); null when none does or the record is legacy. */
  public String realmOwner() {
    return legacyOwner ? null : source;
  }

  /** {@code claimant} owns the realm unless another source already does. */
  public void claimRealm(String claimant) {
    if (realmOwner() == null) {
      source = claimant;
      legacyOwner = false;
    }
  }

  /** Forgets the realm's owner (its CR is gone), so that the next claimant takes it over. */
  public void releaseRealm() {
    source = null;
    legacyOwner = false;
  }

  /** The id recorded with the realm (its owner, or the shared id of a legacy record). */
  public String source() {
    return source;
  }

  public String encode() {
    ObjectNode node = Json.object();
    node.put("v", VERSION);
    if (realmCreated) {
      node.put("realmCreated", true);
    }
    if (source != null) {
      node.put("source", source);
    }
    var ownersNode = node.putObject("owners");
    owners.forEach((owner, byType) -> {
      var typeNode = ownersNode.putObject(owner);
      byType.forEach((type, keys) -> typeNode.set(type, Json.array(keys)));
    });
    if (!fragments.isEmpty()) {
      var fragmentNode = node.putObject("fragments");
      fragments.forEach((owner, byPath) -> {
        var pathNode = fragmentNode.putObject(owner);
        byPath.forEach((path, byType) -> {
          var typeNode = pathNode.putObject(path);
          byType.forEach((type, keys) -> typeNode.set(type, Json.array(keys)));
        });
      });
    }
    var hashNode = node.putObject("hashes");
    hashes.forEach(hashNode::put);
    String json = Json.write(node);
    return json.length() > GZIP_ABOVE ? GZIP_PREFIX + gzip(json) : json;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SyncState s && owners.equals(s.owners) && hashes.equals(s.hashes) && fragments.equals(s.fragments)
        && realmCreated == s.realmCreated && java.util.Objects.equals(source, s.source) && legacyOwner == s.legacyOwner;
  }

  @Override
  public int hashCode() {
    return owners.hashCode() * 31 + hashes.hashCode();
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
