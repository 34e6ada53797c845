package io.keycloakgitops.realmsync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javalin.Javalin;
import io.keycloakgitops.realmsync.k8s.KeycloakCrTargets;
import io.keycloakgitops.realmsync.k8s.Leadership;
import io.keycloakgitops.realmsync.k8s.OwnershipKeySecret;
import io.keycloakgitops.realmsync.k8s.RealmImportController;
import io.keycloakgitops.realmsync.k8s.SecretValues;
import io.keycloakgitops.realmsync.keycloak.KeycloakAdmin;
import io.keycloakgitops.realmsync.service.GitSyncLoop;
import io.keycloakgitops.realmsync.service.HttpApi;
import io.keycloakgitops.realmsync.service.StatusRegistry;
import io.keycloakgitops.realmsync.service.SyncMetrics;
import io.keycloakgitops.realmsync.service.SyncRunner;
import io.keycloakgitops.realmsync.service.WebhookVerifier;
import io.keycloakgitops.realmsync.source.GitSource;
import io.keycloakgitops.realmsync.source.Placeholders;
import io.keycloakgitops.realmsync.source.SourceIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The realm-sync service in-process: Git polling plus push webhook, KeycloakRealmImport CRs when given a cluster,
 * and the HTTP endpoints. {@link #start(RealmSyncConfig)} for Git only; {@link #start(RealmSyncConfig,
 * KubernetesClient)} adds CR watching, leader election, Kubernetes Events and {@code ${secret:name/key}}
 * placeholders (Secrets of the lease namespace) for Git files.
 */
public final class RealmSyncService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RealmSyncService.class);

  private final RealmSyncConfig config;
  private final StatusRegistry status = new StatusRegistry();
  private final SyncMetrics metrics = new SyncMetrics();
  private final AtomicBoolean leader;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final GitSyncLoop gitLoop;
  private final RealmImportController crController;
  private final Javalin http;
  private final Javalin management;
  private Runnable onLeadershipLost = () -> { };

  private RealmSyncService(RealmSyncConfig config, KubernetesClient client) {
    this.config = config;
    this.leader = new AtomicBoolean(!config.leaderElection());
    var runner = new SyncRunner(metrics, config.drift());
    RealmSyncer.Options options = config.sync();
    GitSyncLoop loop = null;
    RealmImportController controller = null;
    try {
      if (config.ownershipKeySecret() != null) {
        if (client == null) {
          throw new IllegalArgumentException("--ownership-key-secret needs a Kubernetes cluster");
        }
        options = options.withOwnershipKey(OwnershipKeySecret.load(client, config.podNamespace(), config.ownershipKeySecret()));
      }
      if (config.git() != null) {
        var admin = KeycloakAdmin.connect(config.keycloak(), config.keycloakTimeouts());
        resources.add(admin);
        var source = new GitSource(config.git(), config.commitSignatures(), null).withFragments(config.fragments());
        var placeholders = new Placeholders.GitPolicy(config.env(), config.placeholderEnvPrefix(),
            config.placeholderDir(), config.podNamespace(),
            client == null ? null : SecretValues.byName(client, config.podNamespace()));
        loop = new GitSyncLoop(source, new RealmSyncer(admin, options.withDefaultSource(SourceIds.git(config.git()))),
            runner, status, metrics, config.interval(), config.driftInterval(), placeholders::create)
            .withTenancy(config.tenancy());
        resources.add(loop);
      }
      if (config.watchCrs()) {
        if (client == null) {
          throw new IllegalArgumentException("--watch-crs needs a Kubernetes client");
        }
        var targets = new KeycloakCrTargets(client, config.keycloak() == null ? null : config.keycloak().caFile(),
            config.keycloakTimeouts());
        resources.add(targets);
        controller = new RealmImportController(client, config.namespaces(), targets, runner, status, metrics,
            options, config.driftInterval(), config.realmGrants(), config.crWorkers());
        resources.add(controller);
      }
      this.gitLoop = loop;
      this.crController = controller;
      var push = new HttpApi.PushHandler() {
        @Override
        public String branch() {
          return gitLoop == null ? null : config.git().branch();
        }

        @Override
        public void pushed() {
          gitLoop.trigger();
        }
      };
      this.http = HttpApi.startHooks(config.bind(), config.port(),
          new WebhookVerifier(config.githubSecret(), config.gitlabToken()), push, leader::get);
      this.management = HttpApi.startManagement(config.bind(), config.managementPort(), status, metrics);
      if (config.leaderElection()) {
        resources.add(Leadership.start(client, config.podNamespace(), config.leaseName(), config.identity(),
            () -> {
              LOG.atInfo().addKeyValue("identity", config.identity()).log("became leader: syncing");
              leader.set(true);
              startWork();
            },
            () -> {
              LOG.atWarn().addKeyValue("identity", config.identity()).log("lost leadership: syncing stopped");
              leader.set(false);
              stopWork();
              onLeadershipLost.run();
            }));
      } else {
        startWork();
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Git source only (no cluster). */
  public static RealmSyncService start(RealmSyncConfig config) {
    return new RealmSyncService(config, null);
  }

  /** With a cluster: KeycloakRealmImport CRs (if {@code watchCrs}), leader election (if configured), events. */
  public static RealmSyncService start(RealmSyncConfig config, KubernetesClient client) {
    return new RealmSyncService(config, client);
  }

  /** Called once leadership is lost; {@code run} exits so that Kubernetes restarts the pod fresh. */
  public RealmSyncService onLeadershipLost(Runnable callback) {
    this.onLeadershipLost = callback;
    return this;
  }

  private void startWork() {
    if (gitLoop != null) {
      gitLoop.start();
    }
    if (crController != null) {
      crController.start();
    }
  }

  private void stopWork() {
    try {
      if (gitLoop != null) {
        gitLoop.close();
      }
      if (crController != null) {
        crController.close();
      }
    } catch (RuntimeException e) {
      LOG.warn("stopping sync work failed: {}", e.getMessage());
    }
  }

  /** The hook port ({@code POST /hooks/git}; useful with port 0). */
  public int port() {
    return http.port();
  }

  /** The management port ({@code /status}, {@code /metrics}, {@code /healthz}, {@code /readyz}). */
  public int managementPort() {
    return management.port();
  }

  /** What {@code GET /status} serves. */
  public ObjectNode status() {
    return status.toJson();
  }

  /** Fetches the Git source and syncs every realm now, waiting for the result (outcome per realm applied). */
  public Map<String, RealmSyncer.Outcome> syncNow() {
    if (gitLoop == null) {
      throw new IllegalStateException("no Git source configured");
    }
    if (!leader.get()) {
      throw new IllegalStateException("not the leader");
    }
    return gitLoop.syncNow();
  }

  public boolean isLeader() {
    return leader.get();
  }

  @Override
  public void close() {
    if (http != null) {
      http.stop();
    }
    if (management != null) {
      management.stop();
    }
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        LOG.debug("closing {} failed: {}", resources.get(i), e.getMessage());
      }
    }
  }
}
