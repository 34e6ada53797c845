package io.keycloakgitops.realmsync.source;

/**
 * One realm file as read from a source: {@code path} for messages ({@code realms/demo.json}), the realm name its
 * file name promises, and the raw text. A file that is there but cannot be read (a symlink in Git, a submodule, a
 * FIFO, no permission) has {@code error} set instead of content: its realm fails, and is never taken for absent.
 */
public record RealmDocument(String realm, String path, String content, String error) {
  public RealmDocument(String realm, String path, String content) {
    this(realm, path, content, null);
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
