package io.keycloakgitops.reconciler.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.keycloakgitops.schemas.Schemas;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reads Keycloak CRs (either served version) from a YAML stream, as the API server would store them. */
public final class KeycloakManifests {
  private KeycloakManifests() {}

  /**
   * The Keycloak documents of {@code yaml}, in order; other kinds are rejected, empty documents skipped.
   *
   * @param namespace namespace for every CR; null keeps each CR's own ("default" when it has none)
   */
  public static List<Keycloak> parse(String yaml, String namespace) {
    var serialization = new KubernetesSerialization();
    var keycloaks = new ArrayList<Keycloak>();
    try (var documents = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
      int index = 0;
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        index++;
        if (document == null || document.isNull() || document.isEmpty()) {
          continue;
        }
        String kind = document.path("kind").asText();
        String apiVersion = document.path("apiVersion").asText();
        if (!"Keycloak".equals(kind) || !apiVersion.startsWith(Schemas.GROUP + "/")) {
          throw new IllegalArgumentException("document %d is %s %s, not a %s Keycloak".formatted(index, apiVersion,
              kind, Schemas.GROUP));
        }
        Keycloak keycloak = serialization.convertValue(document, Keycloak.class);
        if (keycloak.getMetadata() == null || keycloak.getMetadata().getName() == null) {
          throw new IllegalArgumentException("document %d has no metadata.name".formatted(index));
        }
        keycloak.setApiVersion(Schemas.GROUP + "/" + Keycloak.VERSION);
        if (namespace != null) {
          keycloak.getMetadata().setNamespace(namespace);
        } else if (keycloak.getMetadata().getNamespace() == null) {
          keycloak.getMetadata().setNamespace("default");
        }
        keycloaks.add(keycloak);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (keycloaks.isEmpty()) {
      throw new IllegalArgumentException("no Keycloak CR found");
    }
    return keycloaks;
  }
}
