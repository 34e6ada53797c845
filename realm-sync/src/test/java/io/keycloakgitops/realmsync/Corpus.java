package io.keycloakgitops.realmsync;

import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.keycloak.KeycloakException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The fidelity corpus ({@code src/test/resources/corpus/}, see its README) as the corpus ITs read it. */
final class Corpus {
  static final Path DIR = Path.of("src/test/resources/corpus");

  private Corpus() {}

  /** The corpus realm files, in name order. */
  static List<Path> files() throws IOException {
    try (var list = Files.list(DIR)) {
      return list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  /**
   * Null when Keycloak's own {@code POST /admin/realms} accepts {@code text} as realm {@code realm} (the scratch realm
   * is deleted again), else Keycloak's error.
   */
  static String keycloakRejection(String realm, String text) {
    try {
      It.realm(realm).createRealm(Json.read(text));
    } catch (KeycloakException e) {
      return e.getMessage().replaceAll(".*failed: ", "");
    } catch (RuntimeException e) {
      return "unreadable: " + e.getMessage();
    }
    It.realm(realm).deleteRealm();
    return null;
  }
}
