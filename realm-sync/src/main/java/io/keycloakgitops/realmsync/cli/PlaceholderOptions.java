package io.keycloakgitops.realmsync.cli;

import io.keycloakgitops.realmsync.source.Placeholders;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** What placeholders in Git and folder realm files may read (CRs have their own, fixed rules). */
public final class PlaceholderOptions {
  @Option(names = "--placeholder-env-prefix", defaultValue = "${env:PLACEHOLDER_ENV_PREFIX:-" + Placeholders.DEFAULT_ENV_PREFIX + "}",
      description = "$${env:NAME} reads only variables whose name starts with this (env PLACEHOLDER_ENV_PREFIX, default ${DEFAULT-VALUE}).")
  String envPrefix;

  @Option(names = "--placeholder-dir", defaultValue = "${env:PLACEHOLDER_DIR}",
      description = "$${file:PATH} reads only regular files of at most 64 KiB inside this folder (env PLACEHOLDER_DIR; default none: $${file:} refused).")
  Path dir;

  public Placeholders.GitPolicy policy(Map<String, String> env) {
    return new Placeholders.GitPolicy(env, envPrefix, dir, null, null);
  }

  String envPrefix() {
    return envPrefix;
  }

  Path dir() {
    return dir;
  }
}
