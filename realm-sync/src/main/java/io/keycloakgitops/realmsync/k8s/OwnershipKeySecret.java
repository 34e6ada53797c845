package io.keycloakgitops.realmsync.k8s;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.keycloakgitops.realmsync.engine.OwnershipKey;
import java.net.HttpURLConnection;
import java.util.Base64;
import java.util.Map;

/**
 * The ownership key kept in a Secret of realm-sync's own namespace (key {@value #KEY}): read when it exists, else
 * generated once and created, so that every replica and every restart hashes alike. When two replicas race to create
 * it, the loser reads the winner's.
 */
public final class OwnershipKeySecret {
  public static final String KEY = "key";

  private OwnershipKeySecret() {}

  public static OwnershipKey load(KubernetesClient client, String namespace, String name) {
    if (namespace == null || namespace.isBlank()) {
      throw new IllegalArgumentException("--ownership-key-secret needs realm-sync's namespace (env POD_NAMESPACE)");
    }
    var secrets = client.secrets().inNamespace(namespace);
    Secret existing = secrets.withName(name).get();
    if (existing == null) {
      Secret created = new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace)
          .withLabels(Map.of("app.kubernetes.io/managed-by", "realm-sync")).endMetadata()
          .withType("Opaque").withData(Map.of(KEY, Base64.getEncoder().encodeToString(OwnershipKey.random()))).build();
      try {
        existing = secrets.resource(created).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        existing = secrets.withName(name).get();
      }
    }
    String data = existing.getData() == null ? null : existing.getData().get(KEY);
    if (data == null) {
      throw new IllegalArgumentException("ownership key Secret " + namespace + "/" + name + " has no key " + KEY);
    }
    return OwnershipKey.of(Base64.getDecoder().decode(data));
  }
}
