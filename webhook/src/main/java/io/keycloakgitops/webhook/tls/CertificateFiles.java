package io.keycloakgitops.webhook.tls;

import io.keycloakgitops.webhook.Poller;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Externally managed certificates (cert-manager, a mounted Secret): tls.crt and tls.key in a directory, reloaded
 * when they change. A half-written or mismatched pair is ignored until it is whole again.
 */
public final class CertificateFiles implements TlsSource {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateFiles.class);

  private final Path dir;
  private final Duration pollInterval;
  private Poller poller;
  private ServingCertificate serving;
  private String loaded;

  public CertificateFiles(Path dir, Duration pollInterval) {
    this.dir = dir;
    this.pollInterval = pollInterval;
  }

  /** True when {@code dir} has a certificate and a key to serve. */
  public static boolean present(Path dir) {
    return Files.isRegularFile(dir.resolve(CertBundle.TLS_CRT)) && Files.isRegularFile(dir.resolve(CertBundle.TLS_KEY));
  }

  @Override
  public synchronized ServingCertificate start() {
    try {
      String certificate = Files.readString(dir.resolve(CertBundle.TLS_CRT));
      String key = Files.readString(dir.resolve(CertBundle.TLS_KEY));
      serving = new ServingCertificate(certificate, key);
      loaded = certificate + key;
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot serve the certificate in " + dir + ": " + e.getMessage(), e);
    }
    poller = new Poller("webhook-certificate-files", pollInterval, this::reloadIfChanged);
    return serving;
  }

  synchronized void reloadIfChanged() {
    try {
      String certificate = Files.readString(dir.resolve(CertBundle.TLS_CRT));
      String key = Files.readString(dir.resolve(CertBundle.TLS_KEY));
      if ((certificate + key).equals(loaded)) {
        return;
      }
      serving.update(certificate, key);
      loaded = certificate + key;
      LOG.info("reloaded the certificate from {}, valid until {}", dir, serving.current().getNotAfter().toInstant());
    } catch (IOException | RuntimeException e) {
      LOG.warn("not reloading the certificate from {} yet: {}", dir, e.getMessage());
    }
  }

  @Override
  public ServingCertificate serving() {
    return serving;
  }

  /** ca.crt beside the certificate (cert-manager writes it), else null: cainjector then owns the caBundle. */
  @Override
  public String caBundlePem() {
    try {
      Path ca = dir.resolve(CertBundle.CA_CRT);
      return Files.isRegularFile(ca) ? Files.readString(ca) : null;
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() {
    if (poller != null) {
      poller.close();
    }
  }
}
