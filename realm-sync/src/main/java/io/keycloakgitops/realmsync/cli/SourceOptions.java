package io.keycloakgitops.realmsync.cli;

import io.keycloakgitops.realmsync.source.CommitSignatures;
import io.keycloakgitops.realmsync.source.DirectorySource;
import io.keycloakgitops.realmsync.source.GitSettings;
import io.keycloakgitops.realmsync.source.GitSource;
import io.keycloakgitops.realmsync.source.RealmSource;
import io.keycloakgitops.realmsync.source.SourceIds;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** Where realm files come from: a folder ({@code --dir}) or a Git repository ({@code --repo}). */
public final class SourceOptions {
  /** Exactly one of the two. */
  public static final class Location {
    @Option(names = "--dir", required = true, description = "Folder holding <realm>.json / .yaml files.")
    Path dir;

    @Option(names = "--repo", required = true, description = "Git repository: https/ssh/file URL or local path.")
    String repo;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Location location;

  @Option(names = "--branch", defaultValue = "${env:GIT_BRANCH:-main}", description = "Branch (env GIT_BRANCH, default ${DEFAULT-VALUE}).")
  String branch;

  @Option(names = "--path", defaultValue = "${env:REALMS_PATH:-realms}",
      description = "Folder of realm files inside the repository (env REALMS_PATH, default ${DEFAULT-VALUE}).")
  String path;

  @Option(names = "--ref", description = "Read this branch, tag, full ref (refs/pull/7/head) or commit of --repo instead of the tip of --branch, "
      + "without checking it out; objects keep --branch as their owning source, so the plan shows what merging REF would do.")
  String ref;

  @Option(names = "--since", description = "Compare only the objects whose declaration changed since this commit "
      + "(branch, tag or commit id of --repo), as the service does for a new commit: a few reads instead of a full compare, "
      + "and no drift check. Give the commit the last successful apply read; a run without --since catches drift and "
      + "anything missed.")
  String since;

  @Option(names = "--git-cache-dir", defaultValue = "${env:GIT_CACHE_DIR}", description = "Where fetched Git objects are kept (env GIT_CACHE_DIR; default a temporary folder).")
  Path cacheDir;

  public GitSettings git() {
    return gitSettings(location.repo, branch, path, cacheDir);
  }

  /** Git settings with credentials from the environment: GIT_TOKEN (+GIT_USERNAME) or GIT_SSH_KEY_FILE. */
  static GitSettings gitSettings(String repo, String branch, String path, Path cacheDir) {
    String key = System.getenv("GIT_SSH_KEY_FILE");
    String knownHosts = System.getenv("GIT_SSH_KNOWN_HOSTS");
    return new GitSettings(repo, branch, path, System.getenv("GIT_TOKEN"), System.getenv("GIT_USERNAME"),
        key == null || key.isBlank() ? null : Path.of(key), knownHosts == null || knownHosts.isBlank() ? null : Path.of(knownHosts),
        cacheDir);
  }

  /** The id this source records with what it writes. */
  public String sourceId() {
    return location.dir != null ? SourceIds.dir(location.dir) : SourceIds.git(git());
  }

  /** {@code signatures}: null, or the keys a Git head commit must be signed by. */
  public RealmSource open(CommitSignatures signatures) {
    if (location.dir != null) {
      if (signatures != null || ref != null) {
        throw new IllegalArgumentException((ref != null ? "--ref" : "--verify-signatures") + " needs --repo, not --dir");
      }
      return new DirectorySource(location.dir);
    }
    return new GitSource(git(), signatures, ref);
  }

  /** The files at {@code --since}, or null without it. */
  public RealmSource openSince() {
    if (since == null) {
      return null;
    }
    if (location.dir != null) {
      throw new IllegalArgumentException("--since needs --repo, not --dir");
    }
    return new GitSource(git(), null, since);
  }
}
