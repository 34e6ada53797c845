package io.keycloakgitops.realmsync.keycloak;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts every admin API request leaving the client (token requests excluded): the ground truth for "zero writes"
 * that tests and the benchmark check, independent of what the engine thinks it did.
 */
public final class RequestCounter implements ClientRequestFilter {
  private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  private final AtomicLong reads = new AtomicLong();
  private final AtomicLong writes = new AtomicLong();

  @Override
  public void filter(ClientRequestContext request) {
    if (!request.getUri().getPath().contains("/admin/")) {
      return;
    }
    if (READ_METHODS.contains(request.getMethod()) || request.getUri().getPath().endsWith("/partial-export")) {
      reads.incrementAndGet();
    } else {
      writes.incrementAndGet();
    }
  }

  public long reads() {
    return reads.get();
  }

  public long writes() {
    return writes.get();
  }
}
