package io.keycloakgitops.realmsync.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.keycloakgitops.realmsync.k8s.SecretValues;
import io.keycloakgitops.schemas.authority.PlaceholderScan;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces placeholders in the string values of a parsed realm: {@code ${env:NAME}}, {@code ${file:PATH}},
 * {@code ${secret:name/key}} and, for KeycloakRealmImport CRs, upstream's bare {@code ${NAME}} for the names the CR
 * maps. {@code $${...}} stays a literal {@code ${...}}. Bare names not mapped are left alone: Keycloak's own message
 * keys look the same ({@code ${role_default-roles}}). Resolved values are secrets: they are collected so that plans
 * and logs can redact them.
 *
 * <p>What a placeholder may read depends on who wrote the realm, and is fixed by the factory: {@link GitPolicy} for
 * Git/folder files (environment variables with a prefix, files inside one folder, labelled Secrets of realm-sync's
 * namespace) and {@link #forCr} for KeycloakRealmImport CRs (the CR's mapped names and labelled Secrets of its own
 * namespace; no environment, no files). Anything else fails the realm with an error naming the field.
 */
public final class Placeholders {
  /** Largest file a {@code ${file:}} placeholder reads: a credential, not a document. */
  public static final int MAX_FILE_BYTES = 64 * 1024;
  public static final String DEFAULT_ENV_PREFIX = "REALM_";

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$?\\$\\{(?:(env|file|secret):([^}]+)|([A-Za-z_][A-Za-z0-9_]*))}");
  private static final int MIN_REDACTED_LENGTH = 3;

  /**
   * What Git (and folder) files may read, built once from the configuration. {@code env} is the process environment
   * (a map, for tests); only names starting with {@code envPrefix} are readable. {@code fileDir} is the one folder
   * {@code ${file:}} may read below (null: refused). {@code secrets} finds a Secret of {@code namespace} by name
   * (null outside a cluster); only Secrets labelled {@link PlaceholderScan#PLACEHOLDER_SOURCE_LABEL} are read.
   */
  public record GitPolicy(Map<String, String> env, String envPrefix, Path fileDir, String namespace,
      Function<String, Secret> secrets) {
    public GitPolicy {
      env = env == null ? Map.of() : Map.copyOf(env);
      envPrefix = envPrefix == null ? DEFAULT_ENV_PREFIX : envPrefix;
    }

    /** The defaults: {@code REALM_} variables of this process, no files, no Secrets. */
    public static GitPolicy defaults() {
      return new GitPolicy(System.getenv(), DEFAULT_ENV_PREFIX, null, null, null);
    }

    /** A fresh resolver (one per realm: it collects the values it substitutes). */
    public Placeholders create() {
      return new Placeholders(this, null, Map.of(), secrets);
    }
  }

  private final GitPolicy git;
  /** The CR's namespace in CR mode, null in Git mode. */
  private final String crNamespace;
  private final Function<String, Secret> secrets;
  private final Map<String, String> mapped;
  private final Set<String> values = new HashSet<>();

  private Placeholders(GitPolicy git, String crNamespace, Map<String, String> mapped, Function<String, Secret> secrets) {
    this.git = git;
    this.crNamespace = crNamespace;
    this.secrets = secrets;
    this.mapped = mapped == null ? Map.of() : Map.copyOf(mapped);
  }

  /**
   * For a KeycloakRealmImport CR of {@code namespace}: {@code mapped} holds its {@code spec.placeholders} (name to
   * value, already read from the Secrets they name), {@code secretByName} finds a Secret of that same namespace by
   * name (null when missing). {@code ${file:}} and {@code ${env:}} are refused.
   */
  public static Placeholders forCr(String namespace, Map<String, String> mapped, Function<String, Secret> secretByName) {
    return new Placeholders(null, namespace, mapped, secretByName);
  }

  /** Resolves in place; {@code path} names the file (or CR) in errors. */
  public ObjectNode resolve(ObjectNode realm, String path) {
    if (git == null) {
      List<PlaceholderScan.Finding> refused = PlaceholderScan.forbiddenInCr(realm, "spec.realm");
      if (!refused.isEmpty()) {
        var message = new StringBuilder(path).append(": ");
        refused.forEach(f -> message.append(message.length() > path.length() + 2 ? "; " : "").append(f.field())
            .append(": ").append(f.message()));
        throw new RealmFileException(message.toString());
      }
    }
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
        replacement = remember(lookup(matcher.group(1), matcher.group(2).trim(), file + " (at " + pointer + ")"));
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  private String lookup(String scheme, String argument, String where) {
    return switch (scheme) {
      case "env" -> env(argument, where);
      case "file" -> file(argument, where);
      default -> secret(argument, where);
    };
  }

  private String env(String name, String where) {
    if (git == null) {
      throw new RealmFileException(where + ": ${env:} placeholders are refused in KeycloakRealmImport CRs");
    }
    if (!name.startsWith(git.envPrefix())) {
      throw new RealmFileException(where + ": ${env:" + name + "} is refused: only variables starting with "
          + git.envPrefix() + " may be read (--placeholder-env-prefix)");
    }
    String value = git.env().get(name);
    if (value == null) {
      throw new RealmFileException(where + ": environment variable " + name + " is not set");
    }
    return value;
  }

  /**
   * A regular file inside the placeholder folder, both sides resolved to real paths (so neither {@code ..} nor a
   * symlink leads out), of at most {@link #MAX_FILE_BYTES}: never more than that is read, whatever the file claims.
   */
  private String file(String argument, String where) {
    if (git == null) {
      throw new RealmFileException(where + ": ${file:} placeholders are refused in KeycloakRealmImport CRs");
    }
    if (git.fileDir() == null) {
      throw new RealmFileException(where + ": ${file:" + argument + "} is refused: no placeholder folder is "
          + "configured (--placeholder-dir)");
    }
    // First by name, so that nothing outside the folder is even looked at; then by real path, for symlinks.
    Path configured = git.fileDir().toAbsolutePath().normalize();
    if (!inside(configured.resolve(argument).normalize(), configured)) {
      throw outside(argument, where);
    }
    Path real;
    Path dir;
    try {
      dir = git.fileDir().toRealPath();
      real = dir.resolve(argument).toRealPath();
    } catch (IOException e) {
      throw new RealmFileException(where + ": cannot read placeholder file " + argument + " ("
          + e.getClass().getSimpleName() + ")");
    }
    if (!inside(real, dir)) {
      throw outside(argument, where);
    }
    try {
      BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!attributes.isRegularFile()) {
        throw new RealmFileException(where + ": ${file:" + argument + "} is refused: not a regular file");
      }
      byte[] bytes;
      try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
        bytes = in.readNBytes(MAX_FILE_BYTES + 1);
      }
      if (bytes.length > MAX_FILE_BYTES) {
        throw new RealmFileException(where + ": ${file:" + argument + "} is refused: larger than "
            + MAX_FILE_BYTES / 1024 + " KiB");
      }
      String value = new String(bytes, StandardCharsets.UTF_8);
      return value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
    } catch (IOException e) {
      throw new RealmFileException(where + ": cannot read placeholder file " + argument + " ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  private static boolean inside(Path path, Path dir) {
    return path.startsWith(dir) && !path.equals(dir);
  }

  private RealmFileException outside(String argument, String where) {
    return new RealmFileException(where + ": ${file:" + argument + "} is refused: it is not inside the placeholder "
        + "folder " + git.fileDir());
  }

  /** A key of a Secret that carries the placeholder-source label, in the namespace this resolver serves. */
  private String secret(String reference, String where) {
    String[] parts = reference.split("/", 2);
    if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
      throw new RealmFileException(where + ": ${secret:" + reference + "} is not ${secret:name/key}");
    }
    if (secrets == null) {
      throw new RealmFileException(where + ": ${secret:" + reference + "} needs a Kubernetes cluster");
    }
    String namespace = crNamespace != null ? crNamespace : git.namespace();
    Secret secret;
    try {
      secret = secrets.apply(parts[0]);
    } catch (KubernetesClientException e) {
      throw new RealmFileException(where + ": cannot read Secret " + parts[0] + " in namespace " + namespace
          + " (HTTP " + e.getCode() + ")");
    }
    if (secret == null) {
      throw new RealmFileException(where + ": Secret " + parts[0] + " not found in namespace " + namespace);
    }
    Map<String, String> labels = secret.getMetadata() == null ? null : secret.getMetadata().getLabels();
    if (labels == null || !PlaceholderScan.PLACEHOLDER_SOURCE_VALUE.equals(labels.get(PlaceholderScan.PLACEHOLDER_SOURCE_LABEL))) {
      throw new RealmFileException(where + ": ${secret:" + reference + "} is refused: Secret " + parts[0]
          + " does not carry the label " + PlaceholderScan.PLACEHOLDER_SOURCE_LABEL + "="
          + PlaceholderScan.PLACEHOLDER_SOURCE_VALUE);
    }
    String value = SecretValues.value(secret, parts[1]);
    if (value == null) {
      throw new RealmFileException(where + ": Secret key " + reference + " not found");
    }
    return value;
  }

  private String remember(String value) {
    if (value.length() >= MIN_REDACTED_LENGTH) {
      values.add(value);
    }
    return value;
  }
}
