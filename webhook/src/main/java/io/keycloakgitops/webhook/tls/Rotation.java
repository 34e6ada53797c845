package io.keycloakgitops.webhook.tls;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * When to create, rotate and renew the self-managed certificates: a pure function of the stored bundle and the
 * time. As cert-manager does, the serving certificate is renewed at 2/3 of its lifetime and the CA is replaced
 * when less than 1/3 of its lifetime remains; as Kyverno does, the new CA first joins the old one in the bundle,
 * and the serving certificate switches to it only once the clients trust it ({@code caTrusted}).
 */
public final class Rotation {
  private Rotation() {}

  public enum Step { NONE, CREATED, CA_ROTATED, LEAF_RENEWED, BUNDLE_UPDATED }

  /** What to issue: the serving certificate's names and both lifetimes. */
  public record Policy(List<String> dnsNames, List<String> ipAddresses, Duration caLifetime, Duration leafLifetime) {
    Set<String> names() {
      var names = new HashSet<>(dnsNames);
      names.addAll(ipAddresses);
      return names;
    }
  }

  public record Outcome(CertBundle bundle, Step step, String reason) {}

  public static Outcome next(CertBundle current, Instant now, Policy policy, boolean caTrusted) {
    X509Certificate ca;
    try {
      ca = current == null || current.caKeyPem() == null ? null : current.ca();
      if (ca != null) {
        current.caIssued(); // the key must be readable too
      }
    } catch (RuntimeException e) {
      ca = null;
    }
    if (ca == null) {
      var newCa = Certificates.newCa("keycloak-gitops-webhook-ca", now, policy.caLifetime());
      return new Outcome(issueLeaf(newCa, newCa.certificatePem(), policy, now), Step.CREATED,
          current == null ? "no certificates yet" : "the stored CA is unreadable");
    }
    if (!now.isBefore(renewAt(ca))) {
      var newCa = Certificates.newCa("keycloak-gitops-webhook-ca", now, policy.caLifetime());
      String bundle = bundle(List.of(newCa.certificate()), trustedOrEmpty(current), now);
      return new Outcome(new CertBundle(newCa.certificatePem(), newCa.keyPem(), current.tlsCertPem(),
          current.tlsKeyPem(), bundle), Step.CA_ROTATED, "the CA expires on " + ca.getNotAfter().toInstant());
    }
    String leafProblem = leafProblem(current, ca, now, policy);
    if (leafProblem != null) {
      if (!caTrusted) {
        return new Outcome(current, Step.NONE, leafProblem + "; waiting until the clients trust the current CA");
      }
      return new Outcome(issueLeaf(current.caIssued(), bundle(List.of(ca), trustedOrEmpty(current), now), policy,
          now), Step.LEAF_RENEWED, leafProblem);
    }
    String bundle = bundle(List.of(ca), trustedOrEmpty(current), now);
    if (!bundle.equals(current.caBundlePem())) {
      return new Outcome(new CertBundle(current.caCertPem(), current.caKeyPem(), current.tlsCertPem(),
          current.tlsKeyPem(), bundle), Step.BUNDLE_UPDATED, "expired CAs dropped from the bundle");
    }
    return new Outcome(current, Step.NONE, "up to date");
  }

  /** 2/3 into the certificate's validity. */
  public static Instant renewAt(X509Certificate certificate) {
    Instant from = certificate.getNotBefore().toInstant();
    Duration lifetime = Duration.between(from, certificate.getNotAfter().toInstant());
    return from.plus(lifetime.multipliedBy(2).dividedBy(3));
  }

  private static String leafProblem(CertBundle current, X509Certificate ca, Instant now, Policy policy) {
    X509Certificate leaf;
    try {
      leaf = current.leaf();
      Certificates.parseKey(current.tlsKeyPem());
    } catch (RuntimeException e) {
      return "the serving certificate is unreadable";
    }
    if (!issuedBy(leaf, ca)) {
      return "the serving certificate is not signed by the current CA";
    }
    if (!now.isBefore(renewAt(leaf))) {
      return "the serving certificate expires on " + leaf.getNotAfter().toInstant();
    }
    if (!new HashSet<>(Certificates.subjectAltNames(leaf)).equals(policy.names())) {
      return "the serving certificate's names differ from " + policy.names();
    }
    return null;
  }

  private static boolean issuedBy(X509Certificate leaf, X509Certificate ca) {
    try {
      leaf.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static CertBundle issueLeaf(Certificates.Issued ca, String caBundle, Policy policy, Instant now) {
    var leaf = Certificates.newServing(ca, policy.dnsNames(), policy.ipAddresses(), now, policy.leafLifetime());
    return new CertBundle(ca.certificatePem(), ca.keyPem(), leaf.certificatePem(), leaf.keyPem(), caBundle);
  }

  private static List<X509Certificate> trustedOrEmpty(CertBundle current) {
    try {
      return current.caBundlePem() == null ? List.of() : current.trusted();
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  /** The first certificates, then the others still valid, without duplicates, as one PEM text. */
  private static String bundle(List<X509Certificate> first, List<X509Certificate> others, Instant now) {
    Map<String, X509Certificate> unique = new LinkedHashMap<>();
    for (X509Certificate certificate : first) {
      unique.putIfAbsent(certificate.getSerialNumber().toString(16), certificate);
    }
    for (X509Certificate certificate : others) {
      if (certificate.getNotAfter().toInstant().isAfter(now)) {
        unique.putIfAbsent(certificate.getSerialNumber().toString(16), certificate);
      }
    }
    return unique.values().stream().map(Certificates::pem).collect(Collectors.joining());
  }
}
