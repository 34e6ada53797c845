package io.keycloakgitops.realmsync.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.keycloakgitops.realmsync.RealmSyncer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RealmStatusTest {
  @Test
  void theStatusShowsThePhaseOfTheApplyInProgressAndClearsItWhenDone() {
    var status = new RealmStatus("acme", "git");
    assertThat(status.toJson().get("phase").isNull()).isTrue();
    status.progress(RealmSyncer.READING, 0, 0);
    assertThat(status.toJson().get("phase").asText()).isEqualTo("reading live realm");
    status.progress("user", 400, 20000);
    assertThat(status.toJson().get("phase").asText()).isEqualTo("user 400/20000");
    status.applied("abc", "hash", new RealmSyncer.Outcome("acme", null, 1, 0, 0, 0, Map.of(), 5, null));
    assertThat(status.toJson().get("phase").isNull()).isTrue();
  }
}
