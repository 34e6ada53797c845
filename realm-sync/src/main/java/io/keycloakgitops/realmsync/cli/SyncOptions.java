package io.keycloakgitops.realmsync.cli;

import io.keycloakgitops.realmsync.RealmSyncer;
import io.keycloakgitops.realmsync.engine.Executor;
import io.keycloakgitops.realmsync.engine.PrunePolicy;
import picocli.CommandLine.Option;

/** How the engine behaves: pruning and bulk creation. */
public final class SyncOptions {
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

  /** The options; the source id is the one given, else the source's own ({@code SourceIds}) set by the caller. */
  public RealmSyncer.Options options() {
    return new RealmSyncer.Options(PrunePolicy.parse(prune), bulkThreshold, sourceId);
  }
}
