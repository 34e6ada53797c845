package io.keycloakgitops.realmsync.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BatchSizerTest {
  @Test
  void startsAt200AndGrowsAtMostTwofoldPerBatchWhileBatchesAreFast() {
    var sizer = new BatchSizer();
    assertThat(sizer.next()).isEqualTo(200);
    sizer.measured(200, Duration.ofMillis(100));
    assertThat(sizer.next()).isEqualTo(400);
    sizer.measured(400, Duration.ofMillis(100));
    assertThat(sizer.next()).isEqualTo(800);
  }

  @Test
  void neverExceedsTheCap() {
    var sizer = new BatchSizer();
    for (int i = 0; i < 10; i++) {
      sizer.measured(sizer.next(), Duration.ofMillis(1));
    }
    assertThat(sizer.next()).isEqualTo(BatchSizer.MAX);
  }

  @Test
  void aSlowBatchShrinksTheNextToWhatFitsTheTargetTime() {
    var sizer = new BatchSizer();
    sizer.measured(200, Duration.ofSeconds(20));
    assertThat(sizer.next()).as("200 objects in 20 s, time growing with their square: 100 fit in 5 s").isEqualTo(100);
    sizer.measured(100, Duration.ofSeconds(100_000));
    assertThat(sizer.next()).as("never below one object").isEqualTo(1);
  }

  @Test
  void theNextBatchAssumesTimeGrowsWithTheSquareOfItsObjects() {
    var sizer = new BatchSizer();
    sizer.measured(200, Duration.ofMillis(100));
    sizer.measured(400, Duration.ofMillis(3200));
    assertThat(sizer.next()).as("400 objects in 3.2 s: 400 * sqrt(5 / 3.2); linear would send 625").isEqualTo(500);
    sizer.measured(500, Duration.ofSeconds(10));
    assertThat(sizer.next()).as("500 objects in 10 s: 500 / sqrt(2)").isEqualTo(353);
  }

  @Test
  void anEmptyBatchChangesNothing() {
    var sizer = new BatchSizer();
    sizer.measured(0, Duration.ofSeconds(100));
    assertThat(sizer.next()).isEqualTo(200);
  }
}
