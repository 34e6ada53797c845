package io.keycloakgitops.realmsync.source;

/**
 * One realm file as read from a source: {@code path} for messages ({@code realms/demo.json}), the realm name its
 * file name promises, and the raw text.
 */
public record RealmDocument(String realm, String path, String content) {
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
