package io.keycloakgitops.reconciler.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.keycloakgitops.reconciler.model.KeycloakModel;
import io.keycloakgitops.reconciler.model.KeycloakNames;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What every owned-resource dependent shares: metadata, identity, and an informer limited to our own objects. */
final class OwnedResources {
  private OwnedResources() {}

  /**
   * Name, namespace, labels (the spec's {@code extraLabels} below ours) and the controller owner reference of an
   * owned object. (A CR that was never stored, as in {@code render}, has no uid and so no owner reference yet.)
   */
  static ObjectMeta metadata(KeycloakModel model, String name, Map<String, String> extraLabels,
      Map<String, String> annotations) {
    var keycloak = model.keycloak();
    var metadata = new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(model.namespace())
        .withLabels(KeycloakNames.labels(keycloak, extraLabels))
        // Never null: JOSDK adds its own annotations to this map.
        .withAnnotations(annotations == null ? new LinkedHashMap<>() : new LinkedHashMap<>(annotations));
    if (keycloak.getMetadata().getUid() != null) {
      metadata.addNewOwnerReference()
          .withApiVersion(keycloak.getApiVersion())
          .withKind(keycloak.getKind())
          .withName(keycloak.getMetadata().getName())
          .withUid(keycloak.getMetadata().getUid())
          .withController(true)
          .withBlockOwnerDeletion(true)
          .endOwnerReference();
    }
    return metadata.build();
  }

  static ResourceID id(String name, Keycloak keycloak) {
    return new ResourceID(name, keycloak.getMetadata().getNamespace());
  }

  /** Informers cache only what this reconciler labelled, not every Service or Secret of the cluster. */
  static <R extends HasMetadata> InformerEventSourceConfiguration.Builder<R> managedOnly(
      InformerEventSourceConfiguration.Builder<R> builder) {
    return builder.withLabelSelector(KeycloakNames.MANAGED_SELECTOR);
  }

  /**
   * The object of that name from the dependent's own informer only. (JOSDK's default looks through every event
   * source of the type, which would include the pruned copies of referenced user Secrets.)
   */
  static <R extends HasMetadata> Optional<R> fromOwnInformer(Optional<InformerEventSource<R, Keycloak>> source,
      String name, Keycloak keycloak) {
    return source.flatMap(informer -> informer.get(id(name, keycloak)));
  }
}
