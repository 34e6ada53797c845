package io.keycloakgitops.realmsync.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.engine.Paths;
import io.keycloakgitops.realmsync.engine.RealmApi;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jboss.resteasy.client.jaxrs.ResteasyClientBuilder;
import org.keycloak.admin.client.JacksonProvider;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.BearerAuthFilter;
import org.keycloak.admin.client.spi.ResteasyClientClassicProvider;
import org.keycloak.OAuth2Constants;

/**
 * One connection to a Keycloak server through keycloak-admin-client: its token manager logs in and refreshes the
 * token, its RESTEasy client (pooled, with timeouts and a {@link RequestCounter}) carries the calls. Payloads are
 * JSON trees rather than the library's representation classes, so fields newer than the client library (the
 * server may be a later 26.x) are compared and written, not silently dropped.
 */
public final class KeycloakAdmin implements AutoCloseable {
  private static final int POOL = 16;
  /** Parallel reads: enough to hide latency, few enough not to load a busy server. */
  static final int READ_PARALLELISM = 4;
  private static final Duration LOGOUT_WAIT = Duration.ofSeconds(2);

  private final KeycloakTarget target;
  private final Client client;
  private final Keycloak keycloak;
  private final BearerAuthFilter auth;
  private final RequestCounter counter = new RequestCounter();
  private final ExecutorService readers;
  private final Backoff backoff;

  /** The token endpoint refused or failed the login: the request itself was never sent. */
  static final class LoginFailed extends KeycloakException {
    LoginFailed(String message, int status, Throwable cause) {
      super(message, status, cause);
    }
  }

  /**
   * How long one admin call may wait to connect and for each read: bounded, so that a hung server fails its own
   * syncs instead of holding a worker.
   */
  public record Timeouts(Duration connect, Duration read) {
    public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(60));

