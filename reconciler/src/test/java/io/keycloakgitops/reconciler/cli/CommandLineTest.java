package io.keycloakgitops.reconciler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.keycloakgitops.reconciler.ReconcilerMain;
import io.keycloakgitops.testsupport.Fixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandLineTest {
  @TempDir
  Path dir;

  private record Result(int exitCode, String out, String err) {}

  private static Result run(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    CommandLine cli = ReconcilerMain.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void renderPrintsEveryDesiredResourceOfEveryCr() throws IOException {
    Path file = dir.resolve("kc.yaml");
    Files.writeString(file, Fixtures.read("upstream/keycloak-basic.yaml") + "\n---\n"
        + Fixtures.read("upstream/keycloak-full.yaml"));
    var result = run("render", "-f", file.toString(), "--namespace", "prod");
    assertThat(result.exitCode()).as(result.err()).isZero();
    List<GenericKubernetesResource> resources = Arrays.stream(result.out().split("(?m)^---$"))
        .filter(doc -> !doc.isBlank())
        .map(doc -> new KubernetesSerialization().unmarshal(doc, GenericKubernetesResource.class))
        .toList();
    assertThat(resources).extracting(r -> r.getKind() + "/" + r.getMetadata().getName()).contains(
        "Secret/example-kc-initial-admin", "Deployment/example-kc", "Service/example-kc-service",
        "Service/example-kc-discovery", "NetworkPolicy/example-kc-network-policy", "Ingress/full-kc-ingress",
        "Deployment/full-kc", "PodDisruptionBudget/full-kc", "ServiceMonitor/full-kc");
    assertThat(resources).allSatisfy(r -> assertThat(r.getMetadata().getNamespace()).isEqualTo("prod"));
    assertThat(resources).extracting(r -> r.getKind() + "/" + r.getMetadata().getName())
        .as("full-kc names its own admin Secret").doesNotContain("Secret/full-kc-initial-admin")
        .as("example-kc has no spec.ingress").doesNotContain("Ingress/example-kc-ingress");
  }

  @Test
  void renderRefusesAPodThatViolatesTheRestrictedStandardAsTheControllerDoes() throws IOException {
    Path file = dir.resolve("kc.yaml");
    Files.writeString(file, """
        apiVersion: k8s.keycloak.org/v2beta1
        kind: Keycloak
        metadata: {name: attack}
        spec:
          unsupported:
            podTemplate:
              spec:
                hostPID: true
                containers:
                - name: keycloak
                  securityContext: {privileged: true}
                volumes:
                - name: host
                  hostPath: {path: /}
        ---
        """ + Fixtures.read("upstream/keycloak-basic.yaml"));
    var result = run("render", "-f", file.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains(
        "error: attack: not applied: the pod would violate the restricted Pod Security Standard: "
            + "spec.unsupported.podTemplate.spec.hostPID: violates PodSecurity \"baseline\" check \"hostNamespaces\"",
        "spec.unsupported.podTemplate.spec.containers[0].securityContext.privileged: violates PodSecurity "
            + "\"baseline\" check \"privileged\"",
        "spec.unsupported.podTemplate.spec.volumes[0].hostPath: violates PodSecurity \"restricted\" check "
            + "\"restrictedVolumes\"");
    assertThat(result.out()).as("nothing is printed for the refused CR").doesNotContain("attack")
        .contains("name: \"example-kc\"");
  }

  @Test
  void renderRejectsOtherKindsClearly() throws IOException {
    Path file = dir.resolve("cm.yaml");
    Files.writeString(file, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    var result = run("render", "-f", file.toString());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("document 1 is v1 ConfigMap, not a k8s.keycloak.org Keycloak");
  }

  @Test
  void renderNeedsAFile() {
    var result = run("render");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--file");
  }

  @Test
  void runFlagsBecomeTheTypedConfiguration() {
    var run = new RunCommand();
    new CommandLine(run).parseArgs("--namespaces", "a, b", "--leader-election", "--lease-namespace", "ops",
        "--lease-duration", "9s", "--health-port", "9090", "--bind", "0.0.0.0", "--default-image", "kc:1");
    var config = run.config();
    assertThat(config.namespaces()).containsExactlyInAnyOrder("a", "b");
    assertThat(config.leaderElection().leaseNamespace()).isEqualTo("ops");
    assertThat(config.leaderElection().leaseName()).isEqualTo("keycloak-gitops-reconciler");
    assertThat(config.leaderElection().leaseDuration()).isEqualTo(Duration.ofSeconds(9));
    assertThat(config.leaderElection().exitOnLoss()).isTrue();
    assertThat(config.healthPort()).isEqualTo(9090);
    assertThat(config.bind()).isEqualTo("0.0.0.0");
    assertThat(config.defaultImage()).isEqualTo("kc:1");
    assertThat(config.watchedNamespaces()).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void excludedNamespacesDefaultToKubeSystemAndApplyToTheListedOnes() {
    var run = new RunCommand();
    new CommandLine(run).parseArgs();
    assertThat(run.config().excludedNamespaces()).contains("kube-system");
    run = new RunCommand();
    new CommandLine(run).parseArgs("--exclude-namespaces=");
    assertThat(run.config().excludedNamespaces()).as("empty means the default").contains("kube-system");
    run = new RunCommand();
    new CommandLine(run).parseArgs("--namespaces", "team,ops", "--exclude-namespaces", "ops, kube-system");
    assertThat(run.config().excludedNamespaces()).containsExactlyInAnyOrder("ops", "kube-system");
    assertThat(run.config().watchedNamespaces()).containsExactly("team");
    assertThat(run("run", "--namespaces", "ops", "--exclude-namespaces", "ops").err())
        .contains("every watched namespace [ops] is excluded");
  }

  @Test
  void runFailsFastOnABadConfiguration() {
    var result = run("run", "--leader-election", "--lease-namespace=", "--health-port", "0");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("leader election needs the lease namespace");
    assertThat(run("run", "--namespaces", "Not_A_Namespace").err()).contains("invalid namespace 'Not_A_Namespace'");
  }

  @Test
  void helpWorks() {
    var result = run("--help");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("run", "render");
    assertThat(run("run", "--help").out()).contains("--namespaces", "--leader-election", "--lease-namespace",
        "--lease-name", "--health-port", "--bind", "--default-image", "--exclude-namespaces");
  }
}
