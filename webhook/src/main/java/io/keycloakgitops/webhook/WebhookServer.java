package io.keycloakgitops.webhook;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.keycloakgitops.webhook.admission.AdmissionHandler;
import io.keycloakgitops.webhook.admission.AdmissionHandler.Endpoint;
import io.keycloakgitops.webhook.admission.BadRequestException;
import io.keycloakgitops.webhook.admission.ParseBudget;
import io.keycloakgitops.webhook.admission.WebhookMetrics;
import io.keycloakgitops.webhook.rules.NamespacePolicy;
import io.keycloakgitops.webhook.rules.Validator;
import io.keycloakgitops.webhook.tls.CaBundlePublisher;
import io.keycloakgitops.webhook.tls.CertificateFiles;
import io.keycloakgitops.webhook.tls.DirectoryCertStore;
import io.keycloakgitops.webhook.tls.ManagedCertificates;
import io.keycloakgitops.webhook.tls.MemoryCertStore;
import io.keycloakgitops.webhook.tls.Rotation;
import io.keycloakgitops.webhook.tls.SecretCertStore;
import io.keycloakgitops.webhook.tls.ServingCertificate;
import io.keycloakgitops.webhook.tls.TlsSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admission webhook over HTTPS on one port: {@code POST /validate}, {@code POST /mutate}, {@code GET /healthz},
 * {@code /readyz}, {@code /metrics}. Javalin on Jetty 12 with a single TLS connector on the bind address (no
 * default connector); the certificate is swapped in place when it rotates.
 */
