package io.keycloakgitops.realmsync.source;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may declare what, by repository path: the tenancy file ({@code --tenancy}), held by whoever operates
 * realm-sync and never read from the watched repository (a team that could edit it could grant itself anything).
 * A file may declare an object when some grant whose {@code paths} match the file allows the object's realm, kind
 * and name. A grant without {@code kinds} allows every kind, realm settings included; without {@code names}, every
 * name. Without a tenancy file every file may declare whole realms ({@link #OPEN}).
 *
 * <pre>
 * grants:
 *   - paths: ["realms/*.json"]
 *     realms: ["*"]
 *   - paths: ["teams/shop/**"]
 *     realms: ["acme"]
 *     kinds: [client, client-role, group]
 *     names: ["shop-*"]
 * </pre>
 */
public record Tenancy(List<Grant> grants) {
  /** The kinds a grant may name: the entity types realm-sync manages, plus {@code realm} for realm settings. */
  public static final Set<String> KINDS = Set.of(Fragments.REALM, Fragments.CLIENT, Fragments.CLIENT_ROLE,
      Fragments.ROLE, Fragments.GROUP, Fragments.USER, Fragments.IDENTITY_PROVIDER, Fragments.IDENTITY_PROVIDER_MAPPER,
      Fragments.CLIENT_SCOPE, Fragments.FLOW, Fragments.AUTHENTICATOR_CONFIG, Fragments.REQUIRED_ACTION,
      Fragments.COMPONENT, Fragments.SCOPE_MAPPING, Fragments.ORGANIZATION, Fragments.LOCALIZATION_TEXTS);
  /** Every file may declare whole realms: the behaviour without a tenancy file. */
  public static final Tenancy OPEN = new Tenancy(List.of(new Grant(List.of("**"), List.of("*"), null, null)));

  private static final ObjectMapper YAML = new YAMLMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public Tenancy {
    grants = grants == null ? List.of() : List.copyOf(grants);
  }

  /** {@code kinds} and {@code names} null: any. Patterns are globs: {@code *} within a path segment, {@code **} across. */
  public record Grant(List<String> paths, List<String> realms, List<String> kinds, List<String> names) {
    @JsonCreator
    public Grant(@JsonProperty(value = "paths", required = true) List<String> paths,
        @JsonProperty(value = "realms", required = true) List<String> realms,
        @JsonProperty("kinds") List<String> kinds, @JsonProperty("names") List<String> names) {
      this.paths = nonEmpty("paths", paths, paths);
      this.realms = nonEmpty("realms", realms, paths);
      this.kinds = kinds == null ? null : nonEmpty("kinds", kinds, paths);
      this.names = names == null ? null : nonEmpty("names", names, paths);
      if (this.kinds != null) {
        this.kinds.stream().filter(k -> !KINDS.contains(k)).findFirst().ifPresent(k -> {
          throw new IllegalArgumentException("grant for paths " + paths + ": unknown kind '" + k + "' (one of "
              + KINDS.stream().sorted().toList() + ")");
        });
      }
    }

    private static List<String> nonEmpty(String field, List<String> values, List<String> paths) {
      if (values == null || values.isEmpty() || values.stream().anyMatch(v -> v == null || v.isBlank())) {
        throw new IllegalArgumentException("grant" + (field.equals("paths") ? "" : " for paths " + paths)
            + " needs a non-empty list of " + field);
      }
      return List.copyOf(values);
    }

    boolean matchesPath(String path) {
      return paths.stream().anyMatch(p -> glob(p).matcher(path).matches());
    }

    /** Why this grant does not allow the object, or empty when it does. */
    Optional<String> refuse(String realm, Fragments.Declared object) {
      if (realms.stream().noneMatch(p -> glob(p).matcher(realm).matches())) {
        return Optional.of("realm " + realm + " is not in realms " + realms);
      }
      if (kinds != null && !kinds.contains(object.kind())) {
        return Optional.of("kind " + object.kind() + " is not in kinds " + kinds);
      }
      if (names != null && names.stream().noneMatch(p -> glob(p).matcher(object.name()).matches())) {
        return Optional.of("name \"" + object.name() + "\" matches none of names " + names);
      }
      return Optional.empty();
    }

    @Override
    public String toString() {
      return "{paths: " + paths + ", realms: " + realms + (kinds == null ? "" : ", kinds: " + kinds)
          + (names == null ? "" : ", names: " + names) + "}";
    }
  }

  /**
   * Why {@code path} may not declare {@code object} of {@code realm} — naming the path, the object and the grant it
   * broke — or empty when a grant allows it.
   */
  public Optional<String> refuse(String path, String realm, Fragments.Declared object) {
    List<Grant> matching = grants.stream().filter(g -> g.matchesPath(path)).toList();
    if (matching.isEmpty()) {
      return Optional.of(path + ": no tenancy grant covers this path (" + object + " of realm " + realm + ")");
    }
    String first = null;
    for (Grant grant : matching) {
      Optional<String> why = grant.refuse(realm, object);
      if (why.isEmpty()) {
        return Optional.empty();
      }
      if (first == null) {
        first = why.get() + " (grant " + grant + ")";
      }
    }
    return Optional.of(path + ": " + object + " of realm " + realm + " is outside its grants: " + first);
  }

  /**
   * Reads the tenancy file, refusing one inside {@code watched} (the repository or folder realm files come from):
   * the operator holds it, not the teams it limits. A missing path means {@link #OPEN}.
   */
  public static Tenancy read(Path file, Path watched) {
    if (file == null) {
      return OPEN;
    }
    try {
      if (watched != null && Files.exists(watched)
          && file.toAbsolutePath().normalize().toRealPath().startsWith(watched.toAbsolutePath().normalize().toRealPath())) {
        throw new IllegalArgumentException("it lies inside the watched repository " + watched
            + "; keep it with realm-sync's own configuration");
      }
      return parse(Files.readString(file));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      Throwable cause = e.getCause() instanceof IllegalArgumentException bad ? bad : null;
      String where = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ": ";
      throw new IllegalArgumentException("tenancy file " + file + ": " + where
          + (cause != null ? cause.getMessage() : e.getOriginalMessage().replace('\n', ' ')), e);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("tenancy file " + file + ": " + rootMessage(e), e);
    }
  }

  public static Tenancy parse(String yaml) throws IOException {
    Tenancy parsed = YAML.readValue(yaml, Tenancy.class);
    if (parsed == null || parsed.grants().isEmpty()) {
      throw new IllegalArgumentException("no grants: every file would be refused");
    }
    return parsed;
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    if (cause instanceof java.nio.file.NoSuchFileException) {
      return "does not exist";
    }
    return message == null ? cause.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
  }

  /** {@code **} matches across {@code /}, {@code *} and {@code ?} within one path segment; the rest is literal. */
  static Pattern glob(String pattern) {
    var regex = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '*' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
        regex.append(".*");
        i++;
      } else if (c == '*') {
        regex.append("[^/]*");
      } else if (c == '?') {
        regex.append("[^/]");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }
}
