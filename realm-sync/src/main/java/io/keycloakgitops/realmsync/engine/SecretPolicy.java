package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.keycloakgitops.schemas.realm.SecretKeys;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Decides what must never be printed: fields whose names say secret, and any value that came from a placeholder
 * (those are secrets by construction, whatever the field is called). Also hashes secrets for the ownership record
 * (HMAC under the {@link OwnershipKey}) and compares them with the hashes remembered there.
 */
public final class SecretPolicy implements Compare.Secrets {
  public static final String MASK = "(sensitive)";

  private final Set<String> placeholderValues;
  private final SyncState state;
  private final OwnershipKey key;
  /** Unsalted hashes of older versions that matched during this plan, with the HMAC that replaces each. */
  private final Map<String, String> upgrades = new HashMap<>();

  public SecretPolicy(Set<String> placeholderValues, SyncState state, OwnershipKey key) {
    this.placeholderValues = Set.copyOf(placeholderValues);
    this.state = state;
    this.key = key;
  }

  /** The names the webhook also treats as secrets: {@link SecretKeys}. */
  public static boolean sensitiveName(String field) {
    return SecretKeys.isSecret(field);
  }

  @Override
  public boolean isSensitive(String field, JsonNode value) {
    return sensitiveName(field) || containsPlaceholderValue(value);
  }

  /** The remembered form of a secret value (a one-element list counts as its element). */
  @Override
  public String hash(JsonNode value) {
    JsonNode single = value.isArray() && value.size() == 1 ? value.get(0) : value;
    return key.hash(single.asText());
  }

  /**
   * Whether {@code value} is what the record remembers under {@code hashKey}. An unsalted SHA-256 written by an
   * older version still counts once; it is noted in {@link #upgrades()} so the record is rewritten with the HMAC.
   */
  @Override
  public boolean matchesStored(String hashKey, JsonNode value) {
    String stored = state.hash(hashKey);
    if (stored == null) {
      return false;
    }
    String hash = hash(value);
    if (OwnershipKey.isLegacy(stored)) {
      JsonNode single = value.isArray() && value.size() == 1 ? value.get(0) : value;
      if (stored.equals(Json.sha256(single.asText()))) {
        upgrades.put(hashKey, hash);
        return true;
      }
      return false;
    }
    return stored.equals(hash);
  }

  /** Legacy hashes that matched, each with its replacement. */
  public Map<String, String> upgrades() {
    return Map.copyOf(upgrades);
  }

  /** Whether any text inside {@code value} contains a resolved placeholder. */
  public boolean containsPlaceholderValue(JsonNode value) {
    if (value == null || placeholderValues.isEmpty()) {
      return false;
    }
    if (value.isContainerNode()) {
      for (JsonNode child : value) {
        if (containsPlaceholderValue(child)) {
          return true;
        }
      }
      return false;
    }
    String text = value.asText();
    return placeholderValues.stream().anyMatch(text::contains);
  }

  /**
   * {@code value} safe to print: below a key with a sensitive name, and wherever a resolved placeholder appears, the
   * value is replaced by {@code (sensitive)}, however deep (a newly added {@code smtpServer} map, say).
   */
  public JsonNode masked(JsonNode value) {
    if (value == null) {
      return null;
    }
    if (value.isObject()) {
      var out = Json.object();
      value.properties().forEach(e -> out.set(e.getKey(),
          sensitiveName(e.getKey()) && !e.getValue().isNull() ? Json.NODES.textNode(MASK) : masked(e.getValue())));
      return out;
    }
    if (value.isArray()) {
      var out = Json.NODES.arrayNode();
      value.forEach(item -> out.add(masked(item)));
      return out;
    }
    return containsPlaceholderValue(value) ? Json.NODES.textNode(MASK) : value;
  }

  /** {@code text} with every resolved placeholder value replaced, for log and error messages. */
  public String redact(String text) {
    String out = text;
    for (String secret : placeholderValues) {
      out = out.replace(secret, "(redacted)");
    }
    return out;
  }
}
