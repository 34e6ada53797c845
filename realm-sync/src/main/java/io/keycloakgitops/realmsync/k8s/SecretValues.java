package io.keycloakgitops.realmsync.k8s;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Function;

/** Reads keys of Secrets: what placeholders and admin credentials resolve to. */
public final class SecretValues {
  private SecretValues() {}

  /** A key of a Secret ({@code data} is base64, {@code stringData} plain), or null. */
  public static String value(Secret secret, String key) {
    if (secret.getData() != null && secret.getData().get(key) != null) {
      return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
    return secret.getStringData() == null ? null : secret.getStringData().get(key);
  }

  /**
   * Resolves {@code name/key} references against the Secrets of {@code namespace}; null when not found. For Secrets
   * the CR itself names ({@code spec.placeholders}); placeholders go through {@link #byName}, whose Secrets
   * {@code Placeholders} checks for the placeholder-source label.
   */
  public static Function<String, String> lookup(KubernetesClient client, String namespace) {
    return reference -> {
      String[] parts = reference.split("/", 2);
      if (namespace == null || parts.length != 2) {
        return null;
      }
      Secret secret = client.secrets().inNamespace(namespace).withName(parts[0]).get();
      return secret == null ? null : value(secret, parts[1]);
    };
  }

  /** The Secrets of {@code namespace} by name (null when missing). */
  public static Function<String, Secret> byName(KubernetesClient client, String namespace) {
    return name -> namespace == null ? null : client.secrets().inNamespace(namespace).withName(name).get();
  }
}
