package io.keycloakgitops.realmsync.cli;

import io.keycloakgitops.realmsync.engine.Json;
import io.keycloakgitops.realmsync.keycloak.Defaults;
import io.keycloakgitops.realmsync.keycloak.Exporter;
import io.keycloakgitops.realmsync.keycloak.KeycloakAdmin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes a live realm as a realm file, to start a repository from an existing Keycloak. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Write a live realm as canonical JSON (sorted, ids and defaults left out, secrets masked).")
public final class ExportCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--realm", required = true, description = "The realm to export.")
  String realm;

  @Option(names = "--out", description = "File to write (default: standard output).")
  Path out;

  @Mixin
  KeycloakOptions keycloak;

  @Override
  public Integer call() throws IOException {
    try (var admin = KeycloakAdmin.connect(keycloak.target(), keycloak.timeouts())) {
      var rep = Exporter.export(admin.realm(realm), admin.readers(), Defaults.load());
      if (rep == null) {
        spec.commandLine().getErr().println("realm " + realm + " does not exist on " + keycloak.target().url());
        return 1;
      }
      String json = Json.writePretty(rep) + "\n";
      if (out == null) {
        spec.commandLine().getOut().print(json);
        spec.commandLine().getOut().flush();
      } else {
        Files.writeString(out, json);
        spec.commandLine().getErr().println("realm " + realm + " written to " + out
            + " (secrets appear as **********: replace them with placeholders such as ${env:REALM_NAME} to manage them)");
      }
      return 0;
    }
  }
}
