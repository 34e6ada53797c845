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

  @Option(names = "--source-id", defaultValue = "${env:SOURCE_ID:-default}",
      description = "Name of this source, recorded in realms it creates; only the same source deletes them (env SOURCE_ID).")
  String sourceId;

  public RealmSyncer.Options options() {
    return new RealmSyncer.Options(PrunePolicy.parse(prune), bulkThreshold, sourceId);
  }
}
