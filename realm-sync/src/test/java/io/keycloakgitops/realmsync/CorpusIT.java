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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fidelity corpus ({@code src/test/resources/corpus/}, see its README): real realm files, each first offered to
 * Keycloak's own {@code POST /admin/realms}. A file Keycloak accepts must then go through realm-sync {@code apply},
 * {@code plan} (no changes, exit 0) and {@code apply} again (0 writes); {@code export} of the realm must plan with no
 * changes too, and restore it: applied to a second, new realm, the export must leave nothing of the corpus file undone
 * ({@code plan} of the file against the second realm reports no changes but new secrets), so an export that silently
 * leaves something out fails. A file Keycloak rejects must make {@code apply} exit 1 naming {@code file:line}, and say
 * what it wrote before failing. Prints one row per file and fails listing every file that does not pass.
 */
class CorpusIT {
  private static final Path CORPUS = Path.of("src/test/resources/corpus");
  private static final Pattern REALM_FIELD = Pattern.compile("(\"realm\"\\s*:\\s*)\"[^\"]*\"");
  private static final Pattern NO_WRITES = Pattern.compile(": 0 created, 0 updated, 0 deleted in \\d+ ms");
  private static final String SECRET_CREATION_TIME = "client.secret.creation.time";
  private static final String NEEDS_ITS_KEYS = "the export needs its keys";

  @TempDir
  Path dir;

  record Outcome(String file, boolean keycloakAccepts, boolean passed, String reason) {}

