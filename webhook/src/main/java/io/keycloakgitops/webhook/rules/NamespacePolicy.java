package io.keycloakgitops.webhook.rules;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.keycloakgitops.schemas.podsecurity.Level;
import io.keycloakgitops.schemas.authority.RealmGrants;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Rule 6: the cluster admin's per-namespace relaxations of the pod-security and TLS rules, and the realms each
 * namespace's KeycloakRealmImports may target, read from a file the admin controls (a ConfigMap mounted into the
 * webhook). Nothing in a CR can relax a rule. The first entry whose name pattern matches the namespace applies;
 * namespaces that match none get the full rules. Without {@code realmGrants} every namespace may target every realm
 * but master ({@link RealmGrants#DEFAULT}); realm-sync reads the same grants and checks them again.
 *
 * <pre>
 * namespaces:
 *   - name: "dev-*"            # exact name, or a glob with *
 *     podSecurity: baseline    # restricted (default) | baseline | privileged
 *     tls: optional            # required (default) | optional: TLS findings become warnings
 * realmGrants:                 # first matching namespace decides; master only when named literally
 *   - namespace: "team-*"
 *     realms: ["team-*"]
 * </pre>
 */
public record NamespacePolicy(List<Entry> namespaces, RealmGrants realmGrants) {
  public static final NamespacePolicy DEFAULT = new NamespacePolicy(List.of(), null);
  public static final Rules FULL_RULES = new Rules(Level.RESTRICTED, TlsMode.REQUIRED, null);

  public enum TlsMode { REQUIRED, OPTIONAL }

  public NamespacePolicy {
    namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    realmGrants = realmGrants == null ? RealmGrants.DEFAULT : realmGrants;
  }

  @JsonCreator
  static NamespacePolicy fromFile(@JsonProperty("namespaces") List<Entry> namespaces,
      @JsonProperty("realmGrants") List<RealmGrants.Grant> realmGrants) {
    return new NamespacePolicy(namespaces, realmGrants == null ? null : new RealmGrants(realmGrants));
  }

  /** One relaxation: namespaces matching {@code name}. */
  public record Entry(String name, Level podSecurity, TlsMode tls) {
    @JsonCreator
    public Entry(@JsonProperty(value = "name", required = true) String name,
        @JsonProperty("podSecurity") Level podSecurity, @JsonProperty("tls") TlsMode tls) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("every namespaces entry needs a name");
      }
      this.name = name;
      this.podSecurity = podSecurity == null ? Level.RESTRICTED : podSecurity;
      this.tls = tls == null ? TlsMode.REQUIRED : tls;
    }

    boolean matches(String namespace) {
      return glob(name).matcher(namespace).matches();
    }
  }

  /**
   * The rules in force for one namespace; {@code source} names the policy entry that relaxed them, if any;
   * {@code realmGrants} are the admin's grants (they name namespaces themselves).
   */
  public record Rules(Level podSecurity, TlsMode tls, String source, RealmGrants realmGrants) {
    public Rules(Level podSecurity, TlsMode tls, String source) {
      this(podSecurity, tls, source, RealmGrants.DEFAULT);
    }
  }

  public Rules rulesFor(String namespace) {
    String name = namespace == null ? "" : namespace;
    for (Entry entry : namespaces) {
      if (entry.matches(name)) {
        return new Rules(entry.podSecurity, entry.tls, "namespace policy entry \"" + entry.name + "\"", realmGrants);
      }
    }
    return realmGrants == RealmGrants.DEFAULT ? FULL_RULES
        : new Rules(FULL_RULES.podSecurity(), FULL_RULES.tls(), null, realmGrants);
  }

  /** Parses the policy file; a typo fails with the line and the field, never silently relaxes or tightens. */
  public static NamespacePolicy parse(String yaml) {
    if (yaml == null || yaml.isBlank()) {
      return DEFAULT;
    }
    try {
      var policy = MAPPER.readValue(yaml, NamespacePolicy.class);
      return policy == null ? DEFAULT : policy;
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException("unknown field " + where(e) + " (known: " + e.getKnownPropertyIds() + ")");
    } catch (InvalidFormatException e) {
      throw new IllegalArgumentException("invalid value \"" + e.getValue() + "\" for " + where(e)
          + " (podSecurity: restricted|baseline|privileged, tls: required|optional)");
    } catch (JsonMappingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage() + " at " + where(e));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage() + " at line " + lineOf(e));
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  private static final ObjectMapper MAPPER = YAMLMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
      .build();

  private static int lineOf(JsonProcessingException e) {
    return e.getLocation() == null ? 0 : e.getLocation().getLineNr();
  }

  /** The field path of a mapping error, e.g. "namespaces[0].podSecurty". */
  private static String where(JsonMappingException e) {
    var path = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
      } else {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return "\"" + path + "\"";
  }

  private static Pattern glob(String pattern) {
    return Pattern.compile(Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*")));
  }
}
