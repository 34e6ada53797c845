package io.keycloakgitops.webhook.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.keycloakgitops.webhook.tls.Rotation.Step;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RotationTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Rotation.Policy POLICY = new Rotation.Policy(List.of("svc", "svc.ns.svc"), List.of("10.0.0.1"),
      Duration.ofDays(30), Duration.ofDays(3));

  @Test
  void createsACaAndAServingCertificate() {
    var outcome = Rotation.next(null, T0, POLICY, false);
    assertThat(outcome.step()).isEqualTo(Step.CREATED);
    CertBundle bundle = outcome.bundle();
    assertThat(bundle.trusted()).containsExactly(bundle.ca());
    assertThat(Certificates.subjectAltNames(bundle.leaf())).containsExactlyInAnyOrder("svc", "svc.ns.svc", "10.0.0.1");
    assertThat(Rotation.next(bundle, T0.plusSeconds(60), POLICY, true).step()).isEqualTo(Step.NONE);
  }

  @Test
  void renewsTheServingCertificateAtTwoThirdsOfItsLife() {
    CertBundle bundle = Rotation.next(null, T0, POLICY, false).bundle();
    Instant renewAt = Rotation.renewAt(bundle.leaf());
    assertThat(Rotation.next(bundle, renewAt.minusSeconds(1), POLICY, true).step()).isEqualTo(Step.NONE);
    var renewed = Rotation.next(bundle, renewAt, POLICY, true);
    assertThat(renewed.step()).isEqualTo(Step.LEAF_RENEWED);
    assertThat(renewed.bundle().leaf()).isNotEqualTo(bundle.leaf());
    assertThat(renewed.bundle().ca()).isEqualTo(bundle.ca());
  }

  @Test
  void rotatesTheCaBesideTheOldOneAndSwitchesTheLeafOnlyOnceTrusted() throws Exception {
    CertBundle bundle = Rotation.next(null, T0, POLICY, false).bundle();
    X509Certificate oldCa = bundle.ca();
    Instant caDue = Rotation.renewAt(oldCa);

    var rotated = Rotation.next(bundle, caDue, POLICY, true);
    assertThat(rotated.step()).isEqualTo(Step.CA_ROTATED);
    X509Certificate newCa = rotated.bundle().ca();
    assertThat(newCa).isNotEqualTo(oldCa);
    assertThat(rotated.bundle().trusted()).containsExactly(newCa, oldCa);
    assertThat(rotated.bundle().leaf()).as("the leaf does not switch in the same step").isEqualTo(bundle.leaf());

    var waiting = Rotation.next(rotated.bundle(), caDue.plusSeconds(1), POLICY, false);
    assertThat(waiting.step()).isEqualTo(Step.NONE);
    assertThat(waiting.reason()).contains("not signed by the current CA", "waiting until the clients trust");

    var switched = Rotation.next(rotated.bundle(), caDue.plusSeconds(2), POLICY, true);
    assertThat(switched.step()).isEqualTo(Step.LEAF_RENEWED);
    switched.bundle().leaf().verify(newCa.getPublicKey());
    assertThat(switched.bundle().trusted()).containsExactly(newCa, oldCa);

    Instant oldCaExpired = oldCa.getNotAfter().toInstant().plusSeconds(1);
    var pruned = Rotation.next(switched.bundle(), oldCaExpired, POLICY, true);
    // The leaf (3 days) was renewed meanwhile in real life; here the bundle change is what matters.
    assertThat(pruned.bundle().trusted()).containsExactly(newCa);
  }

  @Test
  void renewsWhenTheNamesChange() {
    CertBundle bundle = Rotation.next(null, T0, POLICY, false).bundle();
    var moved = new Rotation.Policy(List.of("svc", "svc.other.svc"), List.of(), Duration.ofDays(30), Duration.ofDays(3));
    var outcome = Rotation.next(bundle, T0.plusSeconds(60), moved, true);
    assertThat(outcome.step()).isEqualTo(Step.LEAF_RENEWED);
    assertThat(Certificates.subjectAltNames(outcome.bundle().leaf())).containsExactlyInAnyOrder("svc", "svc.other.svc");
  }

  @Test
  void startsOverFromAnUnreadableStore() {
    var broken = new CertBundle("garbage", "garbage", "garbage", "garbage", "garbage");
    assertThat(Rotation.next(broken, T0, POLICY, true).step()).isEqualTo(Step.CREATED);
  }
}
