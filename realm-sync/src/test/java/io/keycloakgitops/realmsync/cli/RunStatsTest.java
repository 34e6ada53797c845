package io.keycloakgitops.realmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.keycloakgitops.realmsync.keycloak.RequestCounter;
import org.junit.jupiter.api.Test;

class RunStatsTest {
  @Test
  void statsCarryRequestCountsAndThePeakMemoryOfTheProcess() {
    var stats = RunStats.of(new RequestCounter());
    assertThat(stats.get("reads").asLong()).isZero();
    assertThat(stats.get("writes").asLong()).isZero();
    assertThat(stats.get("byKind").size()).isZero();
    assertThat(stats.has("slowest")).as("no request, no slowest").isFalse();
    assertThat(stats.get("peakHeapBytes").asLong()).isPositive();
    assertThat(stats.get("cpuMillis").asLong()).isPositive();
    assertThat(stats.get("peakRssBytes").asLong()).as("Linux reports VmHWM").isPositive();
  }
}
