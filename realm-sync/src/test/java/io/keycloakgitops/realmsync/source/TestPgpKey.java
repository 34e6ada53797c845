package io.keycloakgitops.realmsync.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Date;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.GpgSignature;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.Signer;
import org.eclipse.jgit.transport.CredentialsProvider;

/**
 * An OpenPGP key made in the test (RSA 2048, no passphrase) that JGit can sign commits with: {@link #signer()} signs
 * what Git signs, {@link #forger()} signs other bytes (a signature that does not verify).
 */
public final class TestPgpKey {
  /** The key that signs: the primary key, or its signing subkey. */
  private final PGPKeyPair pair;
  private final PGPKeyPair primary;
  private final PGPPublicKeyRing publicRing;

  private TestPgpKey(PGPKeyPair pair, PGPKeyPair primary, PGPPublicKeyRing publicRing) {
    this.pair = pair;
    this.primary = primary;
    this.publicRing = publicRing;
  }

  public static TestPgpKey generate(String userId) {
    return generate(userId, false);
  }

  /** {@code subkey}: commits are signed by a signing subkey, as gpg users often have it. */
  public static TestPgpKey generate(String userId, boolean subkey) {
    try {
      var primary = rsa();
      var sha1 = new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1);
      var rings = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, primary, userId, sha1, null, null,
          new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256), null);
      var signing = primary;
      if (subkey) {
        signing = rsa();
        rings.addSubKey(signing);
      }
      return new TestPgpKey(signing, primary, rings.generatePublicKeyRing());
    } catch (PGPException e) {
      throw new IllegalStateException(e);
    }
  }

  private static PGPKeyPair rsa() throws PGPException {
    var generator = new RSAKeyPairGenerator();
    generator.init(new RSAKeyGenerationParameters(BigInteger.valueOf(0x10001), new SecureRandom(), 2048, 80));
    return new BcPGPKeyPair(PublicKeyAlgorithmTags.RSA_GENERAL, generator.generateKeyPair(), new Date());
  }

  /** The public key with a revocation signature by itself, as {@code gpg --gen-revoke} + import leaves it. */
  public String armoredRevokedPublicKey() {
    try {
      var generator = new PGPSignatureGenerator(
          new BcPGPContentSignerBuilder(primary.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256), primary.getPublicKey());
      generator.init(PGPSignature.KEY_REVOCATION, primary.getPrivateKey());
      var revocation = generator.generateCertification(primary.getPublicKey());
      var revoked = org.bouncycastle.openpgp.PGPPublicKey.addCertification(publicRing.getPublicKey(), revocation);
      var ring = PGPPublicKeyRing.insertPublicKey(publicRing, revoked);
      var bytes = new ByteArrayOutputStream();
      try (var armored = new ArmoredOutputStream(bytes)) {
        ring.encode(armored);
      }
      return bytes.toString(StandardCharsets.US_ASCII);
    } catch (PGPException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public key, armored, as a trusted keys file holds it. */
  public String armoredPublicKey() {
    try {
      var bytes = new ByteArrayOutputStream();
      try (var armored = new ArmoredOutputStream(bytes)) {
        publicRing.encode(armored);
      }
      return bytes.toString(StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String fingerprint() {
    return java.util.HexFormat.of().withUpperCase().formatHex(publicRing.getPublicKey().getFingerprint());
  }

  /** A detached, armored signature of {@code data}, as Git stores it in the gpgsig header. */
  public byte[] sign(byte[] data) {
    try {
      var generator = new PGPSignatureGenerator(
          new BcPGPContentSignerBuilder(pair.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256), pair.getPublicKey());
      generator.init(PGPSignature.BINARY_DOCUMENT, pair.getPrivateKey());
      generator.update(data);
      var bytes = new ByteArrayOutputStream();
      try (var armored = new ArmoredOutputStream(bytes)) {
        generator.generate().encode(armored);
      }
      return bytes.toByteArray();
    } catch (PGPException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public Signer signer() {
    return new KeySigner(false);
  }

  public Signer forger() {
    return new KeySigner(true);
  }

  private final class KeySigner implements Signer {
    private final boolean forge;

    KeySigner(boolean forge) {
      this.forge = forge;
    }

    @Override
    public GpgSignature sign(Repository repository, GpgConfig config, byte[] data, PersonIdent committer, String signingKey,
        CredentialsProvider credentials) {
      byte[] signed = forge ? (new String(data, StandardCharsets.UTF_8) + "forged\n").getBytes(StandardCharsets.UTF_8) : data;
      return new GpgSignature(TestPgpKey.this.sign(signed));
    }

    @Override
    public boolean canLocateSigningKey(Repository repository, GpgConfig config, PersonIdent committer, String signingKey,
        CredentialsProvider credentials) {
      return true;
    }
  }
}
