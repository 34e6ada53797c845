package io.keycloakgitops.realmsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.keycloakgitops.realmsync.bench.Workloads;
import io.keycloakgitops.realmsync.engine.Executor;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.engine.PrunePolicy;
import io.keycloakgitops.realmsync.keycloak.KeycloakAdmin;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Five realms of the R200 shape (20 clients, 10 roles, 10 groups, 50 users each), created by a cold apply, then
 * planned (no changes) and applied again (no writes). Prints the admin requests of each cold apply by kind: the
 * per-realm cost that 200 such realms multiply.
 */
class ManyRealmsIT {
  private static final int REALMS = 5;

  @Test
  void coldAppliedRealmsPlanNoChangesAndReapplyWithoutWrites() {
    for (int i = 0; i < REALMS; i++) {
      String name = It.realmName("many-" + i);
      var desired = It.desired(name, Json.write(Workloads.R200.realm(name, 0)));
      try (var admin = KeycloakAdmin.connect(It.target())) {
        var syncer = new RealmSyncer(admin, new RealmSyncer.Options(PrunePolicy.defaults(),
            Executor.DEFAULT_BULK_THRESHOLD, "it"));
        var cold = syncer.apply(desired);
        assertThat(cold.ok()).as(String.valueOf(cold.error())).isTrue();
        Map<String, Long> requests = new TreeMap<>(admin.counter().byKind());
        long total = requests.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("cold apply of %s: %d requests (%d reads, %d writes) %s%n", name, total,
            admin.counter().reads(), admin.counter().writes(), requests);

        assertThat(syncer.plan(desired).plan().changes()).as("plan after the cold apply of " + name).isEmpty();
        var again = syncer.apply(desired);
        assertThat(again.ok()).as(String.valueOf(again.error())).isTrue();
        assertThat(again.total() + again.bookkeeping()).as("writes of a second apply: " + again.writes()).isZero();
      }
    }
  }
}
