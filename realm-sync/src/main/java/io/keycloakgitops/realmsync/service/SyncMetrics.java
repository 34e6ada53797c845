package io.keycloakgitops.realmsync.service;

import io.keycloakgitops.realmsync.RealmSyncer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/** Prometheus metrics: sync duration, writes by entity and operation, failures, drift found. */
public final class SyncMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  public void synced(String realm, RealmSyncer.Outcome outcome) {
    Timer.builder("realmsync.sync.duration").description("Time to read, plan and apply one realm")
        .tag("realm", realm).tag("result", outcome.ok() ? "success" : "failure")
        .register(registry).record(Duration.ofMillis(outcome.millis()));
    outcome.writes().forEach((typeAndOp, count) -> {
      String[] parts = typeAndOp.split("/", 2);
      Counter.builder("realmsync.writes").description("Admin API writes made")
          .tag("realm", realm).tag("entity", parts[0]).tag("operation", parts[1])
          .register(registry).increment(count);
    });
    if (!outcome.ok()) {
      failed(realm, "apply");
    }
  }

  /** {@code reason}: apply, invalid-file, source, keycloak-target. */
  public void failed(String realm, String reason) {
    Counter.builder("realmsync.sync.failures").description("Failed syncs")
        .tag("realm", realm).tag("reason", reason).register(registry).increment();
  }

  public void drift(String realm, int changes) {
    Counter.builder("realmsync.drift.detected").description("Drift checks that found live edits")
        .tag("realm", realm).register(registry).increment();
    Counter.builder("realmsync.drift.changes").description("Changes found by drift checks")
        .tag("realm", realm).register(registry).increment(changes);
  }

  public String scrape() {
    return registry.scrape();
  }
}
