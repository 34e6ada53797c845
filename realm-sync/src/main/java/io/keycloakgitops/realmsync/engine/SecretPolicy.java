package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.keycloakgitops.schemas.realm.SecretKeys;
import java.util.Set;

/**
 * Decides what must never be printed: fields whose names say secret, and any value that came from a placeholder
 * (those are secrets by construction, whatever the field is called). Also serves the remembered secret hashes.
 */
public final class SecretPolicy implements Compare.Secrets {
  private final Set<String> placeholderValues;
  private final SyncState state;

  public SecretPolicy(Set<String> placeholderValues, SyncState state) {
    this.placeholderValues = Set.copyOf(placeholderValues);
    this.state = state;
  }

  /** The names the webhook also treats as secrets: {@link SecretKeys}. */
  public static boolean sensitiveName(String field) {
    return SecretKeys.isSecret(field);
  }

  @Override
  public boolean isSensitive(String field, JsonNode value) {
    return sensitiveName(field) || containsPlaceholderValue(value);
  }

  @Override
  public String storedHash(String key) {
    return state.hash(key);
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

  /** {@code text} with every resolved placeholder value replaced, for log and error messages. */
  public String redact(String text) {
    String out = text;
    for (String secret : placeholderValues) {
      out = out.replace(secret, "(redacted)");
    }
    return out;
  }
}
