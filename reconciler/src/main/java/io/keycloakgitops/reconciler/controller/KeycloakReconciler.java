package io.keycloakgitops.reconciler.controller;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Workflow;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import io.keycloakgitops.reconciler.ReconcilerConfig;
import io.keycloakgitops.reconciler.dependent.KeycloakAdminSecretDependentResource;
import io.keycloakgitops.reconciler.dependent.KeycloakDeploymentDependentResource;
import io.keycloakgitops.reconciler.dependent.KeycloakDiscoveryServiceDependentResource;
import io.keycloakgitops.reconciler.dependent.KeycloakIngressDependentResource;
import io.keycloakgitops.reconciler.dependent.KeycloakNetworkPolicyDependentResource;
import io.keycloakgitops.reconciler.dependent.KeycloakPodDisruptionBudgetDependentResource;
import io.keycloakgitops.reconciler.dependent.KeycloakServiceDependentResource;
import io.keycloakgitops.reconciler.dependent.KeycloakServiceMonitorDependentResource;
import io.keycloakgitops.reconciler.dependent.ModelContext;
import io.keycloakgitops.reconciler.model.KeycloakModel;
import io.keycloakgitops.reconciler.model.KeycloakNames;
import io.keycloakgitops.reconciler.model.KeycloakPodTemplate;
import io.keycloakgitops.reconciler.model.Reference;
import io.keycloakgitops.reconciler.model.ReferencedContent;
import io.keycloakgitops.reconciler.model.Rollout;
import io.keycloakgitops.reconciler.model.ServerOptions;
import io.keycloakgitops.schemas.keycloak.KeycloakStatus;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a Keycloak CR: checks the Secrets/ConfigMaps it references and the Pod Security of the pod it would
 * build, applies the owned resources through a JOSDK workflow of dependents, and reports status. A spec that
 * references something missing, or whose pod fails the restricted Pod Security Standard, is not applied at all
 * (the running server stays as it is) and HasErrors names the reference or the field and check; API failures are thrown, so JOSDK
 * retries them with backoff, and are reported in HasErrors too. The status is written only when it changed.
 */
@ControllerConfiguration(name = KeycloakReconciler.NAME, fieldManager = KeycloakReconciler.FIELD_MANAGER)
public class KeycloakReconciler implements Reconciler<Keycloak> {
  public static final String NAME = "keycloak";
  public static final String FIELD_MANAGER = "keycloak-gitops-reconciler";

  private static final Logger log = LoggerFactory.getLogger(KeycloakReconciler.class);
  private static final String REFERENCE_INDEX = "referenced-objects";
  /** Prefix of a HasErrors message for a pod that fails the restricted Pod Security Standard. */
  public static final String POD_SECURITY_REFUSAL = "not applied: the pod would violate the restricted Pod Security "
      + "Standard: ";

  private final ReconcilerConfig config;
  private final Clock clock;
  private final KeycloakDeploymentDependentResource deployment = new KeycloakDeploymentDependentResource();
  private final Workflow<Keycloak> workflow;
  private InformerEventSource<Secret, Keycloak> watchedSecrets;
  private InformerEventSource<ConfigMap, Keycloak> watchedConfigMaps;

  public KeycloakReconciler(ReconcilerConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    // No dependsOn: every resource can be applied independently, and a failed precondition must delete only its
    // own resource (JOSDK also deletes the dependents of a node whose precondition fails).
    workflow = new WorkflowBuilder<Keycloak>()
        .addDependentResource(deployment)
        .addDependentResource(new KeycloakServiceDependentResource())
        .addDependentResource(new KeycloakDiscoveryServiceDependentResource())
        .addDependentResourceAndConfigure(new KeycloakIngressDependentResource())
        .withReconcilePrecondition(new KeycloakIngressDependentResource.EnabledCondition())
        .addDependentResourceAndConfigure(new KeycloakNetworkPolicyDependentResource())
        .withReconcilePrecondition(new KeycloakNetworkPolicyDependentResource.EnabledCondition())
        .addDependentResourceAndConfigure(new KeycloakAdminSecretDependentResource())
        .withReconcilePrecondition(new KeycloakAdminSecretDependentResource.GeneratedCondition())
        .addDependentResourceAndConfigure(new KeycloakPodDisruptionBudgetDependentResource())
        .withReconcilePrecondition(new KeycloakPodDisruptionBudgetDependentResource.HighAvailabilityCondition())
        .addDependentResourceAndConfigure(new KeycloakServiceMonitorDependentResource())
        .withReconcilePrecondition(new KeycloakServiceMonitorDependentResource.EnabledCondition())
        .withActivationCondition(new KeycloakServiceMonitorDependentResource.ApiAvailableCondition(
            config.watchesAllNamespaces(), Duration.ofMinutes(1), clock))
        .withThrowExceptionFurther(false)
        .build();
  }

