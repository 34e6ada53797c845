package io.keycloakgitops.realmsync.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticates push webhooks: GitHub signs the body ({@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256>}),
 * GitLab sends a shared token ({@code X-Gitlab-Token}). Comparisons are constant-time. With no secret configured
 * nothing is accepted.
 */
public final class WebhookVerifier {
  private final byte[] githubSecret;
  private final byte[] gitlabToken;

  public WebhookVerifier(String githubSecret, String gitlabToken) {
    this.githubSecret = blank(githubSecret) ? null : githubSecret.getBytes(StandardCharsets.UTF_8);
    this.gitlabToken = blank(gitlabToken) ? null : gitlabToken.getBytes(StandardCharsets.UTF_8);
  }

  public boolean configured() {
    return githubSecret != null || gitlabToken != null;
  }

  /** Whether the request carries a valid GitHub signature or GitLab token. */
  public boolean verify(byte[] body, String githubSignature, String gitlabHeader) {
    if (githubSecret != null && githubSignature != null && githubSignature.startsWith("sha256=")) {
      byte[] expected = ("sha256=" + sign(githubSecret, body)).getBytes(StandardCharsets.UTF_8);
      if (MessageDigest.isEqual(expected, githubSignature.getBytes(StandardCharsets.UTF_8))) {
        return true;
      }
    }
    return gitlabToken != null && gitlabHeader != null
        && MessageDigest.isEqual(gitlabToken, gitlabHeader.getBytes(StandardCharsets.UTF_8));
  }

  public static String sign(byte[] secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
