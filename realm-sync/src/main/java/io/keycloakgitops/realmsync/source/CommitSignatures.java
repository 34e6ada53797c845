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
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Which commits may be applied: those whose OpenPGP signature ({@code gpgsig} header) verifies against one of the
 * trusted public keys. JGit's own OpenPGP verifier reads the user's gpg keyring only, so the check is made here with
 * BouncyCastle (the library JGit uses) over the commit exactly as Git signs it: the raw object without its
 * {@code gpgsig} header.
 */
public final class CommitSignatures {
  private static final Pattern ARMORED_KEY =
      Pattern.compile("-----BEGIN PGP PUBLIC KEY BLOCK-----.*?-----END PGP PUBLIC KEY BLOCK-----", Pattern.DOTALL);
  private static final byte[] GPGSIG = "gpgsig ".getBytes(StandardCharsets.US_ASCII);

  private final List<PGPPublicKeyRing> keys;

  private CommitSignatures(List<PGPPublicKeyRing> keys) {
    this.keys = List.copyOf(keys);
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
    return new CommitSignatures(rings);
  }

  public int size() {
    return keys.size();
  }

  /** Returns normally when {@code commit} carries a good signature by a trusted key; else says why not. */
  public void check(RevCommit commit) {
    String who = commit.getName() + " by " + author(commit.getAuthorIdent());
    byte[] signature = commit.getRawGpgSignature();
    if (signature == null) {
      throw new UntrustedCommitException("unsigned commit " + who);
    }
    if (new String(signature, StandardCharsets.US_ASCII).startsWith("-----BEGIN SSH SIGNATURE-----")) {
      throw new UntrustedCommitException("commit " + who + " has an SSH signature: only OpenPGP keys can be trusted");
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
