package io.keycloakgitops.realmsync.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A realm whose file is there is never taken for absent: it loads, or it fails, but it is present. */
class RealmLoaderTest {
  private static Map<String, RealmLoader.Loaded> load(Path dir) {
    var snapshot = new DirectorySource(dir).fetch();
    return RealmLoader.load(snapshot, Placeholders.GitPolicy.defaults()::create).stream()
        .collect(Collectors.toMap(RealmLoader.Loaded::realm, Function.identity()));
  }

  @Test
  void executableUnreadableAndOddFilesArePresentLoadedOrFailed(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("plain.json"), "{\"realm\":\"plain\"}");
    Path exec = Files.writeString(dir.resolve("exec.json"), "{\"realm\":\"exec\"}");
    Files.setPosixFilePermissions(exec, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectories(dir.resolve("folder.json"));
    assertThat(new ProcessBuilder("mkfifo", dir.resolve("fifo.yaml").toString()).start().waitFor()).isZero();
    Files.writeString(dir.resolve("broken.json"), "{\"realm\":");
    Files.writeString(dir.resolve("notes.txt"), "not a realm");

    var loaded = load(dir);
    assertThat(loaded).containsOnlyKeys("plain", "exec", "folder", "fifo", "broken");
    assertThat(loaded.get("plain").ok()).isTrue();
    assertThat(loaded.get("exec").ok()).isTrue();
    assertThat(loaded.get("exec").desired().representation().get("realm").asText()).isEqualTo("exec");
    assertThat(loaded.get("folder").error()).contains("folder.json: cannot be read: not a regular file");
    assertThat(loaded.get("fifo").error()).contains("fifo.yaml: cannot be read: not a regular file");
    assertThat(loaded.get("broken").error()).contains("malformed JSON");
  }

  @Test
  void aRefusedPlaceholderFailsItsOwnRealmOnly(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("good.json"), "{\"realm\":\"good\",\"displayName\":\"${env:REALM_NAME}\"}");
    Files.writeString(dir.resolve("bad.json"), "{\"realm\":\"bad\",\"displayName\":\"${env:HOME}\"}");
    var policy = new Placeholders.GitPolicy(Map.of("REALM_NAME", "Good", "HOME", "/root"), "REALM_", null, null, null);
    var loaded = RealmLoader.load(new DirectorySource(dir).fetch(), policy::create).stream()
        .collect(Collectors.toMap(RealmLoader.Loaded::realm, Function.identity()));
    assertThat(loaded.get("good").desired().representation().get("displayName").asText()).isEqualTo("Good");
    assertThat(loaded.get("bad").error()).contains("${env:HOME} is refused");
    assertThat(loaded.get("bad").path()).endsWith("bad.json");
  }
}
