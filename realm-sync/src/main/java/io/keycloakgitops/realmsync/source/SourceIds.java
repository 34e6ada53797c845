package io.keycloakgitops.realmsync.source;

import java.nio.file.Path;

/**
 * The id each source records in the ownership record of the realms it writes: a source prunes only objects (and
 * realms) recorded under its own id, so a Git repository, a folder and every KeycloakRealmImport CR never delete
 * each other's work. Ids carry no credentials (URL user info is removed).
 */
public final class SourceIds {
  public static final String GIT = "git:";
  public static final String DIR = "dir:";
  public static final String CR = "cr:";

  private SourceIds() {}

  /** {@code git:<repo url without user info>#<branch>:<path>}. */
  public static String git(GitSettings settings) {
    return GIT + GitSettings.redact(settings.repo()) + "#" + settings.branch() + ":" + settings.path();
  }

  /** {@code dir:<absolute folder>}. */
  public static String dir(Path dir) {
    return DIR + dir.toAbsolutePath().normalize();
  }

  /** {@code cr:<namespace>/<name>}. */
  public static String cr(String namespace, String name) {
    return CR + namespace + "/" + name;
  }

  /** The {@code <namespace>/<name>} of a CR source id, or null for any other source. */
  public static String crKey(String sourceId) {
    return sourceId != null && sourceId.startsWith(CR) ? sourceId.substring(CR.length()) : null;
  }
}
