package io.keycloakgitops.reconciler.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.ResolvedControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.keycloakgitops.reconciler.ReconcilerConfig;
import java.util.Set;

/**
 * Keeps the excluded namespaces (kube-system and the reconciler's own by default, where the webhook does not run)
 * out of the informers: a listed namespace list simply drops them; a cluster-wide watch lists and watches with
 * the field selector {@code metadata.namespace!=<ns>} (every resource, custom ones included, supports it), so the
 * CRs there are never cached, never reconciled and never get a status write.
 *
 * <p>JOSDK 5.3's {@code ControllerConfigurationOverrider} has no field selector setter (only the static
 * {@code @Informer} annotation has), so the resolved configuration is wrapped with a field-selecting copy of its
 * informer configuration.
 */
public final class ExcludedNamespaces {
  private ExcludedNamespaces() {}

  /** The field selector that excludes {@code namespaces}, or null when there is nothing to exclude. */
  public static FieldSelector selector(Set<String> namespaces) {
    if (namespaces.isEmpty()) {
      return null;
    }
    return new FieldSelector(namespaces.stream().sorted()
        .map(namespace -> new FieldSelector.Field("metadata.namespace", namespace, true)).toList());
  }

  /** {@code controller}, with the field selector when it watches all namespaces. */
  public static <P extends HasMetadata> ControllerConfiguration<P> apply(ControllerConfiguration<P> controller,
      ReconcilerConfig config) {
    FieldSelector selector = selector(config.excludedNamespaces());
    if (!config.watchesAllNamespaces() || selector == null) {
      return controller;
    }
    InformerConfiguration<P> informer = InformerConfiguration.builder(controller.getInformerConfig())
        .withFieldSelector(selector).buildForController();
    return new ResolvedControllerConfiguration<>(controller) {
      @Override
      public InformerConfiguration<P> getInformerConfig() {
        return informer;
      }
    };
  }
}
