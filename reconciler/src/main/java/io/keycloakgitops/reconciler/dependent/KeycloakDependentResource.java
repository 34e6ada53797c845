package io.keycloakgitops.reconciler.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.keycloakgitops.reconciler.model.KeycloakModel;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import java.util.Optional;

/**
 * A Kubernetes object owned by a Keycloak CR, created and kept equal to {@link #desired(KeycloakModel)} by
 * server-side apply, and garbage-collected with the CR through its owner reference.
 */
public abstract class KeycloakDependentResource<R extends HasMetadata>
    extends CRUDKubernetesDependentResource<R, Keycloak> {

  protected KeycloakDependentResource(Class<R> type) {
    super(type);
  }

  /** The desired object: a pure function of the model, also used by {@code render}. */
  public abstract R desired(KeycloakModel model);

  /** The object's name for this CR. */
  public abstract String name(Keycloak keycloak);

  @Override
  protected final R desired(Keycloak primary, Context<Keycloak> context) {
    return desired(ModelContext.get(context));
  }

  @Override
  protected ResourceID targetSecondaryResourceID(Keycloak primary, Context<Keycloak> context) {
    return OwnedResources.id(name(primary), primary);
  }

  @Override
  public Optional<R> getSecondaryResource(Keycloak primary, Context<Keycloak> context) {
    return OwnedResources.fromOwnInformer(eventSource(), name(primary), primary);
  }

  @Override
  protected InformerEventSourceConfiguration.Builder<R> informerConfigurationBuilder(
      EventSourceContext<Keycloak> context) {
    return OwnedResources.managedOnly(super.informerConfigurationBuilder(context));
  }
}
