package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides what must never be printed: fields whose names say secret, and any value that came from a placeholder
 * (those are secrets by construction, whatever the field is called). Also serves the remembered secret hashes.
 */
public final class SecretPolicy implements Compare.Secrets {
  /** Names that end like a secret: clientSecret, bindCredential, smtp password, privateKey (not passwordPolicy). */
  private static final Pattern SENSITIVE_NAME = Pattern.compile(
      "(?i).*(secret|password|credential|credentials|private.?key|passphrase|keystorepass|truststorepass)$");

  private final Set<String> placeholderValues;
  private final SyncState state;

  public SecretPolicy(Set<String> placeholderValues, SyncState state) {
    this.placeholderValues = Set.copyOf(placeholderValues);
    this.state = state;
  }

  public static boolean sensitiveName(String field) {
    return field != null && SENSITIVE_NAME.matcher(field).matches();
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
