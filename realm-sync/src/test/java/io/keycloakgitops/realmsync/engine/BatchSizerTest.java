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
    sizer.measured(200, Duration.ofSeconds(40));
    assertThat(sizer.next()).as("200 objects in 40 s: 50 fit in 10 s").isEqualTo(50);
    sizer.measured(50, Duration.ofSeconds(600));
    assertThat(sizer.next()).as("never below one object").isEqualTo(1);
  }

  @Test
  void anEmptyBatchChangesNothing() {
    var sizer = new BatchSizer();
    sizer.measured(0, Duration.ofSeconds(100));
    assertThat(sizer.next()).isEqualTo(200);
  }
}
