package io.keycloakgitops.realmsync.source;

import java.nio.file.Path;

/**
 * A Git source: {@code repo} is an https/ssh/file URL or a local path, {@code path} the folder of realm files in it.
 * Credentials: a token (https; {@code username} defaults to x-access-token, which GitHub and GitLab accept with
 * personal access tokens) or an SSH key file with a known_hosts file. {@code cacheDir} holds the fetched objects.
 */
public record GitSettings(String repo, String branch, String path, String token, String username, Path sshKeyFile,
    Path knownHostsFile, Path cacheDir) {

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

  @Override
  public String toString() {
    return repo.replaceAll("//[^/@]+@", "//") + "#" + branch + (path.isEmpty() ? "" : ":" + path);
  }
}
