package io.keycloakgitops.reconciler;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.keycloakgitops.reconciler.controller.ExcludedNamespaces;
import io.keycloakgitops.reconciler.controller.KeycloakReconciler;
import io.keycloakgitops.reconciler.runtime.ApiRequestMeter;
import io.keycloakgitops.reconciler.runtime.HealthServer;
import io.keycloakgitops.reconciler.runtime.ReconcilerMetrics;
import io.keycloakgitops.schemas.Schemas;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running reconciler: the JOSDK operator with the Keycloak controller, and the health/metrics server. This is
 * what {@code run} starts, and what an embedding test starts directly:
 *
 * <pre>{@code
 * try (var operator = KeycloakOperator.start(client, ReconcilerConfig.defaults())) { ... }
 * }</pre>
 *
 * <p>It talks to the API server through its own client, built from the given client's configuration with a request
 * meter added, and closes that client on {@link #close()}; the caller's client is left alone.
 */
public final class KeycloakOperator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KeycloakOperator.class);
  private static final int RECONCILE_THREADS = 8;
  private static final int WORKFLOW_THREADS = 16;

  private final ReconcilerConfig config;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicBoolean leader = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final KubernetesClient client;
  private final Operator operator;
  private HealthServer health;

  private KeycloakOperator(Config kubernetes, ReconcilerConfig config) {
    this.config = config;
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    Gauge.builder("keycloak.gitops.leader", leader, l -> l.get() ? 1 : 0)
        .description("1 while this replica reconciles (leader, or leader election off)").register(registry);
    var meter = new ApiRequestMeter(registry);
    client = new KubernetesClientBuilder().withConfig(kubernetes)
        .withHttpClientBuilderConsumer(http -> http.addOrReplaceInterceptor("api-request-meter", meter))
        .build();
    operator = new Operator(this::configure);
    var reconciler = new KeycloakReconciler(config, Clock.systemUTC());
    var controller = ControllerConfigurationOverrider.override(
        operator.getConfigurationService().getConfigurationFor(reconciler));
    if (config.watchesAllNamespaces()) {
      controller.watchingAllNamespaces();
    } else {
      controller.settingNamespaces(config.watchedNamespaces());
    }
    controller.withRetry(new GenericRetry().setInitialInterval(Duration.ofSeconds(1)).setIntervalMultiplier(2)
        .setMaxInterval(Duration.ofMinutes(2).toMillis()).withoutMaxAttempts());
    operator.register(reconciler, ExcludedNamespaces.apply(controller.build(), config));
  }

  /** Starts reconciling with {@code client}'s configuration; returns once the informers are synced. */
  public static KeycloakOperator start(KubernetesClient client, ReconcilerConfig config) {
    return start(client.getConfiguration(), config);
  }

  public static KeycloakOperator start(Config kubernetes, ReconcilerConfig config) {
    var running = new KeycloakOperator(kubernetes, config);
    try {
      running.requireKeycloakCrd();
      running.health = HealthServer.start(config.bind(), config.healthPort(), running.registry,
          () -> !running.closing.get(), running::isReady);
      running.operator.start();
      if (config.leaderElection() == null) {
        running.leader.set(true);
      }
      log.info("Reconciler started: namespaces {} (never {}), default image {}, leader election {}, health on {}:{}",
          config.watchesAllNamespaces() ? "all" : config.watchedNamespaces(), config.excludedNamespaces(),
          config.defaultImage(),
          config.leaderElection() == null ? "off" : config.leaderElection().leaseNamespace() + "/"
              + config.leaderElection().leaseName(), config.bind(), running.health.port());
      return running;
    } catch (RuntimeException e) {
      running.close();
      throw e;
    }
  }

  /** Fails fast, naming the CRD, when it is not installed (skipped when RBAC does not allow reading CRDs). */
  private void requireKeycloakCrd() {
    try {
      if (client.apiextensions().v1().customResourceDefinitions().withName(Schemas.KEYCLOAK_CRD).get() == null) {
        throw new IllegalStateException("the CustomResourceDefinition " + Schemas.KEYCLOAK_CRD
            + " is not installed; install the chart's CRDs first");
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 403) {
        throw e;
      }
    }
  }

  private void configure(ConfigurationServiceOverrider overrider) {
    overrider.withKubernetesClient(client)
        .withCloseClientOnStop(false)
        .withMetrics(new ReconcilerMetrics(registry))
        .withConcurrentReconciliationThreads(RECONCILE_THREADS)
        .withConcurrentWorkflowExecutorThreads(WORKFLOW_THREADS);
    var election = config.leaderElection();
    if (election != null) {
      overrider.withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder
          .aLeaderElectionConfiguration(election.leaseName())
          .withLeaseNamespace(election.leaseNamespace())
          .withIdentity(election.identity())
          .withLeaseDuration(election.leaseDuration())
          .withRenewDeadline(election.renewDeadline())
          .withRetryPeriod(election.retryPeriod())
          .withLeaderCallbacks(new LeaderCallbacks(() -> leader.set(true), this::stoppedLeading,
              identity -> log.info("Leader is now {}", identity)))
          // build() leaves JOSDK's own exit off: stoppedLeading decides, since it knows a close() from a loss.
          .build());
    }
  }

  /** Leadership lost while running: stop reconciling at once, so two replicas never act together. */
  private void stoppedLeading() {
    leader.set(false);
    if (closing.get()) {
      return;
    }
    if (config.leaderElection().exitOnLoss()) {
      log.error("Lost the leader lease {}; exiting so that a restart rejoins the election",
          config.leaderElection().leaseName());
      System.exit(1);
    }
    log.error("Lost the leader lease {}; stopping the reconciler", config.leaderElection().leaseName());
    Thread.ofPlatform().name("reconciler-stop").start(this::close);
  }

  private boolean isReady() {
    return !closing.get() && operator.getRuntimeInfo().isStarted()
        && operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  /** Port of the health/metrics server. */
  public int healthPort() {
    return health.port();
  }

  /** True while this instance reconciles (always, without leader election). */
  public boolean isLeader() {
    return leader.get();
  }

  public PrometheusMeterRegistry meterRegistry() {
    return registry;
  }

  /** Reconciliations finished so far, successful or not. */
  public long reconciliations() {
    return (long) ReconcilerMetrics.reconciliations(registry);
  }

  /** API write requests so far (POST/PUT/PATCH/DELETE), not counting leader-election lease renewals. */
  public long apiWrites() {
    return ApiRequestMeter.writes(registry, Set.of("leases"));
  }

  /** API write requests so far by "METHOD resource" (e.g. {@code PATCH deployments}), leases included. */
  public Map<String, Long> apiWritesByRequest() {
    return ApiRequestMeter.writesByRequest(registry);
  }

  /** Stops reconciling and the health server; idempotent. */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    try {
      operator.stop();
    } finally {
      if (health != null) {
        health.close();
      }
      client.close();
      registry.close();
    }
  }
}
