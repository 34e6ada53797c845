package io.keycloakgitops.reconciler.dependent;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.GenericKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.keycloakgitops.reconciler.model.KeycloakModel;
import io.keycloakgitops.reconciler.model.KeycloakNames;
import io.keycloakgitops.reconciler.model.KeycloakPodTemplate;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Prometheus Operator ServiceMonitor {@code <name>}, scraping {@code /metrics} on the management port of
 * {@code <name>-service}. It exists only where the ServiceMonitor API does (see {@link ApiAvailableCondition})
 * and while {@code spec.serviceMonitor.enabled} is not false.
 */
public class KeycloakServiceMonitorDependentResource extends GenericKubernetesDependentResource<Keycloak>
    implements Creator<GenericKubernetesResource, Keycloak>, Updater<GenericKubernetesResource, Keycloak>,
    GarbageCollected<Keycloak> {
  public static final GroupVersionKind GVK = new GroupVersionKind("monitoring.coreos.com", "v1", "ServiceMonitor");
  public static final String CRD_NAME = "servicemonitors.monitoring.coreos.com";

  public KeycloakServiceMonitorDependentResource() {
    super(GVK);
  }

  public String name(Keycloak keycloak) {
    return KeycloakNames.serviceMonitor(keycloak);
  }

  public GenericKubernetesResource desired(KeycloakModel model) {
    var settings = model.settings();
    var spec = model.spec().serviceMonitor;
    var endpoint = new LinkedHashMap<String, Object>();
    endpoint.put("port", KeycloakPodTemplate.MANAGEMENT_PORT_NAME);
    endpoint.put("path", settings.managementRelativePath() + "/metrics");
    endpoint.put("scheme", settings.scheme());
    endpoint.put("interval", spec != null && spec.interval != null ? spec.interval : "30s");
    endpoint.put("scrapeTimeout", spec != null && spec.scrapeTimeout != null ? spec.scrapeTimeout : "10s");
    if (settings.tls()) {
      // The server certificate is issued for the public host name, not for the pod IP Prometheus scrapes.
      endpoint.put("tlsConfig", Map.of("insecureSkipVerify", true));
    }
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(GVK.apiVersion())
        .withKind(GVK.getKind())
        .withMetadata(OwnedResources.metadata(model, name(model.keycloak()), spec == null ? null : spec.labels,
            spec == null ? null : spec.annotations))
        .addToAdditionalProperties("spec", Map.of(
            "selector", Map.of("matchLabels", KeycloakNames.selectorLabels(model.keycloak())),
            "namespaceSelector", Map.of("matchNames", List.of(model.namespace())),
            "endpoints", List.of(endpoint)))
        .build();
  }

  @Override
  protected GenericKubernetesResource desired(Keycloak primary, Context<Keycloak> context) {
    return desired(ModelContext.get(context));
  }

  @Override
  protected ResourceID targetSecondaryResourceID(Keycloak primary, Context<Keycloak> context) {
    return OwnedResources.id(name(primary), primary);
  }

  @Override
  public Optional<GenericKubernetesResource> getSecondaryResource(Keycloak primary, Context<Keycloak> context) {
    return OwnedResources.fromOwnInformer(eventSource(), name(primary), primary);
  }

  @Override
  protected InformerEventSourceConfiguration.Builder<GenericKubernetesResource> informerConfigurationBuilder(
      EventSourceContext<Keycloak> context) {
    return OwnedResources.managedOnly(super.informerConfigurationBuilder(context));
  }

  /** Present while {@code spec.serviceMonitor.enabled} is not false; deleted when it turns false. */
  public static class EnabledCondition implements Condition<GenericKubernetesResource, Keycloak> {
    @Override
    public boolean isMet(DependentResource<GenericKubernetesResource, Keycloak> dependent, Keycloak primary,
        Context<Keycloak> context) {
      return holds(ModelContext.get(context));
    }

    public static boolean holds(KeycloakModel model) {
      return model.settings().serviceMonitorEnabled();
    }
  }

  /**
   * Activation: the ServiceMonitor CRD exists and this reconciler may watch and create ServiceMonitors there (the
   * chart grants that only on request). Without both, the dependent is inactive: no informer, no error. Answers
   * are cached and re-checked at most once per {@code recheck}, so a CRD installed later is picked up.
   */
  public static class ApiAvailableCondition implements Condition<GenericKubernetesResource, Keycloak> {
    private final boolean watchAllNamespaces;
    private final Duration recheck;
    private final Clock clock;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    private record Answer(boolean available, Instant checkedAt) {}

    public ApiAvailableCondition(boolean watchAllNamespaces, Duration recheck, Clock clock) {
      this.watchAllNamespaces = watchAllNamespaces;
      this.recheck = recheck;
      this.clock = clock;
    }

    @Override
    public boolean isMet(DependentResource<GenericKubernetesResource, Keycloak> dependent, Keycloak primary,
        Context<Keycloak> context) {
      String namespace = primary.getMetadata().getNamespace();
      Instant now = clock.instant();
      return answers.compute(namespace, (ns, answer) -> answer != null && answer.checkedAt.plus(recheck).isAfter(now)
          ? answer
          : new Answer(check(context.getClient(), ns), now)).available;
    }

    private boolean check(KubernetesClient client, String namespace) {
      if (client.resources(CustomResourceDefinition.class).withName(CRD_NAME).get() == null) {
        return false;
      }
      return allowed(client, "create", namespace) && allowed(client, "watch", watchAllNamespaces ? null : namespace);
    }

    private static boolean allowed(KubernetesClient client, String verb, String namespace) {
      SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder().withNewSpec()
          .withNewResourceAttributes().withGroup(GVK.getGroup()).withResource("servicemonitors").withVerb(verb)
          .withNamespace(namespace).endResourceAttributes()
          .endSpec().build();
      var answer = client.resource(review).create();
      return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
    }
  }
}
