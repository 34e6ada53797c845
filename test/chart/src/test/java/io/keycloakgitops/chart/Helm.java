package io.keycloakgitops.chart;

import io.keycloakgitops.testsupport.Commands;
import io.keycloakgitops.testsupport.ProcessResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the real helm binary on the chart in the work tree. */
final class Helm {
  static final String KUBE_VERSION = System.getProperty("k8s.version", "1.34.4");

  private Helm() {}

  static ProcessResult run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Tools.helm().toString());
    command.addAll(List.of(args));
    // A private helm home: nothing from the developer's own helm config leaks into the render.
    Path home = Path.of(System.getProperty("java.io.tmpdir"), "kg-helm-home");
    Map<String, String> env = Map.of("HELM_CACHE_HOME", home.resolve("cache").toString(),
        "HELM_CONFIG_HOME", home.resolve("config").toString(), "HELM_DATA_HOME", home.resolve("data").toString());
    return Commands.run(Tools.repoRoot(), env, null, Duration.ofMinutes(2), command);
  }

  /** helm template of the chart; {@code extra} are further flags (--values, --set, --include-crds). */
  static ProcessResult template(String release, String namespace, String... extra) {
    List<String> args = new ArrayList<>(List.of("template", release, Tools.chartDir().toString(),
        "--namespace", namespace, "--kube-version", KUBE_VERSION));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  /** The rendered objects; fails the test with helm's message when rendering fails. */
  static Manifests render(String release, String namespace, String... extra) {
    ProcessResult result = template(release, namespace, extra);
    if (!result.ok()) {
      throw new AssertionError("helm template failed: " + result);
    }
    return Manifests.parse(result.stdout());
  }

  static Path fullValues() {
    return Tools.repoRoot().resolve("test/chart/src/test/resources/values-full.yaml");
  }
}
