package io.keycloakgitops.realmsync.k8s;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.keycloak.KeycloakAdmin;
import io.keycloakgitops.realmsync.keycloak.KeycloakTarget;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the server behind a Keycloak CR the way the reconciler publishes it: {@code status.internalUrl} and the
 * admin Secret named by {@code status.adminSecret} (keys {@code username} and {@code password}). One admin
 * connection per server, replaced when its credentials change.
 */
public final class KeycloakCrTargets implements AutoCloseable {
  private final KubernetesClient client;
  private final Path caFile;
  private final KeycloakAdmin.Timeouts timeouts;
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();

  private record Connection(String credentialsHash, KeycloakAdmin admin) {}

  public KeycloakCrTargets(KubernetesClient client, Path caFile, KeycloakAdmin.Timeouts timeouts) {
    this.client = client;
    this.caFile = caFile;
    this.timeouts = timeouts;
  }

  public KeycloakAdmin admin(String namespace, String keycloakName) {
    Keycloak keycloak = client.resources(Keycloak.class).inNamespace(namespace).withName(keycloakName).get();
    if (keycloak == null) {
      throw new TargetException("Keycloak " + namespace + "/" + keycloakName + " not found");
    }
    var status = keycloak.getStatus();
    if (status == null || status.internalUrl == null || status.adminSecret == null) {
      throw new TargetException("Keycloak " + namespace + "/" + keycloakName
          + " does not publish status.internalUrl and status.adminSecret yet");
    }
    Secret secret = client.secrets().inNamespace(namespace).withName(status.adminSecret).get();
    if (secret == null) {
      throw new TargetException("admin Secret " + namespace + "/" + status.adminSecret + " not found");
    }
    String username = SecretValues.value(secret, "username");
    String password = SecretValues.value(secret, "password");
    if (username == null || password == null) {
      throw new TargetException("admin Secret " + namespace + "/" + status.adminSecret + " lacks username or password");
    }
    String hash = Json.sha256(username + "\u0000" + password);
    Connection connection = connections.compute(status.internalUrl, (url, current) -> {
      if (current != null && current.credentialsHash.equals(hash)) {
        return current;
      }
      if (current != null) {
        current.admin.close();
      }
      return new Connection(hash, KeycloakAdmin.connect(
          new KeycloakTarget(url, "master", username, password, null, null, caFile), timeouts));
    });
    return connection.admin;
  }

  @Override
  public void close() {
    connections.values().forEach(c -> c.admin.close());
    connections.clear();
  }
}
