package io.keycloakgitops.reconciler;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The reconciler's typed configuration, built once (from flags/env by {@code run}, or directly by an embedding
 * test) and validated here so that a bad value fails at startup with a clear message.
 *
 * @param namespaces      namespaces to watch; empty means all namespaces
 * @param excludedNamespaces namespaces never reconciled, even when listed in {@code namespaces}: by default
 *                        kube-system and the reconciler's own, where the webhook does not run
 * @param defaultImage    Keycloak image for CRs without {@code spec.image}
 * @param leaderElection  Lease-based leader election, or null to reconcile without it
 * @param bind            address of the health/metrics HTTP server
 * @param healthPort      port of the health/metrics HTTP server; 0 picks a free one
 */
public record ReconcilerConfig(Set<String> namespaces, Set<String> excludedNamespaces, String defaultImage,
    LeaderElection leaderElection, String bind, int healthPort) {

  public static final String DEFAULT_IMAGE = "quay.io/keycloak/keycloak:26.5.6";
  public static final String DEFAULT_LEASE_NAME = "keycloak-gitops-reconciler";
  /** Always excluded by default; {@code run} adds its own namespace (POD_NAMESPACE). */
  public static final String KUBE_SYSTEM = "kube-system";

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  public ReconcilerConfig {
    namespaces = Set.copyOf(new TreeSet<>(namespaces == null ? Set.of() : namespaces));
    excludedNamespaces = Set.copyOf(new TreeSet<>(excludedNamespaces == null ? Set.of() : excludedNamespaces));
    for (String namespace : namespaces) {
      if (!DNS_LABEL.matcher(namespace).matches()) {
        throw new IllegalArgumentException("invalid namespace '" + namespace + "' in the watched namespaces");
      }
    }
    for (String namespace : excludedNamespaces) {
      if (!DNS_LABEL.matcher(namespace).matches()) {
        throw new IllegalArgumentException("invalid namespace '" + namespace + "' in the excluded namespaces");
      }
    }
    if (!namespaces.isEmpty() && excludedNamespaces.containsAll(namespaces)) {
      throw new IllegalArgumentException("every watched namespace " + namespaces + " is excluded (--exclude-namespaces "
          + excludedNamespaces + ")");
    }
    if (defaultImage == null || defaultImage.isBlank()) {
      throw new IllegalArgumentException("the default Keycloak image must not be empty");
    }
    if (bind == null || bind.isBlank()) {
      throw new IllegalArgumentException("the bind address must not be empty");
    }
    if (healthPort < 0 || healthPort > 65535) {
      throw new IllegalArgumentException("health port " + healthPort + " is not in 0..65535");
    }
  }

  /**
   * All namespaces but kube-system, the default image, no leader election, health server on a free loopback port.
   */
  public static ReconcilerConfig defaults() {
    return new ReconcilerConfig(Set.of(), Set.of(KUBE_SYSTEM), DEFAULT_IMAGE, null, "127.0.0.1", 0);
  }

  public ReconcilerConfig withNamespaces(Set<String> watched) {
    return new ReconcilerConfig(watched, excludedNamespaces, defaultImage, leaderElection, bind, healthPort);
  }

  public ReconcilerConfig withExcludedNamespaces(Set<String> excluded) {
    return new ReconcilerConfig(namespaces, excluded, defaultImage, leaderElection, bind, healthPort);
  }

  public ReconcilerConfig withDefaultImage(String image) {
    return new ReconcilerConfig(namespaces, excludedNamespaces, image, leaderElection, bind, healthPort);
  }

  public ReconcilerConfig withLeaderElection(LeaderElection election) {
    return new ReconcilerConfig(namespaces, excludedNamespaces, defaultImage, election, bind, healthPort);
  }

  public ReconcilerConfig withHealthServer(String address, int port) {
    return new ReconcilerConfig(namespaces, excludedNamespaces, defaultImage, leaderElection, address, port);
  }

  public boolean watchesAllNamespaces() {
    return namespaces.isEmpty();
  }

  /** The listed namespaces without the excluded ones (empty when all namespaces are watched). */
  public Set<String> watchedNamespaces() {
    return namespaces.stream().filter(ns -> !excludedNamespaces.contains(ns)).collect(Collectors.toSet());
  }

  /**
   * @param leaseName      name of the coordination.k8s.io Lease
   * @param leaseNamespace namespace of the Lease
   * @param identity       this replica's identity (the pod name in a cluster)
   * @param leaseDuration  how long a lease is valid without renewal; renew deadline and retry period derive from it
   * @param exitOnLoss     exit the process when leadership is lost (a restarted pod rejoins cleanly); false only
   *                       for embedded use, where the embedding test closes the operator itself
   */
  public record LeaderElection(
      String leaseName, String leaseNamespace, String identity, Duration leaseDuration, boolean exitOnLoss) {

    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);

    public LeaderElection {
      if (leaseName == null || !DNS_LABEL.matcher(leaseName).matches()) {
        throw new IllegalArgumentException("invalid lease name '" + leaseName + "'");
      }
      if (leaseNamespace == null || leaseNamespace.isBlank()) {
        throw new IllegalArgumentException(
            "leader election needs the lease namespace: set --lease-namespace or POD_NAMESPACE");
      }
      if (identity == null || identity.isBlank()) {
        throw new IllegalArgumentException("leader election needs an identity");
      }
      if (leaseDuration == null || leaseDuration.compareTo(Duration.ofSeconds(3)) < 0) {
        throw new IllegalArgumentException("the lease duration must be at least 3s");
      }
    }

    public Duration renewDeadline() {
      return leaseDuration.multipliedBy(2).dividedBy(3);
    }

    public Duration retryPeriod() {
      return leaseDuration.dividedBy(6);
    }
  }
}
