package io.keycloakgitops.reconciler.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.keycloakgitops.reconciler.model.KeycloakModel;
import io.keycloakgitops.reconciler.model.KeycloakNames;
import io.keycloakgitops.reconciler.model.KeycloakPodTemplate;
import io.keycloakgitops.reconciler.model.monitoring.ServiceMonitor;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Prometheus Operator ServiceMonitor {@code <name>}, scraping {@code /metrics} on the management port of
 * {@code <name>-service}. It exists only where the ServiceMonitor API does (see {@link ApiAvailableCondition})
 * and while {@code spec.serviceMonitor.enabled} is not false.
 */
public class KeycloakServiceMonitorDependentResource extends KeycloakDependentResource<ServiceMonitor> {
  public static final String CRD_NAME = HasMetadata.getFullResourceName(ServiceMonitor.class);

  public KeycloakServiceMonitorDependentResource() {
    super(ServiceMonitor.class);
  }

  @Override
  public String name(Keycloak keycloak) {
    return KeycloakNames.serviceMonitor(keycloak);
  }

  @Override
  public ServiceMonitor desired(KeycloakModel model) {
    var settings = model.settings();
    var spec = model.spec().serviceMonitor;
    var endpoint = new ServiceMonitor.Endpoint();
    endpoint.port = KeycloakPodTemplate.MANAGEMENT_PORT_NAME;
    endpoint.path = settings.managementRelativePath() + "/metrics";
    endpoint.scheme = settings.scheme();
    endpoint.interval = spec != null && spec.interval != null ? spec.interval : "30s";
    endpoint.scrapeTimeout = spec != null && spec.scrapeTimeout != null ? spec.scrapeTimeout : "10s";
    if (settings.tls()) {
      // The server certificate is issued for the public host name, not for the pod IP Prometheus scrapes.
      endpoint.tlsConfig = new ServiceMonitor.TlsConfig();
      endpoint.tlsConfig.insecureSkipVerify = true;
    }
    var monitor = new ServiceMonitor();
    monitor.setMetadata(OwnedResources.metadata(model, name(model.keycloak()), spec == null ? null : spec.labels,
        spec == null ? null : spec.annotations));
    monitor.setSpec(new ServiceMonitor.Spec());
    monitor.getSpec().selector = new LabelSelectorBuilder()
        .withMatchLabels(KeycloakNames.selectorLabels(model.keycloak())).build();
    monitor.getSpec().namespaceSelector = new ServiceMonitor.NamespaceSelector();
    monitor.getSpec().namespaceSelector.matchNames = List.of(model.namespace());
    monitor.getSpec().endpoints = List.of(endpoint);
    return monitor;
  }

  /** Present while {@code spec.serviceMonitor.enabled} is not false; deleted when it turns false. */
  public static class EnabledCondition implements Condition<ServiceMonitor, Keycloak> {
    @Override
    public boolean isMet(DependentResource<ServiceMonitor, Keycloak> dependent, Keycloak primary,
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
   * are cached per namespace and re-checked at most once per {@code recheck}, so a CRD installed later is
   * picked up.
   */
  public static class ApiAvailableCondition implements Condition<ServiceMonitor, Keycloak> {
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
    public boolean isMet(DependentResource<ServiceMonitor, Keycloak> dependent, Keycloak primary,
        Context<Keycloak> context) {
      Instant now = clock.instant();
      return answers.compute(primary.getMetadata().getNamespace(), (namespace, answer) ->
          answer != null && answer.checkedAt.plus(recheck).isAfter(now)
              ? answer
              : new Answer(check(context.getClient(), namespace), now)).available;
    }

    private boolean check(KubernetesClient client, String namespace) {
      if (client.resources(CustomResourceDefinition.class).withName(CRD_NAME).get() == null) {
        return false;
      }
      return allowed(client, "create", namespace) && allowed(client, "watch", watchAllNamespaces ? null : namespace);
    }

    private static boolean allowed(KubernetesClient client, String verb, String namespace) {
      SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder().withNewSpec()
          .withNewResourceAttributes().withGroup(HasMetadata.getGroup(ServiceMonitor.class))
          .withResource(HasMetadata.getPlural(ServiceMonitor.class)).withVerb(verb).withNamespace(namespace)
          .endResourceAttributes()
          .endSpec().build();
      var answer = client.resource(review).create();
      return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
    }
  }
}
