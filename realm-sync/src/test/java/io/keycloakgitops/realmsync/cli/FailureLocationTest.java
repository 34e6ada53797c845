package io.keycloakgitops.realmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailureLocationTest {
  @TempDir
  Path dir;

  @Test
  void aRefusedChangePointsAtTheLineDeclaringItsObject() throws Exception {
    Path file = dir.resolve("r.json");
    Files.writeString(file, "{\n  \"realm\": \"r\",\n  \"clients\": [\n    {\"clientId\": \"orders\"}\n  ],\n"
        + "  \"roles\": {\"client\": {\"orders\": [\n    {\"name\": \"uma_protection\"}]}}\n}\n");
    assertThat(FailureLocation.of(file.toString(), "+ authorization \"orders\": POST ... failed: HTTP 500"))
        .isEqualTo(file + ":4");
    assertThat(FailureLocation.of(file.toString(), "+ client-role \"orders/uma_protection\": HTTP 409"))
        .isEqualTo(file + ":7");
  }

  @Test
  void noLocationWithoutAChangeOrAFile() {
    assertThat(FailureLocation.of(dir.resolve("missing.json").toString(), "+ client \"a\": HTTP 400")).isNull();
    assertThat(FailureLocation.of(dir.toString(), "connection refused")).isNull();
  }
}
