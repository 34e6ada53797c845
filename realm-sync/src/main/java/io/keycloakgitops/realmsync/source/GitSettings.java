package io.keycloakgitops.realmsync.source;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A Git source: {@code repo} is an https/ssh/file URL or a local path, {@code path} the folder of realm files in it.
 * Credentials: a token (https; {@code username} defaults to x-access-token, which GitHub and GitLab accept with
 * personal access tokens) or an SSH key file with a known_hosts file. {@code cacheDir} holds the fetched objects.
 */
public record GitSettings(String repo, String branch, String path, String token, String username, Path sshKeyFile,
    Path knownHostsFile, Path cacheDir) {
  /** The user info of a URL ({@code https://TOKEN@host}, {@code https://user:TOKEN@host}): a token lives there. */
  private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/?#\\s]*@");

  public GitSettings {
    if (repo == null || repo.isBlank()) {
      throw new IllegalArgumentException("no Git repository given (--repo)");
    }
    branch = branch == null || branch.isBlank() ? "main" : branch;
    path = path == null ? "" : path.replaceAll("^/+|/+$", "");
    path = path.equals(".") ? "" : path;
    username = username == null || username.isBlank() ? "x-access-token" : username;
  }

  public static GitSettings of(String repo, String branch, String path) {
    return new GitSettings(repo, branch, path, null, null, null, null, null);
  }

  public GitSettings withCacheDir(Path dir) {
    return new GitSettings(repo, branch, path, token, username, sshKeyFile, knownHostsFile, dir);
  }

  /**
   * {@code text} with the user info of every URL in it removed: the one function every repository URL and every
   * JGit message goes through before it reaches a log, an error, {@code /status}, a metric or an Event.
   */
  public static String redact(String text) {
    return text == null ? null : USER_INFO.matcher(text).replaceAll("$1");
  }

  @Override
  public String toString() {
    return redact(repo) + "#" + branch + (path.isEmpty() ? "" : ":" + path);
  }
}