    public Timeouts {
      if (connect.isNegative() || connect.isZero() || read.isNegative() || read.isZero()) {
        throw new IllegalArgumentException("Keycloak timeouts must be positive");
      }
    }
  }

  private KeycloakAdmin(KeycloakTarget target, int readParallelism, Timeouts timeouts, Backoff backoff) {
    this.target = target;
    this.backoff = backoff;
    ResteasyClientBuilder builder = ResteasyClientClassicProvider.createClientBuilder();
    builder.connectionPoolSize(POOL).maxPooledPerRoute(POOL)
        .connectTimeout(timeouts.connect().toMillis(), TimeUnit.MILLISECONDS)
        .readTimeout(timeouts.read().toMillis(), TimeUnit.MILLISECONDS)
        .register(new JacksonProvider(), 100).register(counter);
    if (target.caFile() != null) {
      builder.sslContext(sslContext(target));
    }
    this.client = builder.build();
    var kc = KeycloakBuilder.builder().serverUrl(target.url()).realm(target.authRealm()).resteasyClient(client);
    if (target.usesClientCredentials()) {
      kc.grantType(OAuth2Constants.CLIENT_CREDENTIALS).clientId(target.clientId()).clientSecret(target.clientSecret());
    } else {
      kc.grantType(OAuth2Constants.PASSWORD).clientId(target.clientId() == null ? "admin-cli" : target.clientId())
          .username(target.username()).password(target.password());
      if (target.clientSecret() != null) {
        kc.clientSecret(target.clientSecret());
      }
    }
    this.keycloak = kc.build();
    this.auth = new BearerAuthFilter(keycloak.tokenManager());
    var threads = new AtomicInteger();
    this.readers = Executors.newFixedThreadPool(readParallelism, r -> {
      var thread = new Thread(r, "keycloak-read-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  public static KeycloakAdmin connect(KeycloakTarget target) {
    return connect(target, Timeouts.DEFAULT);
  }

  public static KeycloakAdmin connect(KeycloakTarget target, Timeouts timeouts) {
    return new KeycloakAdmin(target, READ_PARALLELISM, timeouts, Backoff.DEFAULT);
  }

  public KeycloakTarget target() {
    return target;
  }

  /** Counts of requests made through this connection. */
  public RequestCounter counter() {
    return counter;
  }

  /** The pool used to read a realm in parallel. */
  public ExecutorService readers() {
    return readers;
  }

  /** The realms on the server (full top-level representations, attributes included). */
  public JsonNode realms() {
    return call("GET", URI.create(target.url() + "/admin/realms?briefRepresentation=false"), null);
  }

  /** GET /admin/serverinfo (version, providers). */
  public JsonNode serverInfo() {
    return call("GET", URI.create(target.url() + "/admin/serverinfo"), null);
  }

  public RealmApi realm(String name) {
    return new RestRealmApi(name);
  }

  /**
   * Logs out (best effort) and closes the connections. A call hung on the server holds the token manager that
   * logging out needs: after a short wait the HTTP client is closed under it, which aborts that call, so closing
   * never waits for the read timeout.
   */
  @Override
  public void close() {
    readers.shutdownNow();
    var logout = new Thread(() -> {
      try {
        keycloak.close();
      } catch (RuntimeException e) {
        // the client was closed under it: nothing left to log out of
      }
    }, "keycloak-logout");
    logout.setDaemon(true);
    logout.start();
    try {
      logout.join(LOGOUT_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    client.close();
  }

  /**
   * One admin call. A read, or a call whose login failed (nothing was sent), is retried with {@link Backoff} when
   * the server answers 5xx: an overloaded Keycloak gets time to recover instead of more load.
   */
  JsonNode call(String method, URI uri, JsonNode body) {
    return backoff.call(() -> exchange(method, uri, body, response -> readBody(method, uri, response)),
        e -> retryable(method, e));
  }

  /** Sends once and reads the answer, timed until its body is read (the request counter's slowest call). */
  private <T> T exchange(String method, URI uri, JsonNode body, Function<Response, T> read) {
    long start = System.nanoTime();
    try (Response response = send(method, uri, body)) {
      return read.apply(response);
    } finally {
      counter.finished(method, uri.getPath(), (System.nanoTime() - start) / 1_000_000);
    }
  }

  /** A 5xx is retried for a read, or when the login failed (nothing was sent); never for a write that reached it. */
  static boolean retryable(String method, RuntimeException failure) {
    return failure instanceof KeycloakException k && k.status() >= 500
        && ("GET".equals(method) || k instanceof LoginFailed);
  }

  /**
   * Sends once more after a 401 with a fresh login: a token can die before it expires (a restarted server with
   * an in-memory database no longer knows it), and a refused request changed nothing.
   */
  private Response send(String method, URI uri, JsonNode body) {
    Response response = sendOnce(method, uri, body);
    if (response.getStatus() == 401) {
      response.close();
      try {
        keycloak.tokenManager().grantToken();
      } catch (RuntimeException e) {
        throw failure(method + " " + uri.getPath(), e);
      }
      response = sendOnce(method, uri, body);
    }
    return response;
  }

  private Response sendOnce(String method, URI uri, JsonNode body) {
    try {
      Invocation.Builder request = client.target(uri).register(auth).request(MediaType.APPLICATION_JSON_TYPE);
      return body == null ? request.method(method) : request.method(method, Entity.json(Json.write(body)));
    } catch (ProcessingException | jakarta.ws.rs.WebApplicationException e) {
      throw failure(method + " " + uri.getPath(), e);
    }
  }

  private static JsonNode readBody(String method, URI uri, Response response) {
    int status = response.getStatus();
    String text = response.hasEntity() ? response.readEntity(String.class) : "";
    if (status >= 400) {
      throw new KeycloakException(method + " " + uri.getPath() + " failed: HTTP " + status + errorMessage(text), status, null);
    }
    return text.isBlank() ? Json.NODES.nullNode() : Json.read(text);
  }

  private static String errorMessage(String body) {
    try {
      JsonNode error = Json.MAPPER.readTree(body);
      for (String field : List.of("errorMessage", "error_description", "error")) {
        if (error.hasNonNull(field)) {
          return ": " + error.get(field).asText();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not JSON: no detail worth showing
    }
    return "";
  }

  /** Tells a refused login (status from the token endpoint) apart from a server that cannot be reached. */
  private KeycloakException failure(String what, RuntimeException e) {
    if (e instanceof KeycloakException k) {
      return k;
    }
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof jakarta.ws.rs.WebApplicationException w) {
        int status = w.getResponse().getStatus();
        return new LoginFailed(what + " failed: login to realm " + target.authRealm() + " refused (HTTP "
            + status + ")", status, e);
      }
      root = t;
    }
    return new KeycloakException(what + " failed: Keycloak at " + target.url() + " unreachable ("
        + root.getClass().getSimpleName() + ": " + root.getMessage() + ")", 0, e);
  }

  private static SSLContext sslContext(KeycloakTarget target) {
    try (InputStream in = Files.newInputStream(target.caFile())) {
      var store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + i++, (X509Certificate) cert);
      }
      var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      var context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read CA file " + target.caFile() + ": " + e.getMessage(), e);
    }
  }

  /** The admin API of one realm; counts its own writes for the engine's per-sync accounting. */
  private final class RestRealmApi implements RealmApi {
    private final String realm;
    private final String base;
    private final AtomicInteger writes = new AtomicInteger();

    RestRealmApi(String realm) {
      this.realm = realm;
      this.base = target.url() + "/admin/realms/" + Paths.segment(realm);
    }

    @Override
    public String realm() {
      return realm;
    }

    @Override
    public JsonNode get(String path, Object... query) {
      return call("GET", uri(path, query), null);
    }

    @Override
    public Optional<JsonNode> find(String path, Object... query) {
      try {
        return Optional.of(get(path, query));
      } catch (KeycloakException e) {
        if (e.status() == 404) {
          return Optional.empty();
        }
        throw e;
      }
    }

    @Override
    public JsonNode postForJson(String path, JsonNode body) {
      writes.incrementAndGet();
      return call("POST", uri(path), body);
    }

    @Override
    public String post(String path, JsonNode body) {
      URI uri = uri(path);
      writes.incrementAndGet();
      return exchange("POST", uri, body, response -> {
        readBody("POST", uri, response);
        URI location = response.getLocation();
        if (location == null) {
          return null;
        }
        String locationPath = location.getPath();
        return locationPath.substring(locationPath.lastIndexOf('/') + 1);
      });
    }

    @Override
    public void put(String path, JsonNode body) {
      writes.incrementAndGet();
      call("PUT", uri(path), body);
    }

    @Override
    public void delete(String path) {
      delete(path, null);
    }

    @Override
    public void delete(String path, JsonNode body) {
      writes.incrementAndGet();
      try {
        call("DELETE", uri(path), body);
      } catch (KeycloakException e) {
        if (e.status() != 404) {
          throw e;
        }
        // already gone (a parent group took it along, or someone else deleted it): that is what was wanted
      }
    }

    @Override
    public void createRealm(JsonNode realmRep) {
      writes.incrementAndGet();
      call("POST", URI.create(target.url() + "/admin/realms"), realmRep);
    }

    @Override
    public void deleteRealm() {
      writes.incrementAndGet();
      call("DELETE", URI.create(base), null);
    }

    @Override
    public int writes() {
      return writes.get();
    }

    private URI uri(String path, Object... query) {
      var out = new StringBuilder(base).append(path);
      for (int i = 0; i + 1 < query.length; i += 2) {
        out.append(i == 0 ? '?' : '&').append(query[i]).append('=')
            .append(URLEncoder.encode(String.valueOf(query[i + 1]), StandardCharsets.UTF_8));
      }
      return URI.create(out.toString());
    }
  }
}
