package io.keycloakgitops.realmsync.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.GpgSignature;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CommitSignaturesTest {
  private static final TestPgpKey TRUSTED = TestPgpKey.generate("Platform <platform@example.invalid>");
  private static final TestPgpKey OTHER_TRUSTED = TestPgpKey.generate("Security <security@example.invalid>");
  private static final TestPgpKey STRANGER = TestPgpKey.generate("Stranger <stranger@example.invalid>");
  private static final TestPgpKey SUBKEY_SIGNER = TestPgpKey.generate("Subkey <subkey@example.invalid>", true);
  private static final TestPgpKey REVOKED = TestPgpKey.generate("Revoked <revoked@example.invalid>");
  private static final CommitSignatures KEYS = CommitSignatures.parse("comment\n" + TRUSTED.armoredPublicKey() + "\n"
      + OTHER_TRUSTED.armoredPublicKey() + SUBKEY_SIGNER.armoredPublicKey() + REVOKED.armoredRevokedPublicKey(), "keys.asc");

  /** A commit as Git writes it, signed over its unsigned bytes by {@code signature} (null: unsigned). */
  private static RevCommit commit(Function<byte[], byte[]> signature) throws java.io.IOException {
    var builder = new CommitBuilder();
    builder.setTreeId(ObjectId.zeroId());
    var author = new PersonIdent("Dev One", "dev@example.invalid", 1_700_000_000_000L, 0);
    builder.setAuthor(author);
    builder.setCommitter(author);
    builder.setMessage("change realm\n\ngpgsig in the message is not a header\n");
    if (signature != null) {
      builder.setGpgSignature(new GpgSignature(signature.apply(builder.build())));
    }
    return RevCommit.parse(builder.build());
  }

  static Stream<Arguments> commits() {
    byte[] ssh = "-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n".getBytes(StandardCharsets.US_ASCII);
    return Stream.of(
        Arguments.of("signed by a trusted key", (Function<byte[], byte[]>) TRUSTED::sign, null),
        Arguments.of("signed by the second trusted key", (Function<byte[], byte[]>) OTHER_TRUSTED::sign, null),
        Arguments.of("signed by the signing subkey of a trusted key", (Function<byte[], byte[]>) SUBKEY_SIGNER::sign, null),
        Arguments.of("signed by a revoked key", (Function<byte[], byte[]>) REVOKED::sign,
            "commit %s by Dev One <dev@example.invalid> signed by revoked key " + REVOKED.fingerprint()),
        Arguments.of("unsigned", null, "unsigned commit %s by Dev One <dev@example.invalid>"),
        Arguments.of("signed by a key not trusted", (Function<byte[], byte[]>) STRANGER::sign,
            "commit %s by Dev One <dev@example.invalid> signed by untrusted key " + STRANGER.fingerprint().substring(24)),
        Arguments.of("signature over other bytes", (Function<byte[], byte[]>) data -> TRUSTED.sign("other".getBytes()),
            "commit %s by Dev One <dev@example.invalid>: bad signature by key " + TRUSTED.fingerprint()),
        Arguments.of("not a signature", (Function<byte[], byte[]>) data -> "garbage".getBytes(),
            "commit %s by Dev One <dev@example.invalid>: bad signature (not an OpenPGP signature)"),
        Arguments.of("SSH signature", (Function<byte[], byte[]>) data -> ssh,
            "commit %s by Dev One <dev@example.invalid> has an SSH signature: no allowed signers file (--allowed-signers)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commits")
  void onlyAGoodSignatureByATrustedKeyPasses(String name, Function<byte[], byte[]> signature, String refusal)
      throws Exception {
    RevCommit commit = commit(signature);
    if (refusal == null) {
      KEYS.check(null, commit);
    } else {
      assertThatThrownBy(() -> KEYS.check(null, commit)).isInstanceOf(CommitSignatures.UntrustedCommitException.class)
          .hasMessage(refusal.formatted(commit.getName()));
    }
  }

  static Stream<Arguments> payloads() {
    String head = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@b> 1 +0000\ncommitter A <a@b> 1 +0000\n";
    return Stream.of(
        Arguments.of(head + "gpgsig -----BEGIN PGP SIGNATURE-----\n \n abc\n -----END PGP SIGNATURE-----\n\nmsg\n", head + "\nmsg\n"),
        Arguments.of(head + "\nmsg\n", head + "\nmsg\n"),
        Arguments.of(head + "\nmsg\ngpgsig x\n y\n", head + "\nmsg\ngpgsig x\n y\n"),
        Arguments.of(head + "encoding ISO-8859-1\ngpgsig sig\n line\n\nmsg\n", head + "encoding ISO-8859-1\n\nmsg\n"));
  }

  @ParameterizedTest
  @MethodSource("payloads")
  void thePayloadIsTheCommitWithoutItsSignatureHeader(String raw, String payload) {
    assertThat(new String(CommitSignatures.payload(raw.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
        .isEqualTo(payload);
  }

  @Test
  void aKeysFileWithoutAValidKeyIsAnErrorNamingIt() {
    assertThat(KEYS.size()).isEqualTo(4);
    assertThatThrownBy(() -> CommitSignatures.parse("ssh-ed25519 AAAA...", "keys.asc"))
        .hasMessageContaining("trusted keys file keys.asc holds no armored OpenPGP public key");
    assertThatThrownBy(() -> CommitSignatures.parse(TRUSTED.armoredPublicKey()
        + "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----\n", "keys.asc"))
        .hasMessageContaining("trusted keys file keys.asc: public key block 2 is not a valid OpenPGP key");
  }
}
