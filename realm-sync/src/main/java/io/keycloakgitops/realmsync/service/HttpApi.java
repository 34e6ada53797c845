package io.keycloakgitops.realmsync.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.keycloakgitops.realmsync.engine.Json;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's plain-HTTP endpoints, on two ports: the hook port serves only the push webhook
 * {@code POST /hooks/git} (the one a push Ingress exposes); the management port serves {@code GET /status},
 * {@code /metrics}, {@code /healthz} and {@code /readyz}, which name every tenant's realms and errors and so stay
 * inside the cluster.
 */
public final class HttpApi {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

  /** What a verified push does: start a round for the pushed branch. */
  public interface PushHandler {
    /** The branch pushes are watched for ({@code main}); null when no Git source is configured. */
    String branch();

    void pushed();
  }

  private HttpApi() {}

  /** The hook port: {@code POST /hooks/git} and nothing else. */
  public static Javalin startHooks(String bind, int port, WebhookVerifier verifier, PushHandler push,
      BooleanSupplier leader) {
    return Javalin.create(config -> {
      config.jetty.host = bind;
      config.jetty.port = port;
      config.startup.showJavalinBanner = false;
      config.routes.post("/hooks/git", ctx -> webhook(ctx, verifier, push, leader));
    }).start();
  }

  /** The management port: status, metrics and probes. */
  public static Javalin startManagement(String bind, int port, StatusRegistry status, SyncMetrics metrics) {
    return Javalin.create(config -> {
      config.jetty.host = bind;
      config.jetty.port = port;
      config.startup.showJavalinBanner = false;
      config.routes.get("/status", ctx -> ctx.contentType("application/json").result(Json.writePretty(status.toJson())));
      config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
      config.routes.get("/healthz", ctx -> ctx.result("ok"));
      config.routes.get("/readyz", ctx -> ctx.result("ready"));
    }).start();
  }

  private static void webhook(Context ctx, WebhookVerifier verifier, PushHandler push, BooleanSupplier leader) {
    byte[] body = ctx.bodyAsBytes();
    if (!verifier.verify(body, ctx.header("X-Hub-Signature-256"), ctx.header("X-Gitlab-Token"))) {
      LOG.atWarn().addKeyValue("remote", ctx.ip()).log("push webhook rejected: missing or wrong signature");
      reply(ctx, 401, verifier.configured() ? "invalid or missing signature" : "no webhook secret configured");
      return;
    }
    if (push.branch() == null) {
      reply(ctx, 404, "no Git source configured");
      return;
    }
    if ("ping".equals(ctx.header("X-GitHub-Event"))) {
      reply(ctx, 200, "pong");
      return;
    }
    String ref = refOf(body);
    if (ref != null && !ref.equals("refs/heads/" + push.branch())) {
      reply(ctx, 202, "ignored: push to " + ref);
      return;
    }
    if (!leader.getAsBoolean()) {
      reply(ctx, 503, "not the leader: the leader polls the repository");
      return;
    }
    push.pushed();
    reply(ctx, 202, "sync started");
  }

  private static String refOf(byte[] body) {
    try {
      JsonNode event = Json.MAPPER.readTree(body);
      return event == null ? null : Json.text(event, "ref");
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static void reply(Context ctx, int status, String message) {
    ctx.status(status).contentType("application/json").result(Json.write(Json.object().put("message", message)));
  }
}
