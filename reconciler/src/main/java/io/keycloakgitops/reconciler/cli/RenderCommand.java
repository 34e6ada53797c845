package io.keycloakgitops.reconciler.cli;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.keycloakgitops.reconciler.ReconcilerConfig;
import io.keycloakgitops.reconciler.controller.KeycloakReconciler;
import io.keycloakgitops.reconciler.dependent.DesiredResources;
import io.keycloakgitops.reconciler.model.KeycloakModel;
import io.keycloakgitops.reconciler.model.KeycloakPodTemplate;
import io.keycloakgitops.reconciler.model.ServerOptions;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code render}: print the desired resources of Keycloak CRs, without a cluster. */
@Command(name = "render", mixinStandardHelpOptions = true,
    description = "Print every resource the reconciler would apply for the Keycloak CRs in a file, as YAML. "
        + "Uses the controller's own builders; no cluster is contacted.")
public final class RenderCommand implements Callable<Integer> {
  /** Stands in for the random password that the reconciler generates when it creates the Secret. */
  public static final String PASSWORD_PLACEHOLDER = "<generated when the Secret is created>";

  @Spec
  CommandSpec spec;

  @Option(names = {"-f", "--file"}, required = true, description = "YAML file with one or more Keycloak CRs.")
  Path file;

  @Option(names = {"-n", "--namespace"}, description = "Namespace to render into. Default: the CR's, else "
      + "'default'.")
  String namespace;

  @Option(names = "--default-image", defaultValue = "${env:KEYCLOAK_IMAGE:-" + ReconcilerConfig.DEFAULT_IMAGE + "}",
      description = "Keycloak image for CRs without spec.image. Default: ${DEFAULT-VALUE}.")
  String defaultImage;

  @Override
  public Integer call() {
    List<Keycloak> keycloaks;
    ReconcilerConfig config;
    try {
      keycloaks = KeycloakManifests.parse(Files.readString(file), namespace);
      config = ReconcilerConfig.defaults().withDefaultImage(defaultImage);
    } catch (IOException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "cannot read " + file + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), file + ": " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    var serialization = new KubernetesSerialization();
    boolean refused = false;
    for (Keycloak keycloak : keycloaks) {
      var model = KeycloakModel.of(keycloak, config);
      ServerOptions.warnings(model).forEach(w -> err.println("warning: " + keycloak.getMetadata().getName()
          + ": " + w));
      // The controller's own refusal: it writes nothing for such a CR, so nothing is printed for it either.
      var refusals = KeycloakPodTemplate.podSecurityRefusals(model);
      refusals.forEach(refusal -> err.println("error: " + keycloak.getMetadata().getName() + ": "
          + KeycloakReconciler.POD_SECURITY_REFUSAL + refusal));
      if (!refusals.isEmpty()) {
        refused = true;
        continue;
      }
      for (var resource : DesiredResources.of(model, () -> PASSWORD_PLACEHOLDER)) {
        out.print(serialization.asYaml(resource));
      }
    }
    out.flush();
    err.flush();
    return refused ? 1 : 0;
  }
}
