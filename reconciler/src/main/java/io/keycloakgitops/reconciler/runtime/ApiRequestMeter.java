package io.keycloakgitops.reconciler.runtime;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Counts the reconciler's requests to the Kubernetes API by method and resource
 * ({@code keycloak_gitops_api_requests_total}): the writes of a no-op reconciliation should be zero, and this is
 * how that is measured, in tests, the benchmark and production.
 */
public final class ApiRequestMeter implements Interceptor {
  public static final String REQUESTS = "keycloak.gitops.api.requests";
  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
  /** POSTed but never stored: access reviews ask a question and change nothing. */
  private static final Set<String> REVIEWS = Set.of("selfsubjectaccessreviews", "selfsubjectrulesreviews",
      "subjectaccessreviews", "localsubjectaccessreviews", "tokenreviews");

  private final MeterRegistry registry;

  public ApiRequestMeter(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    registry.counter(REQUESTS, "method", request.method(), "resource", resource(request.uri())).increment();
  }

  /** Write requests so far, not counting the given resources (e.g. "leases" renewed by leader election). */
  public static long writes(MeterRegistry registry, Set<String> ignoredResources) {
    return writesByRequest(registry).entrySet().stream()
        .filter(e -> !ignoredResources.contains(e.getKey().substring(e.getKey().indexOf(' ') + 1)))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /** Write requests so far by "METHOD resource", e.g. {@code PATCH deployments} (access reviews excluded). */
  public static Map<String, Long> writesByRequest(MeterRegistry registry) {
    var writes = new TreeMap<String, Long>();
    registry.find(REQUESTS).counters().stream()
        .filter(c -> WRITES.contains(c.getId().getTag("method")))
        .filter(c -> !REVIEWS.contains(c.getId().getTag("resource")))
        .forEach(c -> writes.merge(c.getId().getTag("method") + " " + c.getId().getTag("resource"),
            (long) c.count(), Long::sum));
    return writes;
  }

  /**
   * The resource of an API path, e.g. {@code deployments} for {@code /apis/apps/v1/namespaces/x/deployments/y}
   * and {@code keycloaks/status} for a status write.
   */
  static String resource(URI uri) {
    String[] parts = uri.getPath().replaceFirst("^/", "").split("/");
    int at = switch (parts[0]) {
      case "api" -> 2;
      case "apis" -> 3;
      default -> -1;
    };
    if (at < 0 || at >= parts.length) {
      return "other";
    }
    if (parts[at].equals("namespaces") && parts.length > at + 2) {
      at += 2;
    }
    String resource = parts[at];
    return parts.length > at + 2 ? resource + "/" + parts[at + 2] : resource;
  }
}
