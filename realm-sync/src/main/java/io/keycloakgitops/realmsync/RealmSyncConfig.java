package io.keycloakgitops.realmsync;

import io.keycloakgitops.realmsync.keycloak.KeycloakAdmin;
import io.keycloakgitops.realmsync.keycloak.KeycloakTarget;
import io.keycloakgitops.realmsync.service.DriftPolicy;
import io.keycloakgitops.realmsync.source.CommitSignatures;
import io.keycloakgitops.realmsync.source.GitSettings;
import io.keycloakgitops.realmsync.source.Tenancy;
import io.keycloakgitops.schemas.authority.RealmGrants;
import io.keycloakgitops.realmsync.source.Placeholders;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything the service needs, built once (from flags and environment by {@code run}, or directly by tests) and
 * checked on construction. {@code git} and {@code keycloak} go together (the Git source's realms go to that
 * server); {@code watchCrs} adds KeycloakRealmImport CRs, whose targets come from their Keycloak CRs.
 * {@code port} (the push hook) and {@code managementPort} (status, metrics, probes) 0 pick a free port.
 * {@code realmGrants} limits the realms each namespace's CRs may target; {@code crWorkers} bounds how many target
 * Keycloak servers CRs are applied to at once (one queue per server); {@code keycloakTimeouts} bound every admin call.
 */