  @Test
  void everyCorpusFileRoundTripsOrIsRefusedLikeKeycloakRefusesIt() throws Exception {
    List<Path> files;
    try (var list = Files.list(CORPUS)) {
      files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(15);
    var outcomes = new ArrayList<Outcome>();
    for (Path file : files) {
      outcomes.add(run(file));
    }
    var table = new StringBuilder(String.format("%n%-32s %-9s %-5s %s%n", "file", "keycloak", "sync", "reason"));
    outcomes.forEach(o -> table.append(String.format("%-32s %-9s %-5s %s%n", o.file(),
        o.keycloakAccepts() ? "accepts" : "rejects", o.passed() ? "PASS" : "FAIL", o.reason())));
    long passed = outcomes.stream().filter(Outcome::passed).count();
    table.append(String.format("corpus: %d of %d files pass%n", passed, outcomes.size()));
    System.out.println(table);
    assertThat(outcomes.stream().filter(o -> !o.passed()).map(o -> o.file() + ": " + o.reason()).toList())
        .as(table.toString()).isEmpty();
  }

  private Outcome run(Path file) throws IOException, InterruptedException {
    String name = file.getFileName().toString();
    String realm = It.realmName("corpus");
    String text = withRealmName(Files.readString(file), realm);
    String rejection = Corpus.keycloakRejection(realm, text);
    Path realms = Files.createDirectories(dir.resolve(realm));
    Path realmFile = realms.resolve(realm + ".json");
    Files.writeString(realmFile, text);
    Path work = Files.createDirectories(dir.resolve(realm + "-work"));
    String restored = It.realmName("restored");
    CliRun apply = CliRun.jar(work, Map.of(), "apply", "--dir", realms.toString());
    if (rejection != null) {
      boolean namesLine = (apply.out() + apply.err()).contains(realmFile + ":");
      boolean absent = It.admin().realm(realm).find("").isEmpty();
      if (!absent) {
        It.realm(realm).deleteRealm();
      }
      // Objects written before Keycloak refused one stay, but apply must say so.
      boolean said = absent || apply.out().contains(": FAILED after ");
      boolean ok = apply.exitCode() == 1 && namesLine && said;
      return new Outcome(name, false, ok, ok ? "refused like Keycloak: " + rejection
          : "Keycloak: " + rejection + "; realm-sync exit " + apply.exitCode() + (namesLine ? "" : ", no file:line")
              + (said ? "" : ", half-applied silently") + " " + lastLine(apply));
    }
    try {
      if (apply.exitCode() != 0) {
        return new Outcome(name, true, false, "apply exit " + apply.exitCode() + ": " + firstError(apply));
      }
      CliRun plan = CliRun.jar(work, Map.of(), "plan", "--dir", realms.toString());
      if (plan.exitCode() != 0) {
        return new Outcome(name, true, false, "plan after apply exit " + plan.exitCode() + ": " + changes(plan));
      }
      CliRun again = CliRun.jar(work, Map.of(), "apply", "--dir", realms.toString());
      if (again.exitCode() != 0 || !NO_WRITES.matcher(again.out()).find()) {
        return new Outcome(name, true, false, "second apply wrote: " + lastLine(again));
      }
      Path exported = Files.createDirectories(dir.resolve(realm + "-export"));
      CliRun export = CliRun.jar(work, Map.of(), "export", "--realm", realm, "--out",
          exported.resolve(realm + ".json").toString());
      CliRun planExport = CliRun.jar(work, Map.of(), "plan", "--dir", exported.toString());
      if (export.exitCode() != 0 || planExport.exitCode() != 0) {
        return new Outcome(name, true, false, "plan on its export exit " + planExport.exitCode() + ": "
            + (export.exitCode() != 0 ? firstError(export) : changes(planExport)));
      }
      long warnings = plan.out().lines().filter(l -> l.contains("Keycloak stores")).count();
      String restoreFailure = restore(text, Files.readString(exported.resolve(realm + ".json")), realm, restored, work);
      return new Outcome(name, true, restoreFailure == null || restoreFailure.startsWith(NEEDS_ITS_KEYS),
          warnings + " stored-form warnings; " + (restoreFailure == null ? "its export restores it" : restoreFailure));
    } finally {
      for (String created : List.of(realm, restored)) {
        It.admin().realm(created).find("").ifPresent(r -> It.realm(created).deleteRealm());
      }
    }
  }

  /**
   * Applies the export of {@code realm} to the new realm {@code restored}, then plans the corpus file against it: null
   * when nothing is lost (secrets aside), else what is. Imported keys the export masks are reported as
   * {@value #NEEDS_ITS_KEYS} (the export command says to give them with placeholders).
   */
  private String restore(String text, String export, String realm, String restored, Path work)
      throws IOException, InterruptedException {
    Path restoreDir = Files.createDirectories(dir.resolve(restored + "-export"));
    // Realm names are random, so every occurrence (default-roles-<realm>, URLs) is the realm's own.
    Files.writeString(restoreDir.resolve(restored + ".json"), export.replace(realm, restored));
    CliRun apply = CliRun.jar(work, Map.of(), "apply", "--dir", restoreDir.toString());
    if (apply.exitCode() != 0) {
      return (refusedMaskedKeys(export, apply) ? NEEDS_ITS_KEYS + ": " : "RESTORE FAILED: ")
          + "apply of the export to a new realm exit " + apply.exitCode() + ": " + firstError(apply);
    }
    Path sourceDir = Files.createDirectories(dir.resolve(restored + "-source"));
    Files.writeString(sourceDir.resolve(restored + ".json"), text.replace(realm, restored));
    CliRun plan = CliRun.jar(work, Map.of(), "plan", "--format", "json", "--dir", sourceDir.toString());
    List<String> lost = plan.exitCode() == 1 ? List.of(firstError(plan)) : notSecrets(plan.out());
    return lost.isEmpty() ? null : "RESTORE FAILED: the file on the realm made from its export plans: "
        + String.join(" | ", lost.subList(0, Math.min(12, lost.size())));
  }


  /**
   * The file with its realm name replaced in place (same lines, so file:line errors still point at the file), and
   * the realm's id, if any, made new: Keycloak's import keeps ids, and the next file may be the same realm.
   */
  static String withRealmName(String text, String realm) {
    Matcher m = REALM_FIELD.matcher(text);
    String out = m.find() ? text.substring(0, m.start()) + m.group(1) + "\"" + realm + "\"" + text.substring(m.end()) : text;
    String id = Json.text(Json.read(text), "id");
    return id == null ? out : out.replace("\"" + id + "\"", "\"" + java.util.UUID.randomUUID() + "\"");
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
    return run.err().lines().filter(l -> !l.isBlank()).findFirst().orElse(lastLine(run));
  }

  private static String changes(CliRun plan) {
    return String.join(" | ", plan.out().lines().skip(1).filter(l -> !l.startsWith("  !"))
        .map(String::strip).limit(8).toList());
  }

  private static String lastLine(CliRun run) {
    var lines = run.out().lines().toList();
    return lines.isEmpty() ? run.err().strip() : lines.getLast();
  }
}