  @Override
  public List<EventSource<?, Keycloak>> prepareEventSources(EventSourceContext<Keycloak> context) {
    IndexerResourceCache<Keycloak> primaries = context.getPrimaryCache();
    primaries.addIndexer(REFERENCE_INDEX, keycloak -> Reference.of(keycloak).stream()
        .map(ref -> indexKey(ref.kind(), keycloak.getMetadata().getNamespace(), ref.name()))
        .distinct()
        .toList());
    watchedSecrets = watched(context, Secret.class, Reference.Kind.SECRET, ReferencedContent::pruneSecret);
    watchedConfigMaps = watched(context, ConfigMap.class, Reference.Kind.CONFIG_MAP,
        ReferencedContent::pruneConfigMap);
    var sources = new ArrayList<EventSource<?, Keycloak>>(EventSourceUtils.eventSourcesFromWorkflow(context,
        workflow));
    sources.add(watchedSecrets);
    sources.add(watchedConfigMaps);
    return sources;
  }

  /**
   * An informer on the Secrets (or ConfigMaps) the CRs reference, keeping only per-key digests, that triggers the
   * CRs referencing a changed object (found through an index of the primary cache).
   */
  private <R extends HasMetadata> InformerEventSource<R, Keycloak> watched(
      EventSourceContext<Keycloak> context, Class<R> type, Reference.Kind kind, UnaryOperator<R> prune) {
    IndexerResourceCache<Keycloak> primaries = context.getPrimaryCache();
    SecondaryToPrimaryMapper<R> referencingCrs = object -> primaries.byIndex(REFERENCE_INDEX,
            indexKey(kind, object.getMetadata().getNamespace(), object.getMetadata().getName()))
        .stream().map(ResourceID::fromResource).collect(Collectors.toSet());
    var configuration = InformerEventSourceConfiguration.from(type, Keycloak.class)
        .withName("referenced-" + kind.displayName)
        .withSecondaryToPrimaryMapper(referencingCrs)
        .withItemStore(new TransformingItemStore<>(prune))
        .withFieldSelector(config.watchesAllNamespaces() ? ExcludedNamespaces.selector(config.excludedNamespaces())
            : null)
        .build();
    return new InformerEventSource<>(configuration, context);
  }

  private static String indexKey(Reference.Kind kind, String namespace, String name) {
    return kind.displayName + "/" + namespace + "/" + name;
  }

  @Override
  public UpdateControl<Keycloak> reconcile(Keycloak keycloak, Context<Keycloak> context) {
    var model = KeycloakModel.of(keycloak, config);
    var content = referencedContent(keycloak);
    var problems = new ArrayList<>(content.problems());
    KeycloakPodTemplate.podSecurityRefusals(model).forEach(refusal -> problems.add(POD_SECURITY_REFUSAL + refusal));
    if (problems.isEmpty()) {
      Deployment running = deployment.getSecondaryResource(keycloak, context).orElse(null);
      ModelContext.put(context, model.withClusterFacts(content.digest(), Rollout.recreate(model, running)));
      workflow.reconcile(keycloak, context).throwAggregateExceptionIfErrorsPresent();
    } else {
      log.info("Not applying {}/{}: {}", keycloak.getMetadata().getNamespace(), keycloak.getMetadata().getName(),
          String.join("; ", problems));
    }
    var status = status(keycloak, model, context, problems);
    if (status.equals(keycloak.getStatus())) {
      return UpdateControl.noUpdate();
    }
    logStatusChange(keycloak, status);
    return UpdateControl.patchStatus(statusPatch(keycloak, status));
  }

  private static void logStatusChange(Keycloak keycloak, KeycloakStatus status) {
    if (log.isDebugEnabled()) {
      log.debug("Status of {} changes from {} to {}", keycloak.getMetadata().getName(),
          Serialization.asJson(keycloak.getStatus()), Serialization.asJson(status));
    }
  }

