package io.keycloakgitops.reconciler.runtime;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.BooleanSupplier;

/** Plain-HTTP {@code /healthz} (process alive), {@code /readyz} (informers synced and healthy), {@code /metrics}. */
public final class HealthServer implements AutoCloseable {
  private final Javalin app;

  private HealthServer(Javalin app) {
    this.app = app;
  }

  public static HealthServer start(String bind, int port, PrometheusMeterRegistry registry, BooleanSupplier live,
      BooleanSupplier ready) {
    var app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.jetty.host = bind;
      config.jetty.port = port;
      config.routes.get("/healthz", ctx -> {
        boolean isLive = live.getAsBoolean();
        ctx.status(isLive ? 200 : 503).result(isLive ? "ok" : "stopping");
      });
      config.routes.get("/readyz", ctx -> {
        boolean isReady = ready.getAsBoolean();
        ctx.status(isReady ? 200 : 503).result(isReady ? "ok" : "informers not synced or unhealthy");
      });
      config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
          .result(registry.scrape()));
    });
    app.start();
    return new HealthServer(app);
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }
}
