package io.keycloakgitops.webhook.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The webhook's command line: {@code serve} and {@code check}. */
@Command(name = "webhook", mixinStandardHelpOptions = true, version = "keycloak-gitops webhook 0.1.0",
    description = "Admission webhooks for Keycloak and KeycloakRealmImport CRs.",
    subcommands = {ServeCommand.class, CheckCommand.class})
public final class Commands implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** The command line with a one-line message, not a stack trace, for configuration errors (exit 2). */
  public static CommandLine commandLine() {
    return new CommandLine(new Commands())
        .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
          commandLine.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
          return 2;
        });
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
