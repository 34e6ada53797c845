package io.keycloakgitops.realmsync.cli;

import io.keycloakgitops.realmsync.RealmSyncer;
import io.keycloakgitops.realmsync.engine.DeletionGuard;
import io.keycloakgitops.realmsync.engine.Executor;
import io.keycloakgitops.realmsync.engine.OwnershipKey;
import io.keycloakgitops.realmsync.engine.PrunePolicy;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How the engine behaves: pruning, bulk creation, the deletion guard and the ownership key. */
public final class SyncOptions {
  /** Where the CLI keeps its ownership key when neither flag names one. */
  static final Path DEFAULT_KEY_FILE = Path.of(System.getProperty("user.home"), ".config", "keycloak-gitops", "ownership.key");

  @Option(names = "--prune", defaultValue = "${env:PRUNE_POLICY:-}", description = "Per type prune policy, e.g. "
      + "user=no-delete,realm=full (env PRUNE_POLICY). Types: realm, client-scope, flow, client, role, client-role, "
      + "group, user, identity-provider, component. Default: full for all but realm (no-delete).")
  String prune;

  @Option(names = "--bulk-threshold", defaultValue = "${env:BULK_THRESHOLD:-" + Executor.DEFAULT_BULK_THRESHOLD + "}",
      description = "New objects from which creation goes through one partialImport request (default ${DEFAULT-VALUE}).")
  int bulkThreshold;

  @Option(names = "--source-id", defaultValue = "${env:SOURCE_ID:-}",
      description = "Id recorded with what this source writes; a source prunes only its own (env SOURCE_ID). "
          + "Default: git:<repo>#<branch>:<path> or dir:<folder>. Set it to keep ownership when the repository moves.")
  String sourceId;

  @Option(names = "--max-deletions", defaultValue = "${env:MAX_DELETIONS:-" + DeletionGuard.DEFAULT_MAX_DELETIONS + "}",
      description = "A sync that would delete more objects than this from one realm stops before writing (env MAX_DELETIONS, default ${DEFAULT-VALUE}).")
  int maxDeletions;

  @Option(names = "--allow-deletions", defaultValue = "${env:ALLOW_DELETIONS:-false}",
      description = "Let syncs through that exceed --max-deletions (env ALLOW_DELETIONS).")
  boolean allowDeletions;

  @Option(names = "--ownership-key-file", defaultValue = "${env:OWNERSHIP_KEY_FILE}",
      description = "Key for the HMAC of masked secrets in the ownership record; generated (mode 0600) if absent "
          + "(env OWNERSHIP_KEY_FILE, default ~/.config/keycloak-gitops/ownership.key).")
  Path ownershipKeyFile;

  @Option(names = "--ownership-key-secret", defaultValue = "${env:OWNERSHIP_KEY_SECRET}",
      description = "In a cluster: Secret of realm-sync's namespace holding that key, created if absent (env OWNERSHIP_KEY_SECRET).")
  String ownershipKeySecret;

  /**
   * The engine options of the service; the source id is the one given, else the source's own ({@code SourceIds}) set
   * by the caller. With {@code --ownership-key-secret} the service reads the key from the cluster
   * ({@link #ownershipKeySecret()}) and replaces the placeholder key given here; otherwise it comes from the key file.
   */
  public RealmSyncer.Options options() {
    return options(ownershipKeySecret() != null ? OwnershipKey.processLocal() : keyFromFile());
  }

  /** For {@code apply} and {@code plan}, which run outside a cluster: always the key file. */
  RealmSyncer.Options oneShotOptions() {
    return options(keyFromFile());
  }

  private OwnershipKey keyFromFile() {
    return OwnershipKey.fromFile(ownershipKeyFile != null ? ownershipKeyFile : DEFAULT_KEY_FILE);
  }

  private RealmSyncer.Options options(OwnershipKey key) {
    return new RealmSyncer.Options(PrunePolicy.parse(prune), bulkThreshold, sourceId,
        new DeletionGuard(maxDeletions, allowDeletions), key);
  }

  public String ownershipKeySecret() {
    return ownershipKeySecret == null || ownershipKeySecret.isBlank() ? null : ownershipKeySecret;
  }
}
