package io.keycloakgitops.reconciler.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The names and labels of everything the reconciler owns for a Keycloak CR. Every builder, the informers' label
 * selector and the status selector read them here, so a name is spelled in exactly one place.
 */
public final class KeycloakNames {
  public static final String MANAGED_BY = "keycloak-gitops";
  public static final String APP_LABEL = "app";
  public static final String INSTANCE_LABEL = "app.kubernetes.io/instance";
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String COMPONENT_LABEL = "app.kubernetes.io/component";

  /** Label selector of the informers: they cache only what this reconciler created. */
  public static final String MANAGED_SELECTOR = MANAGED_BY_LABEL + "=" + MANAGED_BY;

  private static final String ANNOTATION_PREFIX = "keycloak-gitops.io/";
  /** Pod template annotation: digest of the referenced Secret/ConfigMap content, so a content change rolls pods. */
  public static final String CONFIG_DIGEST_ANNOTATION = ANNOTATION_PREFIX + "config-digest";
  /** Deployment annotation: the spec.update.revision the pods run (Explicit update strategy). */
  public static final String UPDATE_REVISION_ANNOTATION = ANNOTATION_PREFIX + "update-revision";

  private KeycloakNames() {}

  public static String deployment(HasMetadata keycloak) {
    return keycloak.getMetadata().getName();
  }

  public static String service(HasMetadata keycloak) {
    return keycloak.getMetadata().getName() + "-service";
  }

  public static String discoveryService(HasMetadata keycloak) {
    return keycloak.getMetadata().getName() + "-discovery";
  }

  public static String ingress(HasMetadata keycloak) {
    return keycloak.getMetadata().getName() + "-ingress";
  }

  public static String networkPolicy(HasMetadata keycloak) {
    return keycloak.getMetadata().getName() + "-network-policy";
  }

  public static String initialAdminSecret(HasMetadata keycloak) {
    return keycloak.getMetadata().getName() + "-initial-admin";
  }

  public static String podDisruptionBudget(HasMetadata keycloak) {
    return keycloak.getMetadata().getName();
  }

  public static String serviceMonitor(HasMetadata keycloak) {
    return keycloak.getMetadata().getName();
  }

  /** The labels selecting the Keycloak pods (Deployment selector, Services, NetworkPolicy, PDB): never change. */
  public static Map<String, String> selectorLabels(HasMetadata keycloak) {
    var labels = new LinkedHashMap<String, String>();
    labels.put(APP_LABEL, "keycloak");
    labels.put(MANAGED_BY_LABEL, MANAGED_BY);
    labels.put(INSTANCE_LABEL, keycloak.getMetadata().getName());
    labels.put(COMPONENT_LABEL, "server");
    return labels;
  }

  /** The selector labels plus {@code extra} (e.g. user labels from the spec); ours win on a clash. */
  public static Map<String, String> labels(HasMetadata keycloak, Map<String, String> extra) {
    var labels = new LinkedHashMap<String, String>();
    if (extra != null) {
      labels.putAll(extra);
    }
    labels.putAll(selectorLabels(keycloak));
    return labels;
  }

  /** {@code status.selector}: the pod selector as a label-selector string (scale subresource, HPA). */
  public static String selectorString(HasMetadata keycloak) {
    return new TreeMap<>(selectorLabels(keycloak)).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }
}
