package io.keycloakgitops.realmsync.cli;

import io.keycloakgitops.realmsync.source.CommitSignatures;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Whether a Git revision must be signed, and by whom, before it is planned or applied. */
public final class SignatureOptions {
  @Option(names = "--verify-signatures", defaultValue = "${env:VERIFY_SIGNATURES:-false}",
      description = "Use a Git revision only if its head commit has a good OpenPGP signature by a key of --trusted-keys (env VERIFY_SIGNATURES).")
  boolean verify;

  @Option(names = "--trusted-keys", defaultValue = "${env:TRUSTED_KEYS_FILE}",
      description = "File of armored OpenPGP public keys, one or many (env TRUSTED_KEYS_FILE).")
  Path trustedKeys;

  @Option(names = "--allowed-signers", defaultValue = "${env:ALLOWED_SIGNERS_FILE}",
      description = "SSH signers as in Git's gpg.ssh.allowedSignersFile: trusted for SSH-signed commits (env ALLOWED_SIGNERS_FILE).")
  Path allowedSigners;

  /** The keys to check commits against, or null when commits are not checked; a bad setting is an error. */
  public CommitSignatures signatures() {
    if (!verify) {
      if (trustedKeys != null || allowedSigners != null) {
        throw new IllegalArgumentException("--trusted-keys or --allowed-signers is given but --verify-signatures is not: pass both");
      }
      return null;
    }
    if (trustedKeys == null && allowedSigners == null) {
      throw new IllegalArgumentException(
          "--verify-signatures needs --trusted-keys (env TRUSTED_KEYS_FILE) or --allowed-signers (env ALLOWED_SIGNERS_FILE)");
    }
    return CommitSignatures.load(trustedKeys, allowedSigners);
  }
}
