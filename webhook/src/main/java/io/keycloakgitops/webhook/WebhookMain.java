package io.keycloakgitops.webhook;

import io.keycloakgitops.webhook.cli.Commands;

/** {@code java -jar webhook.jar serve|check ...}. */
public final class WebhookMain {
  private WebhookMain() {}

  public static void main(String[] args) {
    System.exit(Commands.commandLine().execute(args));
  }
}
