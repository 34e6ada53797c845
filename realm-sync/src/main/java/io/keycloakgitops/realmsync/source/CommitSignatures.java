package io.keycloakgitops.realmsync.source;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.SignatureVerifier;
import org.eclipse.jgit.lib.SignatureVerifiers;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Which commits may be applied: those whose OpenPGP signature ({@code gpgsig} header) verifies against one of the
 * trusted public keys, or whose SSH signature JGit verifies against an {@code allowed_signers} file. JGit's own
 * OpenPGP verifier reads the user's gpg keyring only, so that check is made here with BouncyCastle (the library JGit
 * uses) over the commit exactly as Git signs it: the raw object without its {@code gpgsig} header.
 */
public final class CommitSignatures {
  private static final Pattern ARMORED_KEY =
      Pattern.compile("-----BEGIN PGP PUBLIC KEY BLOCK-----.*?-----END PGP PUBLIC KEY BLOCK-----", Pattern.DOTALL);
  private static final byte[] GPGSIG = "gpgsig ".getBytes(StandardCharsets.US_ASCII);

  private final List<PGPPublicKeyRing> keys;
  /** Git's {@code gpg.ssh.allowedSignersFile} format; null: SSH signatures are not trusted. */
  private final Path allowedSigners;

  private CommitSignatures(List<PGPPublicKeyRing> keys, Path allowedSigners) {
    this.keys = List.copyOf(keys);
    this.allowedSigners = allowedSigners;
  }

  /**
   * OpenPGP keys from {@code pgpKeys} and SSH signers from {@code allowedSigners}; either may be null, not both.
   * An allowed_signers file is read again when it changes.
   */
  public static CommitSignatures load(Path pgpKeys, Path allowedSigners) {
    if (allowedSigners == null) {
      return load(pgpKeys);
    }
    if (!Files.isRegularFile(allowedSigners)) {
      throw new IllegalArgumentException("allowed signers file " + allowedSigners + " is not a readable file");
    }
    List<PGPPublicKeyRing> rings = pgpKeys == null ? List.of() : load(pgpKeys).keys;
    return new CommitSignatures(rings, allowedSigners.toAbsolutePath());
  }