  @Override
  public ErrorStatusUpdateControl<Keycloak> updateErrorStatus(Keycloak keycloak, Context<Keycloak> context,
      Exception error) {
    var errors = new ArrayList<>(referencedContent(keycloak).problems());
    errors.addAll(describe(error));
    log.warn("Reconciling {} failed (attempt {}): {}", keycloak.getMetadata().getName(),
        context.getRetryInfo().map(r -> r.getAttemptCount()).orElse(1), String.join("; ", errors));
    var status = status(keycloak, KeycloakModel.of(keycloak, config), context, errors);
    if (status.equals(keycloak.getStatus())) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    logStatusChange(keycloak, status);
    return ErrorStatusUpdateControl.patchStatus(statusPatch(keycloak, status));
  }

  private ReferencedContent referencedContent(Keycloak keycloak) {
    String namespace = keycloak.getMetadata().getNamespace();
    return ReferencedContent.resolve(Reference.of(keycloak), namespace, (kind, name) -> {
      var source = kind == Reference.Kind.SECRET ? watchedSecrets : watchedConfigMaps;
      return source.get(new ResourceID(name, namespace)).map(KeycloakReconciler::keyDigests);
    });
  }

  private static Map<String, String> keyDigests(HasMetadata pruned) {
    var data = pruned instanceof Secret secret ? secret.getData() : ((ConfigMap) pruned).getData();
    return data == null ? Map.of() : data;
  }

  private KeycloakStatus status(Keycloak keycloak, KeycloakModel model, Context<Keycloak> context,
      List<String> errors) {
    var settings = model.settings();
    var aggregator = new KeycloakStatusAggregator(keycloak, clock.instant())
        .selector(KeycloakNames.selectorString(keycloak))
        .internalUrl(settings.internalUrl(keycloak))
        .adminSecret(settings.adminSecret());
    ServerOptions.warnings(model).forEach(aggregator::addWarning);
    errors.forEach(aggregator::addError);
    Optional<Deployment> running = deployment.getSecondaryResource(keycloak, context);
    if (running.isEmpty()) {
      return aggregator.instances(0).addNotReady("the Deployment does not exist yet").build();
    }
    int ready = Rollout.readyReplicas(running.get());
    aggregator.instances(ready);
    if (settings.instances() == 0) {
      aggregator.addNotReady("scaled to 0 instances");
    } else if (ready < settings.instances() || Rollout.inProgress(running.get())) {
      aggregator.addNotReady("%d of %d instances ready and up to date".formatted(
          Math.min(ready, updatedReplicas(running.get())), settings.instances()));
    }
    var deploymentStatus = running.get().getStatus();
    if (deploymentStatus != null && Optional.ofNullable(deploymentStatus.getReplicas()).orElse(0)
        > updatedReplicas(running.get())) {
      aggregator.addRollingUpdate("%d of %d pods run the current template".formatted(
          updatedReplicas(running.get()), deploymentStatus.getReplicas()));
    }
    return aggregator.build();
  }

  private static int updatedReplicas(Deployment deployment) {
    return deployment.getStatus() == null ? 0
        : Optional.ofNullable(deployment.getStatus().getUpdatedReplicas()).orElse(0);
  }

  /** A fresh object with only identity and status: server-side apply of the status owns nothing else. */
  private static Keycloak statusPatch(Keycloak keycloak, KeycloakStatus status) {
    var patch = new Keycloak();
    patch.setMetadata(new ObjectMetaBuilder().withName(keycloak.getMetadata().getName())
        .withNamespace(keycloak.getMetadata().getNamespace()).build());
    patch.setSpec(null);
    patch.setStatus(status);
    return patch;
  }

  /** One precise line per failure: the API server's message when it answered, the exception's otherwise. */
  static List<String> describe(Exception error) {
    if (error instanceof AggregatedOperatorException aggregated) {
      return aggregated.getAggregatedExceptions().entrySet().stream()
          .map(e -> "applying the " + resourceKind(e.getKey()) + " failed: " + message(e.getValue()))
          .sorted()
          .toList();
    }
    return List.of(message(error));
  }

  private static String resourceKind(String dependentName) {
    String simple = dependentName.substring(dependentName.lastIndexOf('.') + 1);
    return simple.replaceFirst("^Keycloak", "").replaceFirst("DependentResource$", "");
  }

  private static String message(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof KubernetesClientException api && api.getStatus() != null
          && api.getStatus().getMessage() != null) {
        return api.getStatus().getMessage();
      }
    }
    return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
  }
}
