package io.keycloakgitops.webhook.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

/** Self-managed certificates in a directory (the {@code --cert-dir} was empty), as tls.crt, tls.key, ca.crt, ... */
public final class DirectoryCertStore implements CertStore {
  private final Path dir;

  public DirectoryCertStore(Path dir) {
    this.dir = dir;
  }

  /** True when the directory holds certificates this webhook generated (it has the CA key). */
  public static boolean holdsGenerated(Path dir) {
    return Files.isRegularFile(dir.resolve(CertBundle.CA_KEY));
  }

  @Override
  public synchronized Versioned load() {
    if (!Files.isRegularFile(dir.resolve(CertBundle.TLS_CRT))) {
      return new Versioned(null, null);
    }
    var bundle = new CertBundle(read(CertBundle.CA_CRT), read(CertBundle.CA_KEY), read(CertBundle.TLS_CRT),
        read(CertBundle.TLS_KEY), read(CertBundle.CA_BUNDLE));
    return new Versioned(bundle, Integer.toString(bundle.hashCode()));
  }

  @Override
  public synchronized boolean save(CertBundle bundle, String expectedVersion) {
    if (!Objects.equals(load().version(), expectedVersion)) {
      return false;
    }
    try {
      Files.createDirectories(dir);
      write(CertBundle.CA_CRT, bundle.caCertPem());
      write(CertBundle.CA_KEY, bundle.caKeyPem());
      write(CertBundle.CA_BUNDLE, bundle.caBundlePem());
      write(CertBundle.TLS_KEY, bundle.tlsKeyPem());
      // tls.crt last: load() treats its presence as "a bundle is stored".
      write(CertBundle.TLS_CRT, bundle.tlsCertPem());
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write certificates to " + dir, e);
    }
  }

  @Override
  public String describe() {
    return "directory " + dir;
  }

  private String read(String name) {
    Path file = dir.resolve(name);
    try {
      return Files.isRegularFile(file) ? Files.readString(file) : null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private void write(String name, String content) throws IOException {
    Path temp = Files.createTempFile(dir, "." + name, ".tmp");
    try {
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system
    }
    Files.writeString(temp, content);
    try {
      Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
