package io.keycloakgitops.realmsync.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key realm-sync hashes masked secrets with before it remembers them in the ownership record. The record is a
 * realm attribute every realm viewer can read; an unsalted SHA-256 there lets anyone guess weak secrets offline, an
 * HMAC under a key only realm-sync holds does not. Stored hashes carry the {@value #PREFIX} prefix; a bare
 * 64-hex-digit value is the unsalted hash older versions wrote, recognised once and then replaced.
 */
public final class OwnershipKey {
  public static final String PREFIX = "hmac-sha256:";
  public static final int LENGTH = 32;
  private static final String ALGORITHM = "HmacSHA256";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final OwnershipKey PROCESS = new OwnershipKey(random());

  private final SecretKeySpec key;

  private OwnershipKey(byte[] key) {
    if (key.length < LENGTH) {
      throw new IllegalArgumentException("an ownership key needs at least " + LENGTH + " bytes, got " + key.length);
    }
    this.key = new SecretKeySpec(key, ALGORITHM);
  }

  public static OwnershipKey of(byte[] key) {
    return new OwnershipKey(key);
  }

  /**
   * A key that lives as long as this process: what the engine uses when no key was configured (tests, embedded
   * use). After a restart every remembered secret looks changed and is written once more.
   */
  public static OwnershipKey processLocal() {
    return PROCESS;
  }

  public static byte[] random() {
    byte[] bytes = new byte[LENGTH];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  /** The key in {@code file} (base64), generated and written with mode 0600 if the file does not exist yet. */
  public static OwnershipKey fromFile(Path file) {
    try {
      if (!Files.exists(file)) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        try {
          Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
          Files.writeString(file, Base64.getEncoder().encodeToString(random()) + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException raced) {
          // Another process created it first: use theirs.
        }
      }
      byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
      return new OwnershipKey(key);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot use ownership key file " + file + ": " + e.getMessage()
          + " (give --ownership-key-file FILE, a writable path or a file holding " + LENGTH + " base64 bytes)", e);
    }
  }

  /** What the ownership record stores for {@code value}. */
  public String hash(String value) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return PREFIX + HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }

  /** Whether {@code stored} was written by an older version: an unsalted SHA-256, not an HMAC. */
  public static boolean isLegacy(String stored) {
    return stored != null && !stored.startsWith(PREFIX);
  }

  @Override
  public String toString() {
    return "OwnershipKey(hidden)";
  }
}
