package io.keycloakgitops.webhook.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificatesTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void theCaIsACaAndSignsTheServingCertificate() throws Exception {
    var ca = Certificates.newCa("test-ca", NOW, Duration.ofDays(365));
    assertThat(ca.certificate().getBasicConstraints()).isEqualTo(0);
    assertThat(ca.certificate().getKeyUsage()[5]).as("keyCertSign").isTrue();
    var leaf = Certificates.newServing(ca, List.of("svc", "svc.ns", "svc.ns.svc"), List.of("127.0.0.1"), NOW,
        Duration.ofDays(7));
    leaf.certificate().verify(ca.certificate().getPublicKey());
    assertThat(leaf.certificate().getBasicConstraints()).isEqualTo(-1);
    assertThat(leaf.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(Certificates.subjectAltNames(leaf.certificate()))
        .containsExactlyInAnyOrder("svc", "svc.ns", "svc.ns.svc", "127.0.0.1");
    assertThat(leaf.certificate().getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(7)));
    assertThat(leaf.certificate().getNotBefore().toInstant()).isBefore(NOW);
  }

  @Test
  void aServingCertificateNeverOutlivesItsCa() {
    var ca = Certificates.newCa("test-ca", NOW, Duration.ofDays(1));
    var leaf = Certificates.newServing(ca, List.of("svc"), List.of(), NOW, Duration.ofDays(7));
    assertThat(leaf.certificate().getNotAfter()).isEqualTo(ca.certificate().getNotAfter());
  }

  @Test
  void pemRoundTrips() {
    var ca = Certificates.newCa("test-ca", NOW, Duration.ofDays(1));
    assertThat(ca.keyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Certificates.parseCertificates(ca.certificatePem() + ca.certificatePem())).hasSize(2)
        .allMatch(ca.certificate()::equals);
    assertThat(Certificates.parseKey(ca.keyPem()).getEncoded()).isEqualTo(ca.key().getEncoded());
    assertThat(ServingCertificate.belongTogether(Certificates.parseKey(ca.keyPem()), ca.certificate())).isTrue();
    var other = Certificates.newCa("other", NOW, Duration.ofDays(1));
    assertThat(ServingCertificate.belongTogether(other.key(), ca.certificate())).isFalse();
  }

  @Test
  void garbageIsRefusedWithAReason() {
    assertThatThrownBy(() -> Certificates.parseCertificates("hello")).hasMessageContaining("no certificate");
    assertThatThrownBy(() -> Certificates.parseKey("hello")).hasMessageContaining("no private key");
    var ca = Certificates.newCa("test-ca", NOW, Duration.ofDays(1));
    var other = Certificates.newCa("other", NOW, Duration.ofDays(1));
    assertThatThrownBy(() -> new ServingCertificate(ca.certificatePem(), other.keyPem()))
        .hasMessageContaining("does not belong");
  }
}