  /** The armored OpenPGP public keys of {@code file} (one or many blocks); an error names the file. */
  public static CommitSignatures load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the trusted keys file " + file + ": " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  static CommitSignatures parse(String text, String origin) {
    var rings = new ArrayList<PGPPublicKeyRing>();
    var blocks = ARMORED_KEY.matcher(text);
    while (blocks.find()) {
      byte[] block = blocks.group().getBytes(StandardCharsets.US_ASCII);
      try (var in = PGPUtil.getDecoderStream(new ByteArrayInputStream(block))) {
        new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator()).forEach(rings::add);
      } catch (IOException | PGPException | RuntimeException e) {
        throw new IllegalArgumentException("trusted keys file " + origin + ": public key block " + (rings.size() + 1)
            + " is not a valid OpenPGP key: " + e.getMessage(), e);
      }
    }
    if (rings.isEmpty()) {
      throw new IllegalArgumentException("trusted keys file " + origin
          + " holds no armored OpenPGP public key (-----BEGIN PGP PUBLIC KEY BLOCK-----)");
    }
    return new CommitSignatures(rings, null);
  }

  public int size() {
    return keys.size();
  }

  /**
   * Returns normally when {@code commit} carries a good signature by a trusted key; else says why not.
   * {@code repository}: the one the commit was read from (JGit's SSH verifier resolves its files through it).
   */
  public void check(Repository repository, RevCommit commit) {
    String who = commit.getName() + " by " + author(commit.getAuthorIdent());
    byte[] signature = commit.getRawGpgSignature();
    if (signature == null) {
      throw new UntrustedCommitException("unsigned commit " + who);
    }
    if (new String(signature, StandardCharsets.US_ASCII).startsWith("-----BEGIN SSH SIGNATURE-----")) {
      checkSsh(repository, commit, signature, who);
      return;
    }
    PGPSignature parsed = parse(signature);
    if (parsed == null) {
      throw new UntrustedCommitException("commit " + who + ": bad signature (not an OpenPGP signature)");
    }
    PGPPublicKey key = find(parsed.getKeyID());
    if (key == null) {
      throw new UntrustedCommitException("commit " + who + " signed by untrusted key " + keyId(parsed.getKeyID()));
    }
    if (key.hasRevocation()) {
      throw new UntrustedCommitException("commit " + who + " signed by revoked key " + fingerprint(key));
    }
    boolean good;
    try {
      parsed.init(new BcPGPContentVerifierBuilderProvider(), key);
      parsed.update(payload(commit.getRawBuffer()));
      good = parsed.verify();
    } catch (PGPException | RuntimeException e) {
      good = false;
    }
    if (!good) {
      throw new UntrustedCommitException("commit " + who + ": bad signature by key " + fingerprint(key));
    }
  }

  private void checkSsh(Repository repository, RevCommit commit, byte[] signature, String who) {
    SignatureVerifier verifier = SignatureVerifiers.get(GpgConfig.GpgFormat.SSH);
    if (allowedSigners == null || verifier == null) {
      throw new UntrustedCommitException("commit " + who + " has an SSH signature: no allowed signers file (--allowed-signers)");
    }
    var config = new Config();
    config.setString("gpg", "ssh", "allowedSignersFile", allowedSigners.toString());
    SignatureVerifier.SignatureVerification result;
    try {
      result = verifier.verify(repository, new GpgConfig(config), payload(commit.getRawBuffer()), signature);
    } catch (IOException | RuntimeException e) {
      throw new UntrustedCommitException("commit " + who + ": bad SSH signature (" + e.getMessage() + ")");
    }
    if (result.verified()) {
      return;
    }
    if (result.trustLevel() == SignatureVerifier.TrustLevel.UNKNOWN) {
      // The signature is good, but no allowed_signers line names this key for the committer.
      throw new UntrustedCommitException("commit " + who + " signed by untrusted SSH key " + result.keyFingerprint());
    }
    throw new UntrustedCommitException("commit " + who + ": bad signature by SSH key "
        + (result.keyFingerprint() == null ? "(unreadable)" : result.keyFingerprint())
        + (result.message() == null ? "" : " (" + result.message() + ")"));
  }

  private PGPPublicKey find(long keyId) {
    for (PGPPublicKeyRing ring : keys) {
      PGPPublicKey key = ring.getPublicKey(keyId);
      if (key != null) {
        return key;
      }
    }
    return null;
  }

  private static PGPSignature parse(byte[] armored) {
    try (var in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armored))) {
      Object object = new BcPGPObjectFactory(in).nextObject();
      return object instanceof PGPSignatureList list && !list.isEmpty() ? list.get(0) : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** What Git signed: the commit object without the {@code gpgsig} header and its continuation lines. */
  static byte[] payload(byte[] raw) {
    int headerEnd = indexOf(raw, new byte[] {'\n', '\n'}, 0);
    int limit = headerEnd < 0 ? raw.length : headerEnd + 1;
    int line = 0;
    while (line < limit) {
      int next = indexOf(raw, new byte[] {'\n'}, line) + 1;
      if (next == 0) {
        break;
      }
      if (startsWith(raw, line, GPGSIG)) {
        int end = next;
        while (end < limit && raw[end] == ' ') {
          end = indexOf(raw, new byte[] {'\n'}, end) + 1;
        }
        var out = new ByteArrayOutputStream(raw.length);
        out.write(raw, 0, line);
        out.write(raw, end, raw.length - end);
        return out.toByteArray();
      }
      line = next;
    }
    return raw;
  }

  private static boolean startsWith(byte[] raw, int at, byte[] prefix) {
    if (at + prefix.length > raw.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (raw[at + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] raw, byte[] needle, int from) {
    for (int i = from; i + needle.length <= raw.length; i++) {
      if (startsWith(raw, i, needle)) {
        return i;
      }
    }
    return -1;
  }

  private static String author(PersonIdent author) {
    return author == null ? "(unknown)" : author.getName() + " <" + author.getEmailAddress() + ">";
  }

  private static String keyId(long id) {
    return String.format(Locale.ROOT, "%016X", id);
  }

  private static String fingerprint(PGPPublicKey key) {
    return HexFormat.of().withUpperCase().formatHex(key.getFingerprint());
  }

  /** The head commit may not be applied: unsigned, signed by a key not trusted, or the signature does not verify. */
  public static final class UntrustedCommitException extends SourceException {
    public UntrustedCommitException(String message) {
      super(message, null);
    }
  }
}
