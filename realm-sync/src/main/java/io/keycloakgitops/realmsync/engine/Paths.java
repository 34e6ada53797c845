package io.keycloakgitops.realmsync.engine;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Builds admin API paths from names, which may hold spaces and other reserved characters. */
public final class Paths {
  private Paths() {}

  /** One percent-encoded path segment. */
  public static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A group path ({@code /parent/child}) with each name encoded. */
  public static String groupPath(String path) {
    var out = new StringBuilder();
    for (String name : path.substring(1).split("/", -1)) {
      out.append('/').append(segment(name));
    }
    return out.toString();
  }
}
