package io.keycloakgitops.realmsync.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.keycloakgitops.realmsync.engine.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces placeholders in the string values of a parsed realm: {@code ${env:NAME}}, {@code ${file:/path}} (a
 * mounted Secret, say; one trailing newline is dropped), {@code ${secret:name/key}} (a Kubernetes Secret, when
 * running in a cluster) and, for KeycloakRealmImport CRs, upstream's bare {@code ${NAME}} for the names the CR maps.
 * {@code $${...}} stays a literal {@code ${...}}. Bare names not mapped are left alone: Keycloak's own message keys
 * look the same ({@code ${role_default-roles}}). Resolved values are secrets: they are collected so that plans and
 * logs can redact them.
 */
public final class Placeholders {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$?\\$\\{(?:(env|file|secret):([^}]+)|([A-Za-z_][A-Za-z0-9_]*))}");
  private static final int MIN_REDACTED_LENGTH = 3;

  private final Map<String, String> env;
  private final Map<String, String> mapped;
  private final Function<String, String> secrets;
  private final Set<String> values = new HashSet<>();

  /**
   * {@code env} is the process environment (a map, for tests); {@code mapped} the CR's name-to-value placeholders;
   * {@code secrets} looks up {@code name/key} in Kubernetes (null outside a cluster).
   */
  public Placeholders(Map<String, String> env, Map<String, String> mapped, Function<String, String> secrets) {
    this.env = env;
    this.mapped = mapped == null ? Map.of() : mapped;
    this.secrets = secrets;
  }

  public static Placeholders fromEnvironment() {
    return new Placeholders(System.getenv(), Map.of(), null);
  }

  /** Resolves in place; {@code path} names the file in errors. */
  public ObjectNode resolve(ObjectNode realm, String path) {
    walk(realm, path, "");
    return realm;
  }

  /** Every value substituted so far (long enough to be worth redacting). */
  public Set<String> resolvedValues() {
    return Set.copyOf(values);
  }

  private void walk(JsonNode node, String file, String pointer) {
    if (node instanceof ObjectNode object) {
      object.properties().forEach(e -> {
        if (e.getValue().isTextual()) {
          e.setValue(TextNode.valueOf(substitute(e.getValue().textValue(), file, pointer + "/" + e.getKey())));
        } else {
          walk(e.getValue(), file, pointer + "/" + e.getKey());
        }
      });
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        if (array.get(i).isTextual()) {
          array.set(i, TextNode.valueOf(substitute(array.get(i).textValue(), file, pointer + "/" + i)));
        } else {
          walk(array.get(i), file, pointer + "/" + i);
        }
      }
    }
  }

  private String substitute(String text, String file, String pointer) {
    if (!text.contains("${")) {
      return text;
    }
    Matcher matcher = PLACEHOLDER.matcher(text);
    var out = new StringBuilder();
    while (matcher.find()) {
      String match = matcher.group();
      String replacement;
      if (match.startsWith("$$")) {
        replacement = match.substring(1);
      } else if (matcher.group(3) != null) {
        replacement = mapped.containsKey(matcher.group(3)) ? remember(mapped.get(matcher.group(3))) : match;
      } else {
        replacement = remember(lookup(matcher.group(1), matcher.group(2).trim(), file, pointer));
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  private String lookup(String scheme, String argument, String file, String pointer) {
    String where = file + " (at " + pointer + ")";
    return switch (scheme) {
      case "env" -> {
        String value = env.get(argument);
        if (value == null) {
          throw new RealmFileException(where + ": environment variable " + argument + " is not set");
        }
        yield value;
      }
      case "file" -> {
        try {
          String value = Files.readString(Path.of(argument));
          yield value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
        } catch (IOException e) {
          throw new RealmFileException(where + ": cannot read placeholder file " + argument + " ("
              + e.getClass().getSimpleName() + ")");
        }
      }
      default -> {
        if (secrets == null) {
          throw new RealmFileException(where + ": ${secret:" + argument + "} needs a Kubernetes cluster");
        }
        String value = secrets.apply(argument);
        if (value == null) {
          throw new RealmFileException(where + ": Secret key " + argument + " not found");
        }
        yield value;
      }
    };
  }

  private String remember(String value) {
    if (value.length() >= MIN_REDACTED_LENGTH) {
      values.add(value);
    }
    return value;
  }
}
