package io.keycloakgitops.realmsync.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a coordination.k8s.io Lease: when realm-sync runs with several replicas, only the leader
 * syncs (two writers would fight over the same realms).
 */
public final class Leadership implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  private final CompletableFuture<?> election;

  private Leadership(CompletableFuture<?> election) {
    this.election = election;
  }

  public static Leadership start(KubernetesClient client, String namespace, String lease, String identity,
      Runnable onStartLeading, Runnable onStopLeading) {
    var config = new LeaderElectionConfigBuilder().withName(lease)
        .withLock(new LeaseLock(namespace, lease, identity))
        .withLeaseDuration(Duration.ofSeconds(15)).withRenewDeadline(Duration.ofSeconds(10))
        .withRetryPeriod(Duration.ofSeconds(2)).withReleaseOnCancel(true)
        .withLeaderCallbacks(new LeaderCallbacks(onStartLeading, onStopLeading,
            leader -> LOG.atInfo().addKeyValue("lease", namespace + "/" + lease).log("leader is now {}", leader)))
        .build();
    return new Leadership(client.leaderElector().withConfig(config).build().start());
  }

  @Override
  public void close() {
    election.cancel(true);
  }
}
