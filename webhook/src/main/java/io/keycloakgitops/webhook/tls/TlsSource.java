package io.keycloakgitops.webhook.tls;

/** Where the webhook's serving certificate comes from, and the CA bundle that its clients must trust. */
public interface TlsSource extends AutoCloseable {
  /** Makes the first certificate available (or fails with a clear message) and starts watching for changes. */
  ServingCertificate start();

  ServingCertificate serving();

  /** PEM of the CAs to put in the webhook configurations' caBundle; null when unknown (external certificates). */
  String caBundlePem();

  @Override
  void close();
}
