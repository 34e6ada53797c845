package io.keycloakgitops.webhook.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ManagedCertificatesTest {
  private static final Rotation.Policy POLICY = new Rotation.Policy(List.of("svc"), List.of("127.0.0.1"),
      Duration.ofDays(30), Duration.ofDays(3));
  private static final ManagedCertificates.Settings SETTINGS =
      new ManagedCertificates.Settings(POLICY, Duration.ofHours(1), Duration.ofSeconds(10));

  /** A clock the test moves. */
  static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  void replicasSharingAStoreServeTheSameCertificateThroughARotation() {
    var store = new MemoryCertStore();
    var clock = new TestClock();
    var first = new ManagedCertificates(store, SETTINGS, null, clock);
    var second = new ManagedCertificates(store, SETTINGS, null, clock);
    var steps = new ArrayList<Rotation.Step>();
    first.onRotation(steps::add);
    second.onRotation(steps::add);
    try (first; second) {
      first.start();
      second.start();
      assertThat(second.serving().current()).isEqualTo(first.serving().current());
      assertThat(steps).containsExactly(Rotation.Step.CREATED);

      clock.now = Rotation.renewAt(store.load().bundle().ca());
      for (int round = 0; round < 4; round++) {
        first.reconcile();
        second.reconcile();
        clock.now = clock.now.plusSeconds(11);
      }
      assertThat(steps).containsExactly(Rotation.Step.CREATED, Rotation.Step.CA_ROTATED, Rotation.Step.LEAF_RENEWED);
      CertBundle stored = store.load().bundle();
      assertThat(first.serving().current()).isEqualTo(stored.leaf()).isEqualTo(second.serving().current());
      assertThat(stored.trusted()).hasSize(2);
      assertThat(first.caBundlePem()).isEqualTo(stored.caBundlePem());
    }
  }

  @Test
  void aLostWriteIsReReadNotOverwritten() {
    var inner = new MemoryCertStore();
    var saves = new AtomicInteger();
    CertStore racing = new CertStore() {
      @Override
      public Versioned load() {
        return inner.load();
      }

      @Override
      public boolean save(CertBundle bundle, String expectedVersion) {
        if (saves.getAndIncrement() == 0) {
          // Another replica creates the certificates between our read and our write.
          inner.save(Rotation.next(null, Instant.now(), POLICY, false).bundle(), null);
        }
        return inner.save(bundle, expectedVersion);
      }

      @Override
      public String describe() {
        return "racing";
      }
    };
    try (var managed = new ManagedCertificates(racing, SETTINGS, null, Clock.systemUTC())) {
      managed.start();
      assertThat(managed.serving().current()).isEqualTo(inner.load().bundle().leaf());
      assertThat(saves.get()).isEqualTo(1);
    }
  }
}
