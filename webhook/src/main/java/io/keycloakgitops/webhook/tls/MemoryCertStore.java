package io.keycloakgitops.webhook.tls;

/** Keeps the certificates in this process only (a single in-process server, e.g. in tests). */
public final class MemoryCertStore implements CertStore {
  private CertBundle bundle;
  private int version;

  @Override
  public synchronized Versioned load() {
    return new Versioned(bundle, bundle == null ? null : Integer.toString(version));
  }

  @Override
  public synchronized boolean save(CertBundle bundle, String expectedVersion) {
    String current = this.bundle == null ? null : Integer.toString(version);
    if (!java.util.Objects.equals(current, expectedVersion)) {
      return false;
    }
    this.bundle = bundle;
    version++;
    return true;
  }

  @Override
  public String describe() {
    return "memory";
  }
}