public record RealmSyncConfig(GitSettings git, KeycloakTarget keycloak, String bind, int port, Duration interval,
    Duration driftInterval, DriftPolicy drift, RealmSyncer.Options sync, String githubSecret, String gitlabToken,
    boolean watchCrs, List<String> namespaces, boolean leaderElection, String podNamespace, String leaseName,
    String identity, Map<String, String> env, int managementPort, RealmGrants realmGrants, int crWorkers,
    KeycloakAdmin.Timeouts keycloakTimeouts, String placeholderEnvPrefix, Path placeholderDir,
    String ownershipKeySecret, CommitSignatures commitSignatures, List<String> fragments, Tenancy tenancy) {

  public RealmSyncConfig {
    if (git == null && !watchCrs) {
      throw new IllegalArgumentException("nothing to sync: give --repo, or --watch-crs");
    }
    if (git != null && keycloak == null) {
      throw new IllegalArgumentException("--repo needs a Keycloak target (--keycloak-url / KEYCLOAK_URL and credentials)");
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("--interval must be positive");
    }
    if (leaderElection && (podNamespace == null || podNamespace.isBlank())) {
      throw new IllegalArgumentException("--leader-election needs --lease-namespace (env POD_NAMESPACE)");
    }
    if (crWorkers < 1) {
      throw new IllegalArgumentException("--cr-workers must be at least 1");
    }
    namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    realmGrants = realmGrants == null ? RealmGrants.DEFAULT : realmGrants;
    keycloakTimeouts = keycloakTimeouts == null ? KeycloakAdmin.Timeouts.DEFAULT : keycloakTimeouts;
    env = env == null ? Map.of() : Map.copyOf(env);
    placeholderEnvPrefix = placeholderEnvPrefix == null ? Placeholders.DEFAULT_ENV_PREFIX : placeholderEnvPrefix;
    fragments = fragments == null ? List.of() : List.copyOf(fragments);
    tenancy = tenancy == null ? Tenancy.OPEN : tenancy;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Defaults as in {@code run}: 127.0.0.1, 60 s polls, drift compare every 5 minutes, revert. */
  public static final class Builder {
    private GitSettings git;
    private KeycloakTarget keycloak;
    private String bind = "127.0.0.1";
    private int port;
    private Duration interval = Duration.ofSeconds(60);
    private Duration driftInterval = Duration.ofMinutes(5);
    private DriftPolicy drift = DriftPolicy.REVERT;
    private RealmSyncer.Options sync = RealmSyncer.Options.defaults();
    private String githubSecret;
    private String gitlabToken;
    private boolean watchCrs;
    private List<String> namespaces = List.of();
    private boolean leaderElection;
    private String podNamespace;
    private String leaseName = "keycloak-gitops-realm-sync";
    private String identity = System.getenv().getOrDefault("HOSTNAME", "realm-sync-" + ProcessHandle.current().pid());
    private Map<String, String> env = System.getenv();
    private int managementPort;
    private RealmGrants realmGrants = RealmGrants.DEFAULT;
    private int crWorkers = 4;
    private KeycloakAdmin.Timeouts keycloakTimeouts = KeycloakAdmin.Timeouts.DEFAULT;
    private String placeholderEnvPrefix = Placeholders.DEFAULT_ENV_PREFIX;
    private Path placeholderDir;
    private List<String> fragments = List.of();
    private Tenancy tenancy = Tenancy.OPEN;
    private String ownershipKeySecret;
    private CommitSignatures commitSignatures;

    public Builder git(GitSettings value) {
      git = value;
      return this;
    }

    public Builder keycloak(KeycloakTarget value) {
      keycloak = value;
      return this;
    }

    public Builder bind(String value) {
      bind = value;
      return this;
    }

    public Builder port(int value) {
      port = value;
      return this;
    }

    public Builder interval(Duration value) {
      interval = value;
      return this;
    }

    public Builder driftInterval(Duration value) {
      driftInterval = value;
      return this;
    }

    public Builder drift(DriftPolicy value) {
      drift = value;
      return this;
    }

    public Builder sync(RealmSyncer.Options value) {
      sync = value;
      return this;
    }

    public Builder githubSecret(String value) {
      githubSecret = value;
      return this;
    }

    public Builder gitlabToken(String value) {
      gitlabToken = value;
      return this;
    }

    public Builder watchCrs(boolean value) {
      watchCrs = value;
      return this;
    }

    public Builder namespaces(List<String> value) {
      namespaces = value;
      return this;
    }

    /** Sync only while holding Lease {@code name} in {@code namespace}. */
    public Builder leaderElection(String namespace, String name) {
      leaderElection = true;
      podNamespace = namespace;
      leaseName = name;
      return this;
    }

    /** The namespace realm-sync runs in: its Lease, and the Secrets of {@code ${secret:name/key}} in Git files. */
    public Builder podNamespace(String value) {
      podNamespace = value;
      return this;
    }

    public Builder identity(String value) {
      identity = value;
      return this;
    }

    public Builder env(Map<String, String> value) {
      env = value;
      return this;
    }

    public Builder managementPort(int value) {
      managementPort = value;
      return this;
    }

    public Builder realmGrants(RealmGrants value) {
      realmGrants = value;
      return this;
    }

    public Builder crWorkers(int value) {
      crWorkers = value;
      return this;
    }

    public Builder keycloakTimeouts(KeycloakAdmin.Timeouts value) {
      keycloakTimeouts = value;
      return this;
    }

    /** {@code ${env:NAME}} in Git files reads only names with this prefix; {@code ${file:}} only below {@code dir}. */
    public Builder placeholders(String envPrefix, Path dir) {
      placeholderEnvPrefix = envPrefix;
      placeholderDir = dir;
      return this;
    }

    /** A Secret of {@link #podNamespace} holding the ownership key (created if absent); null: the sync options' key. */
    public Builder ownershipKeySecret(String value) {
      ownershipKeySecret = value;
      return this;
    }

    /** Apply only Git revisions whose head commit has a good signature by one of these keys; null: any commit. */
    public Builder commitSignatures(CommitSignatures value) {
      commitSignatures = value;
      return this;
    }

    /** Globs of fragment files in the repository, and the grants limiting what each path may declare. */
    public Builder fragments(List<String> globs, Tenancy grants) {
      fragments = globs;
      tenancy = grants;
      return this;
    }

    public RealmSyncConfig build() {
      return new RealmSyncConfig(git, keycloak, bind, port, interval, driftInterval, drift, sync, githubSecret,
          gitlabToken, watchCrs, namespaces, leaderElection, podNamespace, leaseName, identity, env, managementPort,
          realmGrants, crWorkers, keycloakTimeouts, placeholderEnvPrefix, placeholderDir, ownershipKeySecret,
          commitSignatures, fragments, tenancy);
    }
  }
}
