package io.keycloakgitops.reconciler.runtime;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * JOSDK's hook into every controller execution, recorded as Prometheus metrics:
 * {@code keycloak_gitops_reconciliations_total{outcome}}, {@code keycloak_gitops_reconcile_errors_total} and
 * {@code keycloak_gitops_reconcile_duration_seconds}. No per-CR labels: their number is unbounded.
 */
public final class ReconcilerMetrics implements Metrics {
  public static final String RECONCILIATIONS = "keycloak.gitops.reconciliations";
  public static final String ERRORS = "keycloak.gitops.reconcile.errors";
  public static final String DURATION = "keycloak.gitops.reconcile.duration";

  private final MeterRegistry registry;
  private final Counter errors;

  public ReconcilerMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.errors = Counter.builder(ERRORS).description("Reconciliations that failed and will be retried")
        .register(registry);
    for (String outcome : new String[] {"success", "failure"}) {
      Counter.builder(RECONCILIATIONS).tag("outcome", outcome).description("Finished reconciliations")
          .register(registry);
    }
  }

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    var sample = Timer.start(registry);
    String outcome = "failure";
    try {
      T result = execution.execute();
      outcome = "success";
      return result;
    } catch (Exception e) {
      errors.increment();
      throw e;
    } finally {
      sample.stop(Timer.builder(DURATION).tag("execution", execution.name()).tag("outcome", outcome)
          .description("Time spent in one reconciliation").register(registry));
      registry.counter(RECONCILIATIONS, "outcome", outcome).increment();
    }
  }

  /** Finished reconciliations so far (both outcomes). */
  public static double reconciliations(MeterRegistry registry) {
    return registry.find(RECONCILIATIONS).counters().stream().mapToDouble(Counter::count).sum();
  }
}
