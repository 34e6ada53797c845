package io.keycloakgitops.reconciler.model;

import io.keycloakgitops.reconciler.ReconcilerConfig;
import io.keycloakgitops.schemas.common.ValueOrSecret;
import io.keycloakgitops.schemas.keycloak.KeycloakFacts;
import io.keycloakgitops.schemas.keycloak.KeycloakSpec;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import java.util.List;
import java.util.Optional;

/**
 * The spec with every default resolved: the one place that decides what an absent field means. The schema holds
 * no defaults (the webhook sets them visibly), but the reconciler must also work on CRs it never saw defaulted.
 */
public record ServerSettings(
    String image,
    boolean optimized,
    int instances,
    boolean tls,
    boolean httpEnabled,
    int httpPort,
    int httpsPort,
    int managementPort,
    String relativePath,
    String managementRelativePath,
    boolean ingressEnabled,
    boolean networkPolicyEnabled,
    boolean serviceMonitorEnabled,
    String adminSecret,
    boolean generatedAdminSecret,
    UpdateStrategy updateStrategy) {

  public static final int DEFAULT_HTTP_PORT = 8080;
  public static final int DEFAULT_HTTPS_PORT = 8443;
  public static final int DEFAULT_MANAGEMENT_PORT = 9000;
  public static final int JGROUPS_PORT = 7800;

  /** How a change of the server reaches the pods. */
  public enum UpdateStrategy {
    /** No spec.update.strategy: always a rolling update. */
    ROLLING,
    /** Recreate (no mixed versions in one cluster) when the image changes, rolling otherwise. */
    RECREATE_ON_IMAGE_CHANGE,
    /** Recreate when spec.update.revision changes, rolling otherwise. */
    EXPLICIT
  }

  public static ServerSettings of(Keycloak keycloak, ReconcilerConfig config) {
    KeycloakSpec spec = keycloak.getSpec() == null ? new KeycloakSpec() : keycloak.getSpec();
    var http = Optional.ofNullable(spec.http);
    boolean tls = http.map(h -> h.tlsSecret).filter(s -> !s.isBlank()).isPresent();
    // Without TLS the server can only serve plain HTTP, whatever httpEnabled says.
    boolean httpEnabled = !tls || http.map(h -> h.httpEnabled).orElse(false);
    String relativePath = normalizePath(plainOption(spec, "http-relative-path").orElse(""));
    String managementRelativePath = plainOption(spec, "http-management-relative-path")
        .map(ServerSettings::normalizePath)
        .orElse(relativePath);
    var userAdminSecret = Optional.ofNullable(spec.bootstrapAdmin)
        .map(b -> b.user)
        .map(u -> u.secret)
        .filter(s -> !s.isBlank());
    return new ServerSettings(
        spec.image == null || spec.image.isBlank() ? config.defaultImage() : spec.image,
        // A custom image is expected to be built (kc.sh build) already; startOptimized overrides the guess.
        spec.startOptimized != null ? spec.startOptimized : spec.image != null && !spec.image.isBlank(),
        spec.instances == null ? 1 : spec.instances,
        tls,
        httpEnabled,
        http.map(h -> h.httpPort).orElse(DEFAULT_HTTP_PORT),
        http.map(h -> h.httpsPort).orElse(DEFAULT_HTTPS_PORT),
        Optional.ofNullable(spec.httpManagement).map(m -> m.port).orElse(DEFAULT_MANAGEMENT_PORT),
        relativePath,
        managementRelativePath,
        KeycloakFacts.ingressEnabled(spec),
        Optional.ofNullable(spec.networkPolicy).map(n -> n.enabled).orElse(true),
        Optional.ofNullable(spec.serviceMonitor).map(m -> m.enabled).orElse(true),
        userAdminSecret.orElse(KeycloakNames.initialAdminSecret(keycloak)),
        userAdminSecret.isEmpty(),
        updateStrategy(spec));
  }

  private static UpdateStrategy updateStrategy(KeycloakSpec spec) {
    String strategy = spec.update == null ? null : spec.update.strategy;
    if (strategy == null) {
      return UpdateStrategy.ROLLING;
    }
    return switch (strategy) {
      case "Explicit" -> UpdateStrategy.EXPLICIT;
      // Auto needs the update-compatibility Job; without it the safe choice is the same as on an image change.
      case "RecreateOnImageChange", "Auto" -> UpdateStrategy.RECREATE_ON_IMAGE_CHANGE;
      default -> UpdateStrategy.ROLLING;
    };
  }

  /** The port clients use: https when the pod terminates TLS, http otherwise. */
  public int servingPort() {
    return tls ? httpsPort : httpPort;
  }

  public String scheme() {
    return tls ? "https" : "http";
  }

  /** {@code status.internalUrl}: what in-cluster clients (realm-sync) use to reach the server. */
  public String internalUrl(Keycloak keycloak) {
    return "%s://%s.%s.svc:%d%s".formatted(scheme(), KeycloakNames.service(keycloak),
        keycloak.getMetadata().getNamespace(), servingPort(), relativePath);
  }

  /** An additionalOptions entry given as a literal value (a Secret-backed one is unknown until runtime). */
  static Optional<String> plainOption(KeycloakSpec spec, String name) {
    List<ValueOrSecret> options = spec.additionalOptions == null ? List.of() : spec.additionalOptions;
    return options.stream()
        .filter(o -> name.equals(o.name) && o.value != null)
        .map(o -> o.value)
        .reduce((first, last) -> last);
  }

  /** "/auth/" and "auth" both mean "/auth"; "/" and "" mean the root. */
  private static String normalizePath(String path) {
    String trimmed = path.strip();
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.isEmpty() || trimmed.startsWith("/") ? trimmed : "/" + trimmed;
  }
}
