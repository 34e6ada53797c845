package io.keycloakgitops.realmsync.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.keycloakgitops.realmsync.RealmSyncConfig;
import io.keycloakgitops.realmsync.RealmSyncService;
import io.keycloakgitops.realmsync.service.DriftPolicy;
import io.keycloakgitops.schemas.authority.RealmGrants;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The long-running service: poll + push webhook (+ CRs). The hook port serves only {@code POST /hooks/git}; the
 * management port serves /status, /metrics, /healthz, /readyz.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Keep Keycloak in line with a Git repository (and/or KeycloakRealmImport CRs) until stopped.")
public final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Option(names = "--repo", defaultValue = "${env:GIT_REPO}", description = "Git repository: https/ssh/file URL or local path (env GIT_REPO).")
  String repo;

  @Option(names = "--branch", defaultValue = "${env:GIT_BRANCH:-main}", description = "Branch (default ${DEFAULT-VALUE}).")
  String branch;

  @Option(names = "--path", defaultValue = "${env:REALMS_PATH:-realms}", description = "Folder of realm files (default ${DEFAULT-VALUE}).")
  String path;

  @Option(names = "--git-cache-dir", defaultValue = "${env:GIT_CACHE_DIR}", description = "Where fetched Git objects are kept.")
  Path cacheDir;

  @Option(names = "--port", defaultValue = "${env:PORT:-8080}",
      description = "Hook port: POST /hooks/git only (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--management-port", defaultValue = "${env:MANAGEMENT_PORT:-8081}",
      description = "Management port: /status, /metrics, /healthz, /readyz (env MANAGEMENT_PORT, default ${DEFAULT-VALUE}).")
  int managementPort;

  @Option(names = "--bind", defaultValue = "${env:BIND:-127.0.0.1}", description = "Bind address of both ports (default ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--interval", defaultValue = "${env:POLL_INTERVAL:-60s}", converter = DurationConverter.class,
      description = "Git poll interval (default ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(names = "--drift-interval", defaultValue = "${env:DRIFT_INTERVAL:-5m}", converter = DurationConverter.class,
      description = "How often each realm is compared in full with its file (default ${DEFAULT-VALUE}).")
  Duration driftInterval;

  @Option(names = "--drift", defaultValue = "${env:DRIFT_POLICY:-REVERT}",
      description = "REVERT or REPORT edits made outside Git (default ${DEFAULT-VALUE}; case does not matter).")
  DriftPolicy drift;

  @Option(names = "--watch-crs", defaultValue = "${env:WATCH_CRS:-false}", description = "Apply KeycloakRealmImport CRs (env WATCH_CRS).")
  boolean watchCrs;

  @Option(names = "--namespaces", defaultValue = "${env:WATCH_NAMESPACES:-}", description = "Namespaces to watch CRs in, comma separated (default all).")
  String namespaces;

  @Option(names = "--realm-grants", defaultValue = "${env:REALM_GRANTS_FILE}",
      description = "YAML file of namespace grants (grants: [{namespace, realms}]) limiting the realms CRs may target "
          + "(env REALM_GRANTS_FILE; default: every realm but master).")
  Path realmGrants;

  @Option(names = "--cr-workers", defaultValue = "${env:CR_WORKERS:-4}",
      description = "Target Keycloak servers CRs are applied to at once; each server has its own queue (default ${DEFAULT-VALUE}).")
  int crWorkers;

  @Option(names = "--leader-election", defaultValue = "${env:LEADER_ELECTION:-false}", description = "Sync only while holding a Lease (env LEADER_ELECTION).")
  boolean leaderElection;

  @Option(names = "--lease-namespace", defaultValue = "${env:POD_NAMESPACE}",
      description = "Namespace realm-sync runs in: its Lease, and Secrets of $${secret:...} placeholders (env POD_NAMESPACE).")
  String leaseNamespace;

  @Option(names = "--lease-name", defaultValue = "keycloak-gitops-realm-sync", description = "Name of the Lease (default ${DEFAULT-VALUE}).")
  String leaseName;

  @Mixin
  KeycloakOptions keycloak;

  @Mixin
  SyncOptions sync;

  @Mixin
  PlaceholderOptions placeholders;

  @Mixin
  SignatureOptions signatures;

  @Mixin
  TenancyOptions tenancy;

  @Override
  public Integer call() throws InterruptedException {
    var builder = RealmSyncConfig.builder().bind(bind).port(port).managementPort(managementPort).interval(interval)
        .driftInterval(driftInterval).drift(drift).sync(sync.options()).keycloakTimeouts(keycloak.timeouts())
        .realmGrants(RealmGrants.read(realmGrants)).crWorkers(crWorkers)
        .githubSecret(System.getenv("GITHUB_WEBHOOK_SECRET")).gitlabToken(System.getenv("GITLAB_WEBHOOK_TOKEN"))
        .watchCrs(watchCrs).namespaces(splitList(namespaces))
        .placeholders(placeholders.envPrefix(), placeholders.dir()).ownershipKeySecret(sync.ownershipKeySecret())
        .commitSignatures(signatures.signatures());
    if (repo != null && !repo.isBlank()) {
      builder.git(SourceOptions.gitSettings(repo, branch, path, cacheDir)).keycloak(keycloak.target())
          .fragments(tenancy.globs(), tenancy.tenancy(null, repo));
    } else if (keycloak.given()) {
      builder.keycloak(keycloak.target());
    }
    builder.podNamespace(leaseNamespace);
    if (leaderElection) {
      builder.leaderElection(leaseNamespace, leaseName);
    }
    RealmSyncConfig config = builder.build();
    boolean inCluster = watchCrs || leaderElection || System.getenv("KUBERNETES_SERVICE_HOST") != null;
    KubernetesClient client = inCluster ? new KubernetesClientBuilder().build() : null;
    var stopped = new CountDownLatch(1);
    RealmSyncService service = client == null ? RealmSyncService.start(config) : RealmSyncService.start(config, client);
    service.onLeadershipLost(() -> {
      LOG.error("leadership lost: exiting so that the pod restarts");
      System.exit(1);
    });
    LOG.atInfo().addKeyValue("port", service.port()).addKeyValue("managementPort", service.managementPort())
        .addKeyValue("bind", bind)
        .addKeyValue("source", config.git() == null ? "crs" : config.git().toString())
        .addKeyValue("prune", sync.options().prune().toString()).log("realm-sync started");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      service.close();
      if (client != null) {
        client.close();
      }
      stopped.countDown();
    }, "realm-sync-shutdown"));
    stopped.await();
    return 0;
  }

  private static List<String> splitList(String value) {
    return value == null || value.isBlank() ? List.of()
        : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
