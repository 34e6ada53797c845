package io.keycloakgitops.realmsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export round trip over the fidelity corpus: for every corpus file Keycloak's own import accepts, realm-sync
 * {@code apply} creates the realm, {@code export} writes it into a fresh folder, and {@code plan --dir} on that folder
 * against the same live realm reports no changes (exit 0). Files whose apply fails are listed as such (that is
 * {@link CorpusIT}'s finding) and not counted. Prints one row per file and fails listing every file that does not
 * pass.
 */
class CorpusExportIT {
  @TempDir
  Path dir;

  enum Result { PASS, FAIL, APPLY_FAILED, KEYCLOAK_REJECTS }

  record Outcome(String file, Result result, String reason) {}

  @Test
  void exportOfEveryCorpusRealmPlansNoChanges() throws Exception {
    List<Path> files = Corpus.files();
    assertThat(files).isNotEmpty();
    var outcomes = new ArrayList<Outcome>();
    for (Path file : files) {
      outcomes.add(roundTrip(file));
    }
    var table = new StringBuilder(String.format("%n%-32s %-16s %s%n", "file", "outcome", "reason"));
    outcomes.forEach(o -> table.append(String.format("%-32s %-16s %s%n", o.file(), o.result(), o.reason())));
    long counted = outcomes.stream().filter(o -> o.result() == Result.PASS || o.result() == Result.FAIL).count();
    long passed = outcomes.stream().filter(o -> o.result() == Result.PASS).count();
    table.append(String.format("export round trip: %d of %d%n", passed, counted));
    System.out.println(table);
    assertThat(outcomes.stream().filter(o -> o.result() == Result.FAIL).map(o -> o.file() + ": " + o.reason()).toList())
        .as(table.toString()).isEmpty();
  }

  private Outcome roundTrip(Path file) throws IOException, InterruptedException {
    String name = file.getFileName().toString();
    String realm = It.realmName("export");
    String text = CorpusIT.withRealmName(Files.readString(file), realm);
    String rejection = Corpus.keycloakRejection(realm, text);
    if (rejection != null) {
      return new Outcome(name, Result.KEYCLOAK_REJECTS, rejection);
    }
    Path source = Files.createDirectories(dir.resolve(realm + "-source"));
    Files.writeString(source.resolve(realm + ".json"), text);
    Path exported = Files.createDirectories(dir.resolve(realm + "-export"));
    Path work = Files.createDirectories(dir.resolve(realm + "-work"));
    try {
      CliRun apply = CliRun.jar(work, Map.of(), "apply", "--dir", source.toString());
      if (apply.exitCode() != 0) {
        return new Outcome(name, Result.APPLY_FAILED, "apply exit " + apply.exitCode() + ": " + firstError(apply));
      }
      CliRun export = CliRun.jar(work, Map.of(), "export", "--realm", realm, "--out",
          exported.resolve(realm + ".json").toString());
      if (export.exitCode() != 0) {
        return new Outcome(name, Result.FAIL, "export exit " + export.exitCode() + ": " + firstError(export));
      }
      CliRun plan = CliRun.jar(work, Map.of(), "plan", "--dir", exported.toString());
      if (plan.exitCode() != 0) {
        return new Outcome(name, Result.FAIL, "plan of the export exit " + plan.exitCode() + ": " + changes(plan));
      }
      return new Outcome(name, Result.PASS, "no changes");
    } finally {
      It.admin().realm(realm).find("").ifPresent(r -> It.realm(realm).deleteRealm());
    }
  }

  private static String firstError(CliRun run) {
    return run.err().lines().filter(l -> !l.isBlank()).findFirst()
        .orElse(run.out().lines().reduce((a, b) -> b).orElse(""));
  }

  /** The plan's change lines (warnings left out), enough of them to see what does not round-trip. */
  private static String changes(CliRun plan) {
    return String.join(" | ", plan.out().lines().skip(1).filter(l -> !l.startsWith("  !"))
        .map(String::strip).limit(12).toList()) + (plan.err().isBlank() ? "" : " || " + plan.err().strip());
  }
}
