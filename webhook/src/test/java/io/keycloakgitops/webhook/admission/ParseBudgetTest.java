package io.keycloakgitops.webhook.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParseBudgetTest {
  @ParameterizedTest(name = "{0} bytes weigh {1} KiB")
  @CsvSource({
      "0, 1",
      "4000, 122",             // a typical review: 30 bytes of tree per byte, plus the body
      "100000, 3028",
      "3145728, 34811",        // capped at the token limit's tree (32,500,000 bytes) plus the body
      "-1, 34811",             // chunked: weighs as the largest
  })
  void aBodyWeighsItsWorstCaseTree(long contentLength, int kib) {
    assertThat(ParseBudget.weight(contentLength)).isEqualTo(kib);
  }

  @Test
  void largeBodiesWaitForEachOtherSmallOnesDoNot() {
    var budget = new ParseBudget(64L * 1024 * 1024); // half of -Xmx128m
    int large = ParseBudget.weight(3_145_728);
    assertThat(budget.tryAcquire(large)).isTrue();
    assertThat(budget.tryAcquire(large)).as("a second 3 MiB review does not fit").isFalse();
    for (int i = 0; i < 200; i++) {
      assertThat(budget.tryAcquire(ParseBudget.weight(4000))).as("typical review %d", i).isTrue();
    }
    budget.release(large);
    assertThat(budget.available()).isEqualTo(budget.capacity() - 200 * ParseBudget.weight(4000));
  }

  @Test
  void aBudgetSmallerThanOneReviewStillAdmitsOneAtATime() {
    var budget = new ParseBudget(1024 * 1024);
    int large = ParseBudget.weight(3_145_728);
    assertThat(budget.tryAcquire(large)).isTrue();
    assertThat(budget.tryAcquire(1)).isFalse();
    budget.release(large);
    assertThat(budget.available()).isEqualTo(budget.capacity());
  }
}
