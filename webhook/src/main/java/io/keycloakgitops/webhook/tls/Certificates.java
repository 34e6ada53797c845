package io.keycloakgitops.webhook.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemGenerationException;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Self-signed CA and serving certificates (ECDSA P-256) built with BouncyCastle's certificate API, and their PEM
 * encoding. The cryptography itself is the JDK's (no BouncyCastle provider to load: faster start).
 */
public final class Certificates {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Certificates() {}

  /** A certificate with its private key. */
  public record Issued(X509Certificate certificate, PrivateKey key) {
    public String certificatePem() {
      return pem(certificate);
    }

    /** PKCS#8 ("PRIVATE KEY"), which every TLS stack reads. */
    public String keyPem() {
      try {
        return pem(new JcaPKCS8Generator(key, null).generate());
      } catch (PemGenerationException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  public static Issued newCa(String commonName, Instant now, Duration lifetime) {
    KeyPair keys = newKeyPair();
    X500Name subject = new X500Name("CN=" + commonName);
    try {
      var extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(), notBefore(now, lifetime),
          Date.from(now.plus(lifetime)), subject, keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
      return new Issued(sign(builder, keys.getPrivate()), keys.getPrivate());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot create a CA certificate", e);
    }
  }

  /** A serving certificate signed by {@code ca}; it never outlives the CA. */
  public static Issued newServing(Issued ca, List<String> dnsNames, List<String> ipAddresses, Instant now,
      Duration lifetime) {
    KeyPair keys = newKeyPair();
    Instant notAfter = now.plus(lifetime);
    if (notAfter.isAfter(ca.certificate().getNotAfter().toInstant())) {
      notAfter = ca.certificate().getNotAfter().toInstant();
    }
    var names = new ArrayList<GeneralName>();
    dnsNames.forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
    ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
    String commonName = dnsNames.isEmpty() ? ipAddresses.getFirst() : dnsNames.getFirst();
    try {
      var extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(), notBefore(now, lifetime),
          Date.from(notAfter), new X500Name("CN=" + commonName), keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)))
          .addExtension(Extension.authorityKeyIdentifier, false,
              extensions.createAuthorityKeyIdentifier(ca.certificate()));
      return new Issued(sign(builder, ca.key()), keys.getPrivate());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot create a serving certificate", e);
    }
  }

  /** The SANs of a serving certificate: DNS names and IP addresses (normalized), in any order. */
  public static List<String> subjectAltNames(X509Certificate certificate) {
    try {
      var names = new ArrayList<String>();
      if (certificate.getSubjectAlternativeNames() != null) {
        for (List<?> name : certificate.getSubjectAlternativeNames()) {
          names.add(name.get(0).equals(GeneralName.iPAddress)
              ? InetAddress.getByName((String) name.get(1)).getHostAddress() : (String) name.get(1));
        }
      }
      return names;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("unreadable subjectAltNames", e);
    }
  }

  public static String pem(Object object) {
    var out = new StringWriter();
    try (var writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Every certificate in a PEM text (a chain or a bundle). */
  public static List<X509Certificate> parseCertificates(String pem) {
    var certificates = new ArrayList<X509Certificate>();
    try (var parser = new PEMParser(new StringReader(pem))) {
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (object instanceof X509CertificateHolder holder) {
          certificates.add(new JcaX509CertificateConverter().getCertificate(holder));
        }
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("unreadable certificate PEM: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("no certificate in the PEM text");
    }
    return certificates;
  }

  /** A private key in PKCS#8, PKCS#1 (RSA) or SEC1 (EC) PEM. */
  public static PrivateKey parseKey(String pem) {
    try (var parser = new PEMParser(new StringReader(pem))) {
      Object object = parser.readObject();
      // The JDK's own key classes: Jetty's key store and JSSE take them as they are.
      var converter = new JcaPEMKeyConverter();
      if (object instanceof PEMKeyPair pair) {
        return converter.getPrivateKey(pair.getPrivateKeyInfo());
      }
      if (object instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      throw new IllegalArgumentException("no private key in the PEM text");
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable private key PEM: " + e.getMessage(), e);
    }
  }

  /** Back-dated a little so that a peer whose clock runs slightly behind already accepts it. */
  private static Date notBefore(Instant now, Duration lifetime) {
    Duration skew = lifetime.dividedBy(10).compareTo(Duration.ofMinutes(5)) < 0
        ? lifetime.dividedBy(10) : Duration.ofMinutes(5);
    return Date.from(now.minus(skew));
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  private static KeyPair newKeyPair() {
    try {
      var generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
      throws GeneralSecurityException {
    try {
      var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey);
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }
}
