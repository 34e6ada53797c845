package io.keycloakgitops.realmsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.keycloakgitops.realmsync.bench.Workloads;
import io.keycloakgitops.realmsync.engine.Executor;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.engine.PrunePolicy;
import io.keycloakgitops.realmsync.keycloak.KeycloakAdmin;
import io.keycloakgitops.realmsync.cli.ApplyCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        // Every kind of object goes in one partialImport (the group trees too); only service-account clients,
        // which partialImport would create without their users, go one by one.
        assertThat(requests).containsEntry("POST partialImport", 4L).containsEntry("POST clients", 2L)
            .doesNotContainKeys("POST groups", "POST groups/*/children", "POST users");

        assertThat(syncer.plan(desired).plan().changes()).as("plan after the cold apply of " + name).isEmpty();
        var again = syncer.apply(desired);
        assertThat(again.ok()).as(String.valueOf(again.error())).isTrue();
        assertThat(again.total() + again.bookkeeping()).as("writes of a second apply: " + again.writes()).isZero();
      }
    }
  }

  /** More realms than the CLI applies at once: each summary in file order, then no changes and no writes. */
  @Test
  void theCliAppliesSeveralRealmsAtOnceAndReportsThemInFileOrder(@TempDir Path dir) throws Exception {
    Path folder = Files.createDirectories(dir.resolve("realms"));
    var names = new ArrayList<String>();
    for (int i = 0; i < ApplyCommand.REALMS_AT_ONCE + 2; i++) {
      String name = It.realmName("cli-many-" + i);
      names.add(name);
      Files.writeString(folder.resolve(name + ".json"), Json.write(Workloads.R200.realm(name, 0)));
    }
    names.sort(null);

    CliRun cold = CliRun.jar(dir, Map.of(), "apply", "--dir", folder.toString());
    assertThat(cold.exitCode()).as(cold.err()).isZero();
    assertThat(summaries(cold.out())).hasSize(names.size()).allMatch(l -> l.matches(".*: \\d+ created, .*"));
    assertThat(summaries(cold.out())).extracting(l -> l.split(":")[0]).containsExactlyElementsOf(
        names.stream().map(n -> "realm " + n).toList());

    CliRun plan = CliRun.jar(dir, Map.of(), "plan", "--dir", folder.toString());
    assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
    CliRun again = CliRun.jar(dir, Map.of(), "apply", "--dir", folder.toString());
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(summaries(again.out())).hasSize(names.size())
        .allMatch(l -> l.matches("realm .*: 0 created, 0 updated, 0 deleted in \\d+ ms"));
  }

  private static List<String> summaries(String out) {
    // The plan printed before them starts with "realm <name>: " too.
    return out.lines().filter(l -> l.matches("realm \\S+: (\\d+ created|FAILED).*")).toList();
  }
}
