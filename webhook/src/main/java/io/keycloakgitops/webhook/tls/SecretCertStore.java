package io.keycloakgitops.webhook.tls;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Self-managed certificates in a Kubernetes Secret (type kubernetes.io/tls) shared by all replicas. Writes carry the
 * resourceVersion they read, so two replicas rotating at once cannot overwrite each other: the loser re-reads.
 */
public final class SecretCertStore implements CertStore {
  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  /** The type of the Secret last read: a type is immutable, so an update keeps it. */
  private volatile String storedType = TLS_TYPE;
  private static final String TLS_TYPE = "kubernetes.io/tls";

  public SecretCertStore(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  @Override
  public Versioned load() {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret != null && secret.getType() != null) {
      storedType = secret.getType();
    }
    if (secret == null || secret.getData() == null || !secret.getData().containsKey(CertBundle.TLS_CRT)) {
      return new Versioned(null, secret == null ? null : secret.getMetadata().getResourceVersion());
    }
    Map<String, String> data = secret.getData();
    var bundle = new CertBundle(decode(data, CertBundle.CA_CRT), decode(data, CertBundle.CA_KEY),
        decode(data, CertBundle.TLS_CRT), decode(data, CertBundle.TLS_KEY), decode(data, CertBundle.CA_BUNDLE));
    return new Versioned(bundle, secret.getMetadata().getResourceVersion());
  }

  @Override
  public boolean save(CertBundle bundle, String expectedVersion) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(CertBundle.TLS_CRT, encode(bundle.tlsCertPem()));
    data.put(CertBundle.TLS_KEY, encode(bundle.tlsKeyPem()));
    data.put(CertBundle.CA_CRT, encode(bundle.caCertPem()));
    data.put(CertBundle.CA_KEY, encode(bundle.caKeyPem()));
    data.put(CertBundle.CA_BUNDLE, encode(bundle.caBundlePem()));
    Secret secret = new SecretBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).withResourceVersion(expectedVersion)
        .addToLabels("app.kubernetes.io/managed-by", "keycloak-gitops")
        .addToLabels("app.kubernetes.io/component", "webhook")
        .endMetadata()
        .withType(expectedVersion == null ? TLS_TYPE : storedType)
        .withData(data)
        .build();
    try {
      if (expectedVersion == null) {
        client.secrets().inNamespace(namespace).resource(secret).create();
      } else {
        client.secrets().inNamespace(namespace).resource(secret).update();
      }
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public String describe() {
    return "Secret " + namespace + "/" + name;
  }

  private static String decode(Map<String, String> data, String key) {
    String value = data.get(key);
    return value == null ? null : new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
  }

  private static String encode(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
