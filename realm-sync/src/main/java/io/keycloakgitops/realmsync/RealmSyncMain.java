package io.keycloakgitops.realmsync;

import io.keycloakgitops.realmsync.cli.ApplyCommand;
import io.keycloakgitops.realmsync.cli.ExportCommand;
import io.keycloakgitops.realmsync.cli.PlanCommand;
import io.keycloakgitops.realmsync.cli.RunCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of realm-sync.jar. */
@Command(name = "realm-sync", mixinStandardHelpOptions = true, version = "realm-sync 0.1.0",
    description = "Keeps Keycloak realms in line with realm files in Git (or KeycloakRealmImport CRs).",
    subcommands = {RunCommand.class, ApplyCommand.class, PlanCommand.class, ExportCommand.class, CommandLine.HelpCommand.class})
public final class RealmSyncMain implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with realm-sync's conventions: usage errors exit 1 (2 means "changes pending" for plan). */
  public static CommandLine commandLine() {
    var commandLine = new CommandLine(new RealmSyncMain()).setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setParameterExceptionHandler((e, args) -> {
      e.getCommandLine().getErr().println(e.getMessage());
      e.getCommandLine().usage(e.getCommandLine().getErr());
      return 1;
    });
    commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
      cl.getErr().println(e.getMessage());
      return 1;
    });
    return commandLine;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
