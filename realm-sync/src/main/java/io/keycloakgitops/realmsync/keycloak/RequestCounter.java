package io.keycloakgitops.realmsync.keycloak;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * Counts every admin API request leaving the client (token requests excluded): the ground truth for "zero writes"
 * that tests and the benchmark check, independent of what the engine thinks it did. Counts by kind too (method and
 * path with ids and names replaced by {@code *}), which is the request profile of a read, and keeps the slowest.
 */
public final class RequestCounter implements ClientRequestFilter {
  private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");
  /** Path segments after which comes a name rather than a collection ({@code /roles/{name}/users}). */
  private static final Set<String> NAMED_BY = Set.of("roles", "flows", "instances", "config", "clients", "users",
      "groups", "client-scopes", "components", "roles-by-id", "executions");
  private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private final AtomicLong reads = new AtomicLong();
  private final AtomicLong writes = new AtomicLong();
  private final Map<String, LongAdder> byKind = new ConcurrentHashMap<>();
  private Slowest slowest;

  /** The slowest request so far: its kind, path and duration. */
  public record Slowest(String kind, String path, long millis) {}

  @Override
  public void filter(ClientRequestContext request) {
    String path = request.getUri().getPath();
    if (!path.contains("/admin/")) {
      return;
    }
    if (READ_METHODS.contains(request.getMethod()) || path.endsWith("/partial-export")) {
      reads.incrementAndGet();
    } else {
      writes.incrementAndGet();
    }
    byKind.computeIfAbsent(kind(request.getMethod(), path), k -> new LongAdder()).increment();
  }

  /**
   * Records how long a call took from sending to its body read: a response filter would see only the headers, and
   * Keycloak streams a large list (3,000 clients: 36 s) after them.
   */
  public void finished(String method, String path, long millis) {
    if (!path.contains("/admin/")) {
      return;
    }
    synchronized (this) {
      if (slowest == null || millis > slowest.millis()) {
        slowest = new Slowest(kind(method, path), path, millis);
      }
    }
  }

  /**
   * {@code GET /admin/realms/r/groups/<id>/members} becomes {@code GET groups/*}{@code /members}: the realm, ids
   * and names are left out so that requests of one kind count together.
   */
  static String kind(String method, String path) {
    String rest = path.substring(path.indexOf("/admin/") + "/admin/".length());
    String[] segments = rest.split("/");
    var out = new StringBuilder();
    // realms/<realm>/... : the realm's own path starts after its name
    int start = segments.length >= 2 && segments[0].equals("realms") ? 2 : 0;
    if (start == 2 && segments.length == 2) {
      return method + " realm";
    }
    for (int i = start; i < segments.length; i++) {
      boolean named = i > start && NAMED_BY.contains(segments[i - 1]) && !NAMED_BY.contains(segments[i])
          || UUID.matcher(segments[i]).matches();
      if (i > start) {
        out.append('/');
      }
      out.append(named ? "*" : segments[i]);
    }
    return method + " " + out;
  }

  public long reads() {
    return reads.get();
  }

  public long writes() {
    return writes.get();
  }

  /** Requests so far by kind, sorted. */
  public Map<String, Long> byKind() {
    var out = new TreeMap<String, Long>();
    byKind.forEach((kind, n) -> out.put(kind, n.sum()));
    return out;
  }

  public synchronized Slowest slowest() {
    return slowest;
  }
}
