package io.keycloakgitops.realmsync.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusRegistryTest {
  @Test
  void urlUserInfoNeverReachesTheStatus() {
    var registry = new StatusRegistry();
    registry.sourceFailed("git", "https://ghp_token1@github.com/acme/iam.git#main:realms",
        "cannot fetch https://x:ghp_token2@github.com/acme/iam.git: not authorized");
    registry.realm("acme", "acme", "git").failed("https://ghp_token3@github.com/acme/iam.git: not authorized");
    String json = registry.toJson().toString();
    assertThat(json).doesNotContain("ghp_token1", "ghp_token2", "ghp_token3")
        .contains("https://github.com/acme/iam.git#main:realms", "not authorized");
  }
}
