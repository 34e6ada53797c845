package io.keycloakgitops.realmsync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.engine.Representations;
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
 * against the same live realm reports no changes (exit 0). Then the export restores the realm: applied to a second,
 * new realm, it must leave nothing of the corpus file undone ({@code plan} of the file against the second realm
 * reports no changes), so an export that silently leaves something out fails too. Files whose apply fails, or that do
 * not plan clean against their own realm, are listed as such (that is {@link CorpusIT}'s finding) and not counted.
 * Prints one row per file and fails listing every file that does not pass.
 */
class CorpusExportIT {
  private static final String SECRET_CREATION_TIME = "client.secret.creation.time";

  @TempDir
  Path dir;

  enum Result {
    PASS, EXPORT_NOT_CLEAN, RESTORE_FAILED, NEEDS_ITS_KEYS, FILE_NOT_CLEAN, APPLY_FAILED, KEYCLOAK_REJECTS;

    boolean counted() {
      return this != APPLY_FAILED && this != KEYCLOAK_REJECTS;
    }

    boolean exportPlansClean() {
      return this == PASS || this == RESTORE_FAILED || this == NEEDS_ITS_KEYS || this == FILE_NOT_CLEAN;
    }

    boolean failed() {
      return this == EXPORT_NOT_CLEAN || this == RESTORE_FAILED;
    }
  }

  record Outcome(String file, Result result, String reason) {}

  @Test
  void theExportOfEveryCorpusRealmPlansCleanAndRestoresTheRealm() throws Exception {
    List<Path> files = Corpus.files();
    assertThat(files).isNotEmpty();
    var outcomes = new ArrayList<Outcome>();
    for (Path file : files) {
      outcomes.add(roundTrip(file));
    }
    var table = new StringBuilder(String.format("%n%-30s %-16s %s%n", "file", "outcome", "reason"));
    outcomes.forEach(o -> table.append(String.format("%-30s %-16s %s%n", o.file(), o.result(), o.reason())));
    long counted = outcomes.stream().filter(o -> o.result().counted()).count();
    long clean = outcomes.stream().filter(o -> o.result().exportPlansClean()).count();
    long restorable = outcomes.stream().filter(o -> o.result() == Result.PASS || o.result() == Result.RESTORE_FAILED
        || o.result() == Result.NEEDS_ITS_KEYS).count();
    long restored = outcomes.stream().filter(o -> o.result() == Result.PASS).count();
    table.append(String.format("export round trip: %d of %d plan clean; the export restores the file: %d of %d%n",
        clean, counted, restored, restorable));
    System.out.println(table);
    assertThat(outcomes.stream().filter(o -> o.result().failed()).map(o -> o.file() + ": " + o.reason()).toList())
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
    String restored = It.realmName("restored");
    try {
      CliRun apply = CliRun.jar(work, Map.of(), "apply", "--dir", source.toString());
      if (apply.exitCode() != 0) {
        return new Outcome(name, Result.APPLY_FAILED, "apply exit " + apply.exitCode() + ": " + firstError(apply));
      }
      CliRun export = CliRun.jar(work, Map.of(), "export", "--realm", realm, "--out",
          exported.resolve(realm + ".json").toString());
      if (export.exitCode() != 0) {
        return new Outcome(name, Result.EXPORT_NOT_CLEAN, "export exit " + export.exitCode() + ": "
            + firstError(export));
      }
      CliRun plan = CliRun.jar(work, Map.of(), "plan", "--dir", exported.toString());
      if (plan.exitCode() != 0) {
        return new Outcome(name, Result.EXPORT_NOT_CLEAN, "plan of the export exit " + plan.exitCode() + ": "
            + changes(plan));
      }
      if (CliRun.jar(work, Map.of(), "plan", "--dir", source.toString()).exitCode() != 0) {
        return new Outcome(name, Result.FILE_NOT_CLEAN, "export plans clean; the file itself does not (see CorpusIT)");
      }
      return restore(name, text, Files.readString(exported.resolve(realm + ".json")), realm, restored, work);
    } finally {
      for (String created : List.of(realm, restored)) {
        It.admin().realm(created).find("").ifPresent(r -> It.realm(created).deleteRealm());
      }
    }
  }

  /** Applies the export of {@code realm} to the new realm {@code restored}, then plans the corpus file against it. */
  private Outcome restore(String name, String text, String export, String realm, String restored, Path work)
      throws IOException, InterruptedException {
    Path restoreDir = Files.createDirectories(dir.resolve(restored + "-export"));
    // Realm names are random, so every occurrence (default-roles-<realm>, URLs) is the realm's own.
    Files.writeString(restoreDir.resolve(restored + ".json"), export.replace(realm, restored));
    CliRun apply = CliRun.jar(work, Map.of(), "apply", "--dir", restoreDir.toString());
    if (apply.exitCode() != 0) {
      return new Outcome(name, refusedMaskedKeys(export, apply) ? Result.NEEDS_ITS_KEYS : Result.RESTORE_FAILED,
          "apply of the export to a new realm exit " + apply.exitCode() + ": " + firstError(apply));
    }
    Path sourceDir = Files.createDirectories(dir.resolve(restored + "-source"));
    Files.writeString(sourceDir.resolve(restored + ".json"), text.replace(realm, restored));
    CliRun plan = CliRun.jar(work, Map.of(), "plan", "--format", "json", "--dir", sourceDir.toString());
    List<String> lost = plan.exitCode() == 1 ? List.of(firstError(plan)) : notSecrets(plan.out());
    if (!lost.isEmpty()) {
      return new Outcome(name, Result.RESTORE_FAILED, "the file on the realm made from its export plans: "
          + String.join(" | ", lost.subList(0, Math.min(12, lost.size()))));
    }
    return new Outcome(name, Result.PASS, "no changes; the export restores the file (secrets aside)");
  }

  /**
   * Whether the apply failed at a component whose key material the export masks: imported keys (a realm's legacy
   * {@code privateKey}) cannot be written as {@code **********} into a new realm; they must be given, as the export
   * command says, with placeholders.
   */
  private static boolean refusedMaskedKeys(String export, CliRun apply) {
    var components = Json.read(export).path("components");
    for (var type : Json.fields(components)) {
      for (JsonNode component : type.getValue()) {
        boolean masked = false;
        for (JsonNode value : component.path("config")) {
          masked |= Representations.masked(value);
        }
        if (masked && apply.out().contains("component \"" + Representations.componentKey(type.getKey(), component))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The changes of a JSON plan except new values of secrets: the export masks them, so a realm made from it has
   * secrets of its own, generated at their own time (the export leaves out {@value #SECRET_CREATION_TIME}).
   */
  private static List<String> notSecrets(String planJson) {
    var out = new ArrayList<String>();
    for (JsonNode realm : Json.read(planJson).path("realms")) {
      for (JsonNode change : realm.path("changes")) {
        String object = change.path("op").asText() + " " + change.path("type").asText() + " "
            + change.path("key").asText();
        if (change.path("fields").isEmpty()) {
          out.add(object);
        }
        for (JsonNode field : change.path("fields")) {
          if (!field.path("sensitive").asBoolean() && !field.path("path").asText().endsWith(SECRET_CREATION_TIME)) {
            out.add(object + " " + field.path("path").asText() + ": " + field.path("before") + " -> "
                + field.path("after"));
          }
        }
      }
    }
    return out;
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