public final class WebhookServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
  private static final int MAX_THREADS = 32;
  private static final int MIN_THREADS = 4;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private final WebhookConfig config;
  private final TlsSource tls;
  private final AutoCloseable policy;
  private final PrometheusMeterRegistry registry;
  private final Javalin app;
  private final AtomicBoolean ready;

  private WebhookServer(WebhookConfig config, TlsSource tls, AutoCloseable policy, PrometheusMeterRegistry registry,
      Javalin app, AtomicBoolean ready) {
    this.config = config;
    this.tls = tls;
    this.policy = policy;
    this.registry = registry;
    this.app = app;
    this.ready = ready;
  }

  /** Starts the server; it is ready when this returns. Fails fast with a clear message on bad configuration. */
  public static WebhookServer start(WebhookConfig config) {
    config.validated();
    long started = System.nanoTime();
    // The schemas compile on one core while TLS and Jetty come up on the other.
    CompletableFuture<Validator> validator = CompletableFuture.supplyAsync(Validator::load);
    PolicyFile policyFile = config.policyFile() == null ? null : new PolicyFile(config.policyFile(), config.checkInterval());
    Supplier<NamespacePolicy> policy = policyFile == null ? () -> NamespacePolicy.DEFAULT : policyFile;
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(), new ProcessorMetrics(),
        new UptimeMetrics()).forEach(binder -> binder.bindTo(registry));
    TlsSource tls = tlsSource(config, registry);
    ServingCertificate serving = tls.start();
    Gauge.builder("webhook.certificate.expiry", serving, s -> s.current().getNotAfter().getTime() / 1000.0)
        .description("When the serving certificate expires (unix seconds)").baseUnit("seconds").register(registry);
    var metrics = new WebhookMetrics(registry);
    CompletableFuture<AdmissionHandler> handler =
        validator.thenApply(loaded -> new AdmissionHandler(loaded, policy, metrics));
    ParseBudget budget = ParseBudget.forThisJvm();
    Gauge.builder("webhook.parse.budget.available", budget, ParseBudget::available).baseUnit("kibibytes")
        .description("Heap still free for parsing reviews (of " + budget.capacity() + " KiB); 0 means 429s")
        .register(registry);
    var ready = new AtomicBoolean();
    Javalin app = Javalin.create(javalin -> {
      javalin.startup.showJavalinBanner = false;
      javalin.startup.showOldJavalinVersionWarning = false;
      javalin.http.maxRequestSize = AdmissionHandler.MAX_BODY_BYTES + 1L;
      javalin.jetty.host = config.bindAddress();
      // The API server keeps a few connections open; a small pool avoids idle-thread churn on small CPUs.
      var threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
      threads.setName("webhook-http");
      threads.setReservedThreads(0);
      javalin.jetty.threadPool = threads;
      // On stop, requests in flight are finished (up to this long) instead of cut off.
      javalin.jetty.modifyServer(server -> server.setStopTimeout(STOP_TIMEOUT.toMillis()));
      javalin.jetty.addConnector((server, httpConfiguration) -> {
        // SNI host checks would refuse clients that call by IP (the API server with a url clientConfig).
        httpConfiguration.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
        httpConfiguration.setSendServerVersion(false);
        var connector = new ServerConnector(server,
            new SslConnectionFactory(serving.sslContextFactory(), HttpVersion.HTTP_1_1.asString()),
            new HttpConnectionFactory(httpConfiguration));
        connector.setHost(config.bindAddress());
        connector.setPort(config.port());
        return connector;
      });
      javalin.routes.post("/validate", ctx -> admit(ctx, handler.join(), metrics, budget, Endpoint.VALIDATE));
      javalin.routes.post("/mutate", ctx -> admit(ctx, handler.join(), metrics, budget, Endpoint.MUTATE));
      javalin.routes.get("/healthz", ctx -> ctx.result("ok\n"));
      javalin.routes.get("/readyz", ctx -> ctx.status(ready.get() ? 200 : 503).result(ready.get() ? "ok\n" : "not ready\n"));
      javalin.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
          .result(registry.scrape()));
      javalin.routes.exception(Exception.class, (e, ctx) -> {
        LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
        ctx.status(500).contentType("text/plain").result("internal error; see the webhook log\n");
      });
    });
    try {
      app.start();
    } catch (RuntimeException e) {
      tls.close();
      closeQuietly(policyFile);
      throw new IllegalStateException("cannot listen on " + config.bindAddress() + ":" + config.port() + ": "
          + e.getMessage(), e);
    }
    try {
      handler.join();
    } catch (CompletionException e) {
      app.stop();
      tls.close();
      closeQuietly(policyFile);
      throw new IllegalStateException("cannot load the schemas: " + e.getCause().getMessage(), e.getCause());
    }
    var server = new WebhookServer(config, tls, policyFile, registry, app, ready);
    ready.set(true);
    LOG.info("webhook listening on {} in {} ms", server.baseUrl(), (System.nanoTime() - started) / 1_000_000);
    return server;
  }

  private static void admit(Context ctx, AdmissionHandler handler, WebhookMetrics metrics, ParseBudget budget,
      Endpoint endpoint) throws IOException {
    var sample = io.micrometer.core.instrument.Timer.start();
    String endpointName = endpoint.name().toLowerCase(Locale.ROOT);
    try {
      String contentType = ctx.header("Content-Type");
      if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
        metrics.request(endpointName, "", "", "bad_request");
        badRequest(ctx, 400, "Content-Type must be application/json, not " + (contentType == null ? "missing" : contentType));
        return;
      }
      long declared = ctx.req().getContentLengthLong();
      if (declared > AdmissionHandler.MAX_BODY_BYTES) {
        metrics.request(endpointName, "", "", "too_large");
        drainOversizedBody(ctx);
        badRequest(ctx, 413, "request body larger than " + AdmissionHandler.MAX_BODY_BYTES + " bytes");
        return;
      }
      int weight = ParseBudget.weight(declared);
      if (!budget.tryAcquire(weight)) {
        // Unread: reading it is what the budget protects. The connection closes after the answer.
        metrics.request(endpointName, "", "", "too_many");
        ctx.header("Connection", "close").header("Retry-After", "1");
        badRequest(ctx, 429, "too many large reviews in progress; retry");
        return;
      }
      try {
        // A chunked body is read one byte past the limit, so that one too large is recognised as such.
        byte[] body = ctx.req().getInputStream().readNBytes(declared >= 0 ? (int) declared
            : AdmissionHandler.MAX_BODY_BYTES + 1);
        if (body.length > AdmissionHandler.MAX_BODY_BYTES) {
          drainOversizedBody(ctx);
        }
        byte[] response = handler.serialize(handler.handle(endpoint, body));
        // Written straight to the servlet stream: ctx.result() would copy it once more through a buffer, and
        // ctx.outputStream() gzips bodies over 1,500 bytes, which would no longer match the declared length.
        ctx.contentType("application/json");
        ctx.res().setContentLength(response.length);
        ctx.res().getOutputStream().write(response);
      } finally {
        budget.release(weight);
      }
    } catch (BadRequestException e) {
      badRequest(ctx, e.status(), e.getMessage());
    } finally {
      sample.stop(metrics.latency(endpoint));
    }
  }

  /**
   * Reads (a bounded amount of) what is left of a too large body and closes the connection after the answer:
   * closing a socket with unread data resets it, and the client would never see the 400.
   */
  private static void drainOversizedBody(Context ctx) throws IOException {
    ctx.header("Connection", "close");
    var in = ctx.req().getInputStream();
    long budget = 4L * AdmissionHandler.MAX_BODY_BYTES;
    byte[] buffer = new byte[64 * 1024];
    for (int read = in.read(buffer); read > 0 && budget > 0; read = in.read(buffer)) {
      budget -= read;
    }
  }

  private static void badRequest(Context ctx, int status, String reason) {
    ctx.status(status).contentType("text/plain; charset=utf-8").result(reason + "\n");
  }

  private static TlsSource tlsSource(WebhookConfig config, PrometheusMeterRegistry registry) {
    if (config.certDir() != null && CertificateFiles.present(config.certDir())
        && !DirectoryCertStore.holdsGenerated(config.certDir())) {
      LOG.info("serving the external certificate in {} (reloaded on change)", config.certDir());
      return new CertificateFiles(config.certDir(), config.checkInterval());
    }
    var store = config.certSecret() != null
        ? new SecretCertStore(config.client(), config.namespace(), config.certSecret())
        : config.certDir() != null ? new DirectoryCertStore(config.certDir()) : new MemoryCertStore();
    // Only a shared Secret gives all replicas one CA; with per-replica certificates they would fight over caBundle.
    var publisher = config.certSecret() == null || config.webhookConfigName() == null ? null
        : new CaBundlePublisher(config.client(), config.webhookConfigName());
    var policy = new Rotation.Policy(dnsNames(config), ipAddresses(config.bindAddress()), config.caLifetime(),
        config.certLifetime());
    var managed = new ManagedCertificates(store,
        new ManagedCertificates.Settings(policy, config.checkInterval(), config.caSettle()), publisher,
        Clock.systemUTC());
    managed.onRotation(step -> Counter.builder("webhook.certificate.rotations").tag("step", step.name().toLowerCase())
        .description("Certificate creations, CA rotations and serving certificate renewals").register(registry)
        .increment());
    LOG.info("self-managed certificates in {}{}", store.describe(),
        publisher == null ? "" : ", CA bundle published to webhook configurations " + config.webhookConfigName());
    return managed;
  }

  /** The names the API server may call the Service by. */
  static List<String> dnsNames(WebhookConfig config) {
    var names = new ArrayList<String>();
    String service = config.serviceName();
    names.add(service);
    if (config.namespace() != null && !config.namespace().isBlank()) {
      String namespace = config.namespace();
      names.addAll(List.of(service + "." + namespace, service + "." + namespace + ".svc",
          service + "." + namespace + ".svc.cluster.local"));
    }
    if (isLoopback(config.bindAddress())) {
      names.add("localhost");
    }
    return names;
  }

  /** The bind address when it is a specific IP (a wildcard address is no name to check). */
  static List<String> ipAddresses(String bindAddress) {
    try {
      InetAddress address = InetAddress.getByName(bindAddress);
      return address.isAnyLocalAddress() ? List.of() : List.of(address.getHostAddress());
    } catch (UnknownHostException e) {
      return List.of();
    }
  }

  private static boolean isLoopback(String bindAddress) {
    try {
      return InetAddress.getByName(bindAddress).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  public int port() {
    return app.port();
  }

  /** https://host:port, with a loopback host when the server listens on every address. */
  public String baseUrl() {
    String host = config.bindAddress();
    try {
      InetAddress address = InetAddress.getByName(host);
      if (address.isAnyLocalAddress()) {
        host = "127.0.0.1";
      } else if (address instanceof java.net.Inet6Address) {
        host = "[" + address.getHostAddress() + "]";
      }
    } catch (UnknownHostException e) {
      // a host name: use it as given
    }
    return "https://" + host + ":" + port();
  }

  /** The CA bundle (PEM) for the webhook configurations' caBundle; null with external certificates without ca.crt. */
  public String caBundlePem() {
    return tls.caBundlePem();
  }

  public X509Certificate servingCertificate() {
    return tls.serving().current();
  }

  public PrometheusMeterRegistry meterRegistry() {
    return registry;
  }

  /**
   * A graceful stop for a pod: report not ready first and keep serving for {@code delay}, so that the Service stops
   * sending requests here before the port closes.
   */
  public void drainAndClose(Duration delay) {
    ready.set(false);
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    close();
  }

  @Override
  public void close() {
    ready.set(false);
    app.stop();
    tls.close();
    closeQuietly(policy);
    registry.close();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.debug("close failed", e);
    }
  }
}
