package io.keycloakgitops.reconciler.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.keycloakgitops.reconciler.model.KeycloakModel;
import io.keycloakgitops.reconciler.model.KeycloakNames;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Secret {@code <name>-initial-admin} with the bootstrap admin's credentials, unless
 * {@code spec.bootstrapAdmin.user.secret} names one. Create-only: the password is random, so it is generated
 * once and never rewritten (there is no Updater); Keycloak reads it only when it creates the first admin.
 */
public class KeycloakAdminSecretDependentResource extends KubernetesDependentResource<Secret, Keycloak>
    implements Creator<Secret, Keycloak>, GarbageCollected<Keycloak> {
  public static final String USERNAME = "temp-admin";

  private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  public KeycloakAdminSecretDependentResource() {
    super(Secret.class);
  }

  public String name(Keycloak keycloak) {
    return KeycloakNames.initialAdminSecret(keycloak);
  }

  /** The Secret with the password {@code passwords} supplies: pure for a fixed supplier. */
  public Secret desired(KeycloakModel model, Supplier<String> passwords) {
    return new SecretBuilder()
        .withMetadata(OwnedResources.metadata(model, name(model.keycloak()), null, null))
        .withType("kubernetes.io/basic-auth")
        .withStringData(Map.of("username", USERNAME, "password", passwords.get()))
        .build();
  }

  /** 32 characters from a 56-letter alphabet without look-alikes: about 186 bits. */
  public static String randomPassword() {
    var password = new StringBuilder(32);
    for (int i = 0; i < 32; i++) {
      password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return password.toString();
  }

  @Override
  protected Secret desired(Keycloak primary, Context<Keycloak> context) {
    return desired(ModelContext.get(context), KeycloakAdminSecretDependentResource::randomPassword);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(Keycloak primary, Context<Keycloak> context) {
    return OwnedResources.id(name(primary), primary);
  }

  @Override
  public Optional<Secret> getSecondaryResource(Keycloak primary, Context<Keycloak> context) {
    return OwnedResources.fromOwnInformer(eventSource(), name(primary), primary);
  }

  @Override
  protected InformerEventSourceConfiguration.Builder<Secret> informerConfigurationBuilder(
      EventSourceContext<Keycloak> context) {
    return OwnedResources.managedOnly(super.informerConfigurationBuilder(context));
  }

  /** Generated only when the spec names no admin Secret; deleted when it starts naming one. */
  public static class GeneratedCondition implements Condition<Secret, Keycloak> {
    @Override
    public boolean isMet(DependentResource<Secret, Keycloak> dependent, Keycloak primary,
        Context<Keycloak> context) {
      return holds(ModelContext.get(context));
    }

    public static boolean holds(KeycloakModel model) {
      return model.settings().generatedAdminSecret();
    }
  }
}
