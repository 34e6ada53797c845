package io.keycloakgitops.realmsync;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;

/** A Git HTTP server on 127.0.0.1 that refuses every credential, as a forge does for a revoked token. */
final class RefusingGitServer implements AutoCloseable {
  static final String PATH = "/acme/iam.git";

  private final HttpServer server;

  RefusingGitServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
      exchange.sendResponseHeaders(401, -1);
      exchange.close();
    });
    server.start();
  }

  /** The repository URL with {@code userInfo} (a token, or {@code user:token}) before the host. */
  String url(String userInfo) {
    return "http://" + userInfo + "@" + hostAndPath();
  }

  /** What a redacted URL still shows. */
  String hostAndPath() {
    return "127.0.0.1:" + server.getAddress().getPort() + PATH;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
