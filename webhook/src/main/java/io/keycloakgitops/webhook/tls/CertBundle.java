package io.keycloakgitops.webhook.tls;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The webhook's TLS material as stored (Secret keys / file names in brackets): the serving certificate
 * [tls.crt] and key [tls.key], the CA that signs it [ca.crt, ca.key] and the CAs that clients must trust
 * [ca-bundle.crt], which holds the old CA beside the new one during a rotation.
 */
public record CertBundle(String caCertPem, String caKeyPem, String tlsCertPem, String tlsKeyPem, String caBundlePem) {
  public static final String TLS_CRT = "tls.crt";
  public static final String TLS_KEY = "tls.key";
  public static final String CA_CRT = "ca.crt";
  public static final String CA_KEY = "ca.key";
  public static final String CA_BUNDLE = "ca-bundle.crt";

  public X509Certificate ca() {
    return Certificates.parseCertificates(caCertPem).getFirst();
  }

  public X509Certificate leaf() {
    return Certificates.parseCertificates(tlsCertPem).getFirst();
  }

  public List<X509Certificate> trusted() {
    return Certificates.parseCertificates(caBundlePem);
  }

  public Certificates.Issued caIssued() {
    return new Certificates.Issued(ca(), Certificates.parseKey(caKeyPem));
  }
}
