package io.keycloakgitops.realmsync.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final List<Duration> waits = new ArrayList<>();
  private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 5, waits::add);

  private static KeycloakException http(int status) {
    return new KeycloakException("GET /x failed: HTTP " + status, status, null);
  }

  @Test
  void retriesAnUnhealthyServerWithDoublingWaitsThenGivesUpWithTheLastError() {
    var calls = new AtomicInteger();
    assertThatThrownBy(() -> backoff.call(() -> {
      calls.incrementAndGet();
      throw http(500);
    }, e -> true)).hasMessageContaining("HTTP 500");
    assertThat(calls).hasValue(5);
    assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
        Duration.ofSeconds(8));
  }

  @Test
  void waitsNeverExceedTheCap() {
    var capped = new Backoff(Duration.ofSeconds(16), Duration.ofSeconds(30), 4, waits::add);
    assertThatThrownBy(() -> capped.call(() -> {
      throw http(503);
    }, e -> true)).isInstanceOf(KeycloakException.class);
    assertThat(waits).containsExactly(Duration.ofSeconds(16), Duration.ofSeconds(30), Duration.ofSeconds(30));
  }

  @Test
  void returnsOnceTheServerRecovers() {
    var calls = new AtomicInteger();
    String result = backoff.call(() -> {
      if (calls.incrementAndGet() < 3) {
        throw http(500);
      }
      return "ok";
    }, e -> true);
    assertThat(result).isEqualTo("ok");
    assertThat(waits).hasSize(2);
  }

  @Test
  void aFailureThatIsNotRetryableIsThrownAtOnce() {
    var calls = new AtomicInteger();
    assertThatThrownBy(() -> backoff.call(() -> {
      calls.incrementAndGet();
      throw http(404);
    }, e -> e instanceof KeycloakException k && k.status() >= 500)).hasMessageContaining("404");
    assertThat(calls).hasValue(1);
    assertThat(waits).isEmpty();
  }
}
