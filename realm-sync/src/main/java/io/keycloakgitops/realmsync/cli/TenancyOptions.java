package io.keycloakgitops.realmsync.cli;

import io.keycloakgitops.realmsync.source.DirectorySource;
import io.keycloakgitops.realmsync.source.GitSource;
import io.keycloakgitops.realmsync.source.RealmSource;
import io.keycloakgitops.realmsync.source.Tenancy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Fragments of realms spread over the repository, and who may declare what in them. */
public final class TenancyOptions {
  @Option(names = "--fragments", split = ",", defaultValue = "${env:FRAGMENT_PATHS:-}",
      description = "Globs of fragment files, relative to the repository root (or --dir folder), e.g. teams/** "
          + "(env FRAGMENT_PATHS; ** crosses folders, * does not). Default: no fragments.")
  List<String> fragments;

  @Option(names = "--tenancy", defaultValue = "${env:TENANCY_FILE}",
      description = "YAML file of grants: which paths may declare which realms, kinds and names (env TENANCY_FILE). "
          + "Must not lie inside the watched repository. Default: every file may declare whole realms.")
  Path tenancy;

  List<String> globs() {
    return fragments == null ? List.of() : fragments.stream().map(String::trim).filter(g -> !g.isEmpty()).toList();
  }

  /** {@code source} reading fragments too. */
  RealmSource withFragments(RealmSource source) {
    if (source instanceof GitSource git) {
      return git.withFragments(globs());
    }
    return source instanceof DirectorySource dir ? dir.withFragments(globs()) : source;
  }

  /** The tenancy file, read once at start; an IllegalArgumentException names what is wrong with it. */
  Tenancy tenancy(Path dir, String repo) {
    if (tenancy == null) {
      return Tenancy.OPEN;
    }
    if (dir != null) {
      throw new IllegalArgumentException("--tenancy applies to Git sources (--repo): its grants name repository paths");
    }
    return Tenancy.read(tenancy, localRepository(repo));
  }

  /** The folder of a repository given as a local path or file URL (null for remote ones). */
  static Path localRepository(String repo) {
    try {
      if (repo.startsWith("file:")) {
        return Path.of(URI.create(repo));
      }
      Path path = Path.of(repo);
      return Files.exists(path) ? path : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
