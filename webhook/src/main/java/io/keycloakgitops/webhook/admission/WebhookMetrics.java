package io.keycloakgitops.webhook.admission;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Prometheus metrics of the webhook: requests by outcome, denials by rule, request latency. */
public final class WebhookMetrics {
  private final MeterRegistry registry;
  private final Map<String, Counter> requests = new ConcurrentHashMap<>();
  private final Timer validateLatency;
  private final Timer mutateLatency;

  public WebhookMetrics(MeterRegistry registry) {
    this.registry = registry;
    validateLatency = latency("validate");
    mutateLatency = latency("mutate");
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** @param result allowed, denied, patched, bad_request, too_large (413) or too_many (429) */
  public void request(String endpoint, String kind, String operation, String result) {
    // Looked up by a plain string key: building the meter id on every request showed in the profile.
    requests.computeIfAbsent(endpoint + '|' + kind + '|' + operation + '|' + result, key -> Counter.builder("webhook.requests")
        .description("Admission requests by endpoint, kind, operation and result")
        .tags("endpoint", endpoint, "kind", kind, "operation", operation, "result", result)
        .register(registry)).increment();
  }

  public void denial(String rule) {
    Counter.builder("webhook.denials").description("Denied admission requests, once per rule that denied")
        .tag("rule", rule).register(registry).increment();
  }

  public Timer latency(AdmissionHandler.Endpoint endpoint) {
    return endpoint == AdmissionHandler.Endpoint.VALIDATE ? validateLatency : mutateLatency;
  }

  private Timer latency(String endpoint) {
    return Timer.builder("webhook.request.duration").description("Time to answer an admission request")
        .tag("endpoint", endpoint)
        .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5))
        .register(registry);
  }
}
