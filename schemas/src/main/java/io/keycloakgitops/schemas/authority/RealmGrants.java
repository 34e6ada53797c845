package io.keycloakgitops.schemas.authority;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which realms the KeycloakRealmImport CRs of a namespace may target, held by the cluster admin (chart value
 * {@code realmGrants}, mounted as a file into the webhook and realm-sync; both check it, so neither alone is the
 * only guard). The first grant whose namespace pattern matches decides. Patterns are exact names or globs with
 * {@code *}. {@code master} is reachable only through a grant that names it literally: a glob never matches it,
 * because a master realm admin administers every realm of the server.
 *
 * <pre>
 * grants:
 *   - namespace: "team-*"
 *     realms: ["team-*", "shared"]
 * </pre>
 *
 * Without a file every namespace may target every realm except {@code master}.
 */
public record RealmGrants(List<Grant> grants) {
  public static final String MASTER = "master";
  /** Every namespace, every realm but master: the behaviour without a grants file. */
  public static final RealmGrants DEFAULT = new RealmGrants(List.of(new Grant("*", List.of("*"))));

  private static final ObjectMapper YAML = new YAMLMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public RealmGrants {
    grants = grants == null ? List.of() : List.copyOf(grants);
  }

  public record Grant(String namespace, List<String> realms) {
    @JsonCreator
    public Grant(@JsonProperty(value = "namespace", required = true) String namespace,
        @JsonProperty(value = "realms", required = true) List<String> realms) {
      if (namespace == null || namespace.isBlank()) {
        throw new IllegalArgumentException("every grant needs a namespace (exact name or glob)");
      }
      if (realms == null || realms.isEmpty() || realms.stream().anyMatch(r -> r == null || r.isBlank())) {
        throw new IllegalArgumentException("grant for namespace '" + namespace + "' needs a non-empty list of realm patterns");
      }
      this.namespace = namespace;
      this.realms = List.copyOf(realms);
    }

    boolean matchesNamespace(String candidate) {
      return glob(namespace).matcher(candidate).matches();
    }

    boolean allowsRealm(String realm) {
      if (MASTER.equals(realm)) {
        return realms.contains(MASTER);
      }
      return realms.stream().anyMatch(pattern -> glob(pattern).matcher(realm).matches());
    }
  }

  /** The verdict for one CR: empty when allowed, else a message that names the grant (or its absence). */
  public Optional<String> deny(String namespace, String realm) {
    if (realm == null || realm.isBlank()) {
      return Optional.empty();
    }
    Optional<Grant> grant = grants.stream().filter(g -> g.matchesNamespace(namespace)).findFirst();
    if (grant.isEmpty()) {
      return Optional.of("namespace " + namespace + " has no realm grant: ask the cluster admin to add one to realmGrants");
    }
    if (grant.get().allowsRealm(realm)) {
      return Optional.empty();
    }
    if (MASTER.equals(realm)) {
      return Optional.of("realm master is refused: it administers every realm of the server; only a grant that names "
          + "\"master\" explicitly allows it (namespace " + namespace + " matches grant " + grant.get().namespace()
          + " with realms " + grant.get().realms() + ")");
    }
    return Optional.of("realm " + realm + " is not granted to namespace " + namespace + " (grant "
        + grant.get().namespace() + " allows " + grant.get().realms() + ")");
  }

  public boolean allows(String namespace, String realm) {
    return deny(namespace, realm).isEmpty();
  }

  /** Reads a grants file; a missing path means {@link #DEFAULT}; a malformed file fails with its path. */
  public static RealmGrants read(Path file) {
    if (file == null) {
      return DEFAULT;
    }
    try {
      return parse(Files.readString(file));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("realm grants file " + file + ": " + rootMessage(e), e);
    }
  }

  public static RealmGrants parse(String yaml) throws IOException {
    RealmGrants parsed = YAML.readValue(yaml, RealmGrants.class);
    return parsed == null ? new RealmGrants(List.of()) : parsed;
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
  }

  private static Pattern glob(String pattern) {
    return Pattern.compile(Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*")));
  }
}
