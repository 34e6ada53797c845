package io.keycloakgitops.realmsync.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookVerifierTest {
  private static final byte[] BODY = "{\"ref\":\"refs/heads/main\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void acceptsAGithubSignatureOverTheExactBody() {
    var verifier = new WebhookVerifier("s3cret", null);
    String good = "sha256=" + WebhookVerifier.sign("s3cret".getBytes(StandardCharsets.UTF_8), BODY);
    assertThat(verifier.verify(BODY, good, null)).isTrue();
    assertThat(verifier.verify("{}".getBytes(StandardCharsets.UTF_8), good, null)).isFalse();
    assertThat(verifier.verify(BODY, "sha256=00", null)).isFalse();
    assertThat(verifier.verify(BODY, null, null)).isFalse();
  }

  @Test
  void acceptsTheGitlabTokenOnly() {
    var verifier = new WebhookVerifier(null, "tok");
    assertThat(verifier.verify(BODY, null, "tok")).isTrue();
    assertThat(verifier.verify(BODY, null, "other")).isFalse();
    assertThat(verifier.verify(BODY, "sha256=whatever", null)).isFalse();
  }

  @Test
  void withoutSecretsNothingIsAccepted() {
    var verifier = new WebhookVerifier("", null);
    assertThat(verifier.configured()).isFalse();
    assertThat(verifier.verify(BODY, "sha256=" + WebhookVerifier.sign("x".getBytes(StandardCharsets.UTF_8), BODY), "")).isFalse();
  }
}
