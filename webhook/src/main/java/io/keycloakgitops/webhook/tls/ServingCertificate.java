package io.keycloakgitops.webhook.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The certificate Jetty serves. {@link #update} swaps it in place through {@link SslContextFactory#reload}: new
 * handshakes get the new certificate, open connections keep going, nothing restarts.
 */
public final class ServingCertificate {
  private static final String IN_MEMORY_PASSWORD = "in-memory";

  private final SslContextFactory.Server factory = new SslContextFactory.Server();
  private volatile X509Certificate current;

  public ServingCertificate(String certificatePem, String keyPem) {
    factory.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    factory.setKeyStorePassword(IN_MEMORY_PASSWORD);
    factory.setKeyManagerPassword(IN_MEMORY_PASSWORD);
    List<X509Certificate> chain = Certificates.parseCertificates(certificatePem);
    factory.setKeyStore(keyStore(chain, Certificates.parseKey(keyPem)));
    current = chain.getFirst();
  }

  public SslContextFactory.Server sslContextFactory() {
    return factory;
  }

  /** The serving certificate handed to new handshakes. */
  public X509Certificate current() {
    return current;
  }

  /** Serves a new certificate from now on; one whose key does not match is refused and the old one stays. */
  public synchronized void update(String certificatePem, String keyPem) {
    List<X509Certificate> chain = Certificates.parseCertificates(certificatePem);
    KeyStore keyStore = keyStore(chain, Certificates.parseKey(keyPem));
    try {
      if (factory.isStarted()) {
        factory.reload(f -> f.setKeyStore(keyStore));
      } else {
        factory.setKeyStore(keyStore);
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot reload the TLS context", e);
    }
    current = chain.getFirst();
  }

  private static KeyStore keyStore(List<X509Certificate> chain, PrivateKey key) {
    if (!belongTogether(key, chain.getFirst())) {
      throw new IllegalArgumentException("the private key does not belong to the certificate");
    }
    try {
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(null, null);
      keyStore.setKeyEntry("serving", key, IN_MEMORY_PASSWORD.toCharArray(), chain.toArray(Certificate[]::new));
      return keyStore;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the key store", e);
    }
  }

  /** Signs a probe with the key and verifies it with the certificate (JCA has no direct key-pair check). */
  static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
    try {
      String algorithm = key.getAlgorithm().startsWith("EC") ? "SHA256withECDSA" : "SHA256withRSA";
      byte[] probe = "keycloak-gitops".getBytes(StandardCharsets.UTF_8);
      var signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      var verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signer.sign());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
