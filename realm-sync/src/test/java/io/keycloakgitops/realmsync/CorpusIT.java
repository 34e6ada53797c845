package io.keycloakgitops.realmsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.keycloakgitops.realmsync.engine.Json;
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
 * {@code plan} (no changes, exit 0) and {@code apply} again (0 writes), and {@code export} of the realm must plan
 * with no changes too; a file Keycloak rejects must make
 * {@code apply} exit 1 naming {@code file:line}, and say what it wrote before failing. Prints one row per file and fails
 * listing every file that does not pass.
 */
class CorpusIT {
  private static final Path CORPUS = Path.of("src/test/resources/corpus");
  private static final Pattern REALM_FIELD = Pattern.compile("(\"realm\"\\s*:\\s*)\"[^\"]*\"");
  private static final Pattern NO_WRITES = Pattern.compile(": 0 created, 0 updated, 0 deleted in \\d+ ms");

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
      return new Outcome(name, true, true, plan.out().lines().filter(l -> l.contains("Keycloak stores")).count()
          + " stored-form warnings");
    } finally {
      It.admin().realm(realm).find("").ifPresent(r -> It.realm(realm).deleteRealm());
    }
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
