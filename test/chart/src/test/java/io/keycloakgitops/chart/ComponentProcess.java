package io.keycloakgitops.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.keycloakgitops.testsupport.TestCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One of our services run from its shaded jar (what images/Containerfile runs) exactly as the chart's Deployment
 * runs it: the container's args and env, authenticated with a token of the chart's ServiceAccount for it, bound to
 * 127.0.0.1 instead of 0.0.0.0 (the caller overrides a bind address given by env).
 */
final class ComponentProcess implements AutoCloseable {
  /** Like the kubelet's HTTPS probes: no certificate verification (the webhook's CA is its own). */
  private static final SSLContext PROBE_TLS = probeTls();

  private final Process process;
  private final Path log;
  private final String name;

  private ComponentProcess(Process process, Path log, String name) {
    this.process = process;
    this.log = log;
    this.name = name;
  }

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
  static ComponentProcess start(TestCluster cluster, Path jar, ObjectNode deployment, String namespace,
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
    return exec(command, environment, jar.getFileName().toString());
  }

  /**
   * Starts any program with only {@code environment} (and PATH unless given), its output in a log file named
   * after {@code name}.
   */
  static ComponentProcess exec(List<String> command, Map<String, String> environment, String name) {
    try {
      Path log = Files.createTempFile(name, ".log");
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().clear();
      builder.environment().put("PATH", System.getenv("PATH"));
      builder.environment().putAll(environment);
      return new ComponentProcess(builder.start(), log, name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

  /** Waits until {@code url} answers 200; fails with the log when the process dies or time runs out. */
  void awaitOk(String url, Duration timeout) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).sslContext(PROBE_TLS).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("exited with " + process.exitValue() + ":\n" + log());
      }
      try {
        if (http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError(url + " not ready within " + timeout + ":\n" + log());
  }

  private static SSLContext probeTls() {
    var trustAll = new X509ExtendedTrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustAll}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  String name() {
    return name;
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
