package io.keycloakgitops.webhook.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.keycloakgitops.webhook.Json;
import io.keycloakgitops.webhook.tls.CertificateFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The benchmark's floor: a bare Javalin HTTPS endpoint, configured like the webhook (TLS connector, thread pool),
 * that parses the review into a Jackson tree and answers "allowed" with its uid. The webhook's throughput is
 * compared with this one's in the same run. Arguments: port, certificate directory (tls.crt, tls.key).
 */
public final class FloorServer {
  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    var serving = new CertificateFiles(Path.of(args[1]), Duration.ofHours(1)).start();
    Javalin.create(javalin -> {
      javalin.startup.showJavalinBanner = false;
      javalin.startup.showOldJavalinVersionWarning = false;
      var threads = new QueuedThreadPool(32, 4);
      threads.setReservedThreads(0);
      javalin.jetty.threadPool = threads;
      javalin.jetty.addConnector((server, httpConfiguration) -> {
        httpConfiguration.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
        var connector = new ServerConnector(server,
            new SslConnectionFactory(serving.sslContextFactory(), HttpVersion.HTTP_1_1.asString()),
            new HttpConnectionFactory(httpConfiguration));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        return connector;
      });
      javalin.routes.post("/validate", ctx -> {
        JsonNode review = Json.MAPPER.readTree(ctx.req().getInputStream()
            .readNBytes((int) ctx.req().getContentLengthLong()));
        byte[] answer = ("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":{\"uid\":\""
            + review.path("request").path("uid").asText() + "\",\"allowed\":true}}").getBytes(StandardCharsets.UTF_8);
        ctx.contentType("application/json");
        ctx.res().setContentLength(answer.length);
        ctx.res().getOutputStream().write(answer);
      });
      javalin.routes.get("/readyz", ctx -> ctx.result("ok\n"));
    }).start();
  }

  private FloorServer() {}
}
