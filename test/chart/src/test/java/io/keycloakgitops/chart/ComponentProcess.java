package io.keycloakgitops.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.keycloakgitops.testsupport.ServiceProcess;
import io.keycloakgitops.testsupport.TestCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One of our services run from its shaded jar (what images/Containerfile runs) exactly as the chart's Deployment
 * runs it: the container's args and env, authenticated with a token of the chart's ServiceAccount for it, bound to
 * 127.0.0.1 instead of 0.0.0.0 (the caller overrides a bind address given by env).
 */
final class ComponentProcess {
  private ComponentProcess() {}

  /** The shaded jar of {@code module}; the reactor builds it before this module (see the root pom's module order). */
  static Path jar(String module) {
    Path jar = Tools.repoRoot().resolve(module + "/target/" + module + ".jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build it first (mvn -pl " + module + " package)");
    }
    return jar;
  }

  /**
   * Starts {@code jar} with the first container of {@code deployment}, as ServiceAccount
   * {@code pod.spec.serviceAccountName} of {@code namespace}; {@code env} overrides the rendered variables.
   */
  static ServiceProcess start(TestCluster cluster, Path jar, ObjectNode deployment, String namespace,
      Map<String, String> env) {
    JsonNode pod = deployment.path("spec").path("template").path("spec");
    JsonNode container = pod.path("containers").get(0);
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar.toString()));
    for (JsonNode arg : container.path("args")) {
      command.add(arg.asText().startsWith("--bind=") ? "--bind=127.0.0.1" : arg.asText());
    }
    Map<String, String> environment = new HashMap<>();
    // fabric8 reads KUBECONFIG wherever a service builds its client, with or without a --kubeconfig flag.
    environment.put("KUBECONFIG",
        serviceAccountKubeconfig(cluster, namespace, pod.path("serviceAccountName").asText()).toString());
    for (JsonNode var : container.path("env")) {
      String name = var.path("name").asText();
      if (var.has("value")) {
        environment.put(name, var.path("value").asText());
      } else if ("metadata.namespace".equals(var.path("valueFrom").path("fieldRef").path("fieldPath").asText())) {
        environment.put(name, namespace);
      }
    }
    environment.putAll(env);
    return ServiceProcess.exec(command, environment, jar.getFileName().toString());
  }

  /** A kubeconfig that authenticates with a fresh token of the ServiceAccount (TokenRequest), not as admin. */
  static Path serviceAccountKubeconfig(TestCluster cluster, String namespace, String serviceAccount) {
    String token = cluster.client().serviceAccounts().inNamespace(namespace).withName(serviceAccount)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus().getToken();
    try {
      JsonNode admin = Manifests.YAML.readTree(cluster.kubeconfigYaml());
      ObjectNode config = Manifests.YAML.createObjectNode().put("apiVersion", "v1").put("kind", "Config");
      config.putArray("clusters").add(admin.path("clusters").get(0).deepCopy());
      String clusterName = admin.path("clusters").get(0).path("name").asText();
      config.putArray("users").addObject().put("name", serviceAccount).putObject("user").put("token", token);
      config.putArray("contexts").addObject().put("name", serviceAccount).putObject("context")
          .put("cluster", clusterName).put("user", serviceAccount).put("namespace", namespace);
      config.put("current-context", serviceAccount);
      Path file = Files.createTempFile("kubeconfig-" + serviceAccount, ".yaml");
      Files.writeString(file, Manifests.YAML.writeValueAsString(config));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
