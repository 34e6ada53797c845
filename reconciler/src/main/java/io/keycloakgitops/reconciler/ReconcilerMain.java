package io.keycloakgitops.reconciler;

import io.keycloakgitops.reconciler.cli.RenderCommand;
import io.keycloakgitops.reconciler.cli.RunCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar reconciler.jar run|render}. */
@Command(name = "reconciler", mixinStandardHelpOptions = true, versionProvider = ReconcilerMain.Version.class,
    description = "Runs Keycloak on Kubernetes for each Keycloak CR (java-operator-sdk controller).",
    subcommands = {RunCommand.class, RenderCommand.class, CommandLine.HelpCommand.class})
public final class ReconcilerMain {
  private static final String LOGBACK_CONFIG = "logback.configurationFile";

  public static void main(String[] args) {
    // Before the first logger exists: logback reads its configuration once.
    if ("json".equalsIgnoreCase(System.getenv("LOG_FORMAT")) && System.getProperty(LOGBACK_CONFIG) == null) {
      System.setProperty(LOGBACK_CONFIG, "logback-json.xml");
    }
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    return new CommandLine(new ReconcilerMain());
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = ReconcilerMain.class.getPackage().getImplementationVersion();
      return new String[] {"keycloak-gitops reconciler " + (version == null ? "dev" : version)};
    }
  }
}
