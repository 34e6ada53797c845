package io.keycloakgitops.realmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TerminalProgressTest {
  @Test
  void oneLinePerPhaseRedrawnInPlaceEndingWithItsFinalCount() {
    var text = new StringWriter();
    var progress = new TerminalProgress(new PrintWriter(text), "acme");
    progress.update("reading live realm", 0, 0);
    progress.update("client", 200, 300);
    progress.update("client", 250, 300);
    progress.update("client", 300, 300);
    progress.update("user", 1000, 1000);
    progress.end();
    var lines = text.toString().split("\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).isEqualTo("\rrealm acme: reading live realm");
    assertThat(lines[1]).startsWith("\rrealm acme: client 200/300").endsWith("\rrealm acme: client 300/300")
        .as("redraws within 200 ms are skipped").doesNotContain("250/300");
    assertThat(lines[2]).isEqualTo("\rrealm acme: user 1000/1000");
  }
}
