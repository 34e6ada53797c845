package io.keycloakgitops.realmsync.source;

/**
 * One realm file as read from a source: {@code path} for messages ({@code realms/demo.json}), the realm name its
 * file name promises, and the raw text. A file that is there but cannot be read (a symlink in Git, a submodule, a
 * FIFO, no permission) has {@code error} set instead of content: its realm fails, and is never taken for absent.
 * A {@code fragment} adds objects to a realm named inside it ({@code realm} is null until it is parsed).
 */
public record RealmDocument(String realm, String path, String content, String error, boolean fragment) {
  public RealmDocument(String realm, String path, String content) {
    this(realm, path, content, null, false);
  }

  public RealmDocument(String realm, String path, String content, String error) {
    this(realm, path, content, error, false);
  }

  /** A fragment file (see {@link Fragments}); {@code why} non-null when it could not be read. */
  public static RealmDocument fragment(String path, String content, String why) {
    return new RealmDocument(null, path, content, why == null ? null : path + ": cannot be read: " + why, true);
  }

  public static RealmDocument unreadable(String realm, String path, String why) {
    return new RealmDocument(realm, path, null, path + ": cannot be read: " + why
        + " (the realm keeps its last applied state until the file is fixed)");
  }

  public boolean isYaml() {
    return path.endsWith(".yaml") || path.endsWith(".yml");
  }

  /** The realm a file name stands for, or null if it is not a realm file. */
  public static String realmOf(String fileName) {
    for (String ext : new String[] {".json", ".yaml", ".yml"}) {
      if (fileName.endsWith(ext) && fileName.length() > ext.length() && !fileName.startsWith(".")) {
        return fileName.substring(0, fileName.length() - ext.length());
      }
    }
    return null;
  }
}
