package io.keycloakgitops.reconciler.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.keycloakgitops.reconciler.KeycloakOperator;
import io.keycloakgitops.reconciler.ReconcilerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code run}: reconcile until SIGTERM. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Reconcile Keycloak CRs until stopped (kubeconfig or in-cluster service account).")
public final class RunCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--kubeconfig", description = "Kubeconfig file. Default: $KUBECONFIG, ~/.kube/config, or the "
      + "in-cluster service account.")
  Path kubeconfig;

  @Option(names = "--namespaces", defaultValue = "${env:WATCH_NAMESPACES:-}", split = ",",
      description = "Namespaces to watch, comma-separated (env WATCH_NAMESPACES). Default: all.")
  String[] namespaces;

  @Option(names = "--exclude-namespaces", defaultValue = "${env:EXCLUDE_NAMESPACES:-kube-system,${env:POD_NAMESPACE:-}}",
      split = ",", description = "Namespaces never reconciled, also when listed in --namespaces (env "
      + "EXCLUDE_NAMESPACES). Default (also for an empty value): kube-system and the reconciler's own namespace "
      + "(POD_NAMESPACE), where the webhook does not run.")
  String[] excludeNamespaces;

  @Option(names = "--leader-election", defaultValue = "${env:LEADER_ELECTION:-false}", arity = "0..1",
      fallbackValue = "true", description = "Elect a leader through a Lease so that replicas never reconcile "
      + "together (env LEADER_ELECTION). Default: ${DEFAULT-VALUE}.")
  boolean leaderElection;

  @Option(names = "--lease-namespace", defaultValue = "${env:POD_NAMESPACE}",
      description = "Namespace of the Lease (env POD_NAMESPACE).")
  String leaseNamespace;

  @Option(names = "--lease-name", defaultValue = ReconcilerConfig.DEFAULT_LEASE_NAME,
      description = "Name of the Lease. Default: ${DEFAULT-VALUE}.")
  String leaseName;

  @Option(names = "--lease-duration", defaultValue = "15s", converter = DurationConverter.class,
      description = "How long a lease lasts without renewal (e.g. 15s). Default: ${DEFAULT-VALUE}.")
  Duration leaseDuration;

  @Option(names = "--health-port", defaultValue = "${env:HEALTH_PORT:-8081}",
      description = "Port of /healthz, /readyz and /metrics (env HEALTH_PORT). Default: ${DEFAULT-VALUE}.")
  int healthPort;

  @Option(names = "--bind", defaultValue = "127.0.0.1",
      description = "Address of the health server. Default: ${DEFAULT-VALUE}.")
  String bind;

  @Option(names = "--default-image", defaultValue = "${env:KEYCLOAK_IMAGE:-" + ReconcilerConfig.DEFAULT_IMAGE + "}",
      description = "Keycloak image for CRs without spec.image (env KEYCLOAK_IMAGE). Default: ${DEFAULT-VALUE}.")
  String defaultImage;

  @Override
  public Integer call() throws Exception {
    ReconcilerConfig config;
    Config kubernetes;
    try {
      config = config();
      kubernetes = kubernetesConfig();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    var stopped = new CountDownLatch(1);
    KeycloakOperator operator;
    try {
      operator = KeycloakOperator.start(kubernetes, config);
    } catch (IllegalStateException | KubernetesClientException e) {
      spec.commandLine().getErr().println("error: cannot start the reconciler: " + e.getMessage());
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      operator.close();
      stopped.countDown();
    }, "reconciler-shutdown"));
    stopped.await();
    return 0;
  }

  ReconcilerConfig config() {
    var election = leaderElection
        ? new ReconcilerConfig.LeaderElection(leaseName, leaseNamespace, identity(), leaseDuration, true)
        : null;
    var excluded = names(excludeNamespaces);
    if (excluded.isEmpty()) {
      // An empty EXCLUDE_NAMESPACES (a blank chart value) must not switch the exclusion off.
      excluded = names(new String[] {ReconcilerConfig.KUBE_SYSTEM, System.getenv("POD_NAMESPACE")});
    }
    return new ReconcilerConfig(names(namespaces), excluded, defaultImage, election, bind, healthPort);
  }

  private static Set<String> names(String[] list) {
    return Arrays.stream(list == null ? new String[0] : list).filter(Objects::nonNull)
        .map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
  }

  private Config kubernetesConfig() throws Exception {
    if (kubeconfig == null) {
      return Config.autoConfigure(null);
    }
    if (!Files.isReadable(kubeconfig)) {
      throw new IllegalArgumentException("kubeconfig " + kubeconfig + " is not readable");
    }
    return Config.fromKubeconfig(Files.readString(kubeconfig));
  }

  /** The pod name in a cluster (HOSTNAME), otherwise unique per process. */
  private static String identity() {
    String hostname = System.getenv("HOSTNAME");
    return hostname == null || hostname.isBlank() ? "reconciler-" + UUID.randomUUID() : hostname;
  }

  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
      var matcher = DURATION.matcher(value.strip());
      if (!matcher.matches()) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a duration like 500ms, 15s, 2m, 1h");
      }
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofHours(amount);
      };
    }
  }
}
