package io.keycloakgitops.realmsync.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceIdsTest {
  @Test
  void eachSourceHasItsOwnIdWithoutCredentials() {
    assertThat(SourceIds.git(GitSettings.of("https://ghp_secret@github.com/acme/iam.git", "main", "realms")))
        .isEqualTo("git:https://github.com/acme/iam.git#main:realms");
    assertThat(SourceIds.git(GitSettings.of("https://github.com/acme/iam.git", "prod", "/")))
        .isEqualTo("git:https://github.com/acme/iam.git#prod:");
    assertThat(SourceIds.dir(Path.of("/srv/realms/../realms"))).isEqualTo("dir:/srv/realms");
    assertThat(SourceIds.cr("team-a", "import")).isEqualTo("cr:team-a/import");
    assertThat(SourceIds.crKey("cr:team-a/import")).isEqualTo("team-a/import");
    assertThat(SourceIds.crKey("git:https://github.com/acme/iam.git#main:realms")).isNull();
    assertThat(SourceIds.crKey(null)).isNull();
  }

  record Row(String text, String redacted) {}

  @Test
  void urlUserInfoIsRedactedWhereverItAppears() {
    for (var row : List.of(
        new Row("https://ghp_abc123@github.com/acme/iam.git", "https://github.com/acme/iam.git"),
        new Row("https://x-access-token:ghp_abc123@github.com/acme/iam.git", "https://github.com/acme/iam.git"),
        new Row("HTTP://user:p@ss@host:8080/r", "HTTP://host:8080/r"),
        new Row("ssh://git:tok@host/r.git", "ssh://host/r.git"),
        new Row("https://ghp_abc123@github.com", "https://github.com"),
        new Row("cannot fetch https://tok@h/a: https://tok@h/a: not authorized",
            "cannot fetch https://h/a: https://h/a: not authorized"),
        new Row("git@github.com:acme/iam.git", "git@github.com:acme/iam.git"),
        new Row("https://github.com/acme/iam.git?x=a@b", "https://github.com/acme/iam.git?x=a@b"),
        new Row("mail me at ops@example.com", "mail me at ops@example.com"),
        new Row("/srv/repos/iam", "/srv/repos/iam"))) {
      assertThat(GitSettings.redact(row.text())).as(row.text()).isEqualTo(row.redacted());
    }
    assertThat(GitSettings.redact(null)).isNull();
    assertThat(GitSettings.of("https://ghp_abc123@github.com/acme/iam.git", "main", "realms"))
        .hasToString("https://github.com/acme/iam.git#main:realms");
  }
}
