package io.keycloakgitops.reconciler.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.keycloakgitops.schemas.keycloak.KeycloakFacts;
import io.keycloakgitops.schemas.keycloak.KeycloakSpec;
import io.keycloakgitops.schemas.keycloak.PodHardening;
import io.keycloakgitops.schemas.podsecurity.PodSecurity;
import io.keycloakgitops.schemas.podsecurity.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The Keycloak pod. {@code spec.unsupported.podTemplate} is the base: what the reconciler generates replaces the
 * fields it owns (image, args, env, ports, probes, its volumes) and fills the rest only where the template is
 * silent; the template's other containers, volumes and settings are kept. The shared {@link PodHardening}
 * defaults are applied last, so the pod is hardened whatever the template leaves unset.
 */
public final class KeycloakPodTemplate {
  /**
   * A terminating pod leaves the Service endpoints while it is signalled, and Keycloak stops listening at once: a node
   * whose kube-proxy has not caught up yet still routes new connections to it, refused (seen mid-rollout by
   * KeycloakOnNodeIT). Serving a few seconds more closes that gap; a pod template's own lifecycle is kept.
   */
  private static final long PRE_STOP_SECONDS = 5;

  public static final String CONTAINER = KeycloakFacts.CONTAINER;
  public static final String MANAGEMENT_PORT_NAME = "management";

  /** Keycloak writes here at runtime (JVM temp files, theme cache, transaction log); the rest can be read-only. */
  private static final Map<String, String> WRITABLE_DIRS = new TreeMap<>(Map.of(
      "tmp", "/tmp",
      "keycloak-data-tmp", "/opt/keycloak/data/tmp",
      "keycloak-transaction-logs", "/opt/keycloak/data/transaction-logs"));

  private static final String TLS_VOLUME = "keycloak-tls-certificates";
  private static final String CACHE_VOLUME = "keycloak-cache-config";

  private KeycloakPodTemplate() {}

  public static PodTemplateSpec build(KeycloakModel model) {
    KeycloakSpec spec = model.spec();
    PodTemplateSpec template = spec.unsupported != null && spec.unsupported.podTemplate != null
        ? Serialization.clone(spec.unsupported.podTemplate)
        : new PodTemplateSpec();
    ObjectMeta metadata = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
    metadata.setLabels(KeycloakNames.labels(model.keycloak(), metadata.getLabels()));
    if (model.contentDigest() != null) {
      var annotations = new LinkedHashMap<>(orEmpty(metadata.getAnnotations()));
      annotations.put(KeycloakNames.CONFIG_DIGEST_ANNOTATION, model.contentDigest());
      metadata.setAnnotations(annotations);
    }
    template.setMetadata(metadata);
    PodSpec pod = template.getSpec() == null ? new PodSpec() : template.getSpec();
    template.setSpec(pod);

    configureContainer(keycloakContainer(pod), model);
    pod.setVolumes(mergeByKey(pod.getVolumes(), volumes(model), Volume::getName));
    pod.setImagePullSecrets(
        mergeByKey(pod.getImagePullSecrets(), spec.imagePullSecrets, LocalObjectReference::getName));
    var scheduling = Optional.ofNullable(spec.scheduling);
    scheduling.map(s -> s.affinity).ifPresent(pod::setAffinity);
    scheduling.map(s -> s.tolerations).ifPresent(pod::setTolerations);
    scheduling.map(s -> s.priorityClassName).ifPresent(pod::setPriorityClassName);
    scheduling.map(s -> s.topologySpreadConstraints).ifPresent(pod::setTopologySpreadConstraints);
    if (pod.getTopologySpreadConstraints() == null || pod.getTopologySpreadConstraints().isEmpty()) {
      pod.setTopologySpreadConstraints(defaultTopologySpread(model));
    }
    if (spec.automountServiceAccountToken != null) {
      pod.setAutomountServiceAccountToken(spec.automountServiceAccountToken);
    } else if (pod.getAutomountServiceAccountToken() == null) {
      // Keycloak never calls the Kubernetes API (DNS_PING finds its peers), so it gets no token.
      pod.setAutomountServiceAccountToken(false);
    }
    if (pod.getEnableServiceLinks() == null) {
      // Service links inject <SERVICE>_PORT variables; a Service named kc-… would shadow KC_* options.
      pod.setEnableServiceLinks(false);
    }

    PodTemplateSpec hardened = PodHardening.harden(template);
    SecurityContext context = keycloakContainer(hardened.getSpec()).getSecurityContext();
    if (context.getReadOnlyRootFilesystem() == null) {
      // A non-optimized start re-augments the server into /opt/keycloak/lib/quarkus, so it needs a writable root.
      context.setReadOnlyRootFilesystem(model.settings().optimized());
    }
    return hardened;
  }

  /** The Keycloak container ({@link KeycloakFacts#keycloakContainerIndex}), added when there is none. */
  private static Container keycloakContainer(PodSpec pod) {
    var containers = pod.getContainers() == null ? new ArrayList<Container>() : new ArrayList<>(pod.getContainers());
    pod.setContainers(containers);
    int index = KeycloakFacts.keycloakContainerIndex(containers);
    if (index < 0) {
      containers.add(new Container());
      index = containers.size() - 1;
    }
    return containers.get(index);
  }

  /**
   * Why the reconciler refuses to write this model's Deployment: every restricted Pod Security violation of the
   * pod it builds, as {@code <field path>: violates PodSecurity ...}. The webhook denies the same CRs; this holds
   * where it did not run (excluded namespaces, {@code failurePolicy: Ignore}, webhook down). Empty means none.
   */
  public static List<String> podSecurityRefusals(KeycloakModel model) {
    return PodSecurity.restrictedViolations(build(model)).stream().map(Violation::toString).toList();
  }

  private static void configureContainer(Container container, KeycloakModel model) {
    var settings = model.settings();
    var spec = model.spec();
    container.setName(CONTAINER);
    container.setImage(settings.image());
    container.setArgs(args(model));
    List<EnvVar> generatedEnv = ServerOptions.env(model);
    container.setEnv(mergeByKey(container.getEnv(), generatedEnv, EnvVar::getName));
    container.setPorts(mergeByKey(container.getPorts(), ports(settings), ContainerPort::getName));
    container.setVolumeMounts(mergeByKey(container.getVolumeMounts(), volumeMounts(model), VolumeMount::getName));
    if (spec.resources != null) {
      container.setResources(spec.resources);
    } else if (container.getResources() == null) {
      container.setResources(defaultResources());
    }
    container.setStartupProbe(probe(settings, "/health/started", spec.startupProbe, 1, 600));
    container.setReadinessProbe(probe(settings, "/health/ready", spec.readinessProbe, 10, 3));
    container.setLivenessProbe(probe(settings, "/health/live", spec.livenessProbe, 10, 3));
    if (container.getLifecycle() == null) {
      container.setLifecycle(new LifecycleBuilder().withNewPreStop().withNewSleep().withSeconds(PRE_STOP_SECONDS)
          .endSleep().endPreStop().build());
    }
  }

  private static List<String> args(KeycloakModel model) {
    var args = new ArrayList<String>();
    args.add("start");
    if (model.settings().optimized()) {
      args.add("--optimized");
    }
    args.add("-Djgroups.dns.query=" + KeycloakNames.discoveryService(model.keycloak()) + "." + model.namespace());
    args.add("-Djgroups.bind.address=$(POD_IP)");
    return args;
  }

  private static List<ContainerPort> ports(ServerSettings settings) {
    var ports = new ArrayList<ContainerPort>();
    if (settings.httpEnabled()) {
      ports.add(port("http", settings.httpPort()));
    }
    if (settings.tls()) {
      ports.add(port("https", settings.httpsPort()));
    }
    ports.add(port(MANAGEMENT_PORT_NAME, settings.managementPort()));
    ports.add(port("jgroups", ServerSettings.JGROUPS_PORT));
    return ports;
  }

  private static ContainerPort port(String name, int number) {
    return new ContainerPortBuilder().withName(name).withContainerPort(number).withProtocol("TCP").build();
  }

  private static Probe probe(ServerSettings settings, String path, KeycloakSpec.ProbeSpec override,
      int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(settings.managementRelativePath() + path)
        .withPort(new IntOrString(MANAGEMENT_PORT_NAME))
        .withScheme(settings.tls() ? "HTTPS" : "HTTP")
        .endHttpGet()
        .withPeriodSeconds(override != null && override.periodSeconds != null ? override.periodSeconds : periodSeconds)
        .withFailureThreshold(
            override != null && override.failureThreshold != null ? override.failureThreshold : failureThreshold)
        .build();
  }

  private static List<Volume> volumes(KeycloakModel model) {
    var spec = model.spec();
    var volumes = new ArrayList<Volume>();
    if (model.settings().tls()) {
      volumes.add(new VolumeBuilder().withName(TLS_VOLUME).withNewSecret().withSecretName(spec.http.tlsSecret)
          .endSecret().build());
    }
    if (spec.cache != null && spec.cache.configMapFile != null) {
      var file = spec.cache.configMapFile;
      volumes.add(new VolumeBuilder().withName(CACHE_VOLUME).withNewConfigMap().withName(file.getName())
          .addNewItem().withKey(file.getKey()).withPath(file.getKey()).endItem()
          .withOptional(file.getOptional())
          .endConfigMap().build());
    }
    forEachTruststore(spec, (volume, store) -> {
      var builder = new VolumeBuilder().withName(volume);
      if (store.secret != null) {
        builder.withNewSecret().withSecretName(store.secret.name).withOptional(store.secret.optional).endSecret();
      } else {
        builder.withNewConfigMap().withName(store.configMap.name).withOptional(store.configMap.optional)
            .endConfigMap();
      }
      volumes.add(builder.build());
    });
    WRITABLE_DIRS.keySet().forEach(name -> volumes.add(new VolumeBuilder().withName(name).withNewEmptyDir()
        .endEmptyDir().build()));
    return volumes;
  }

  private static List<VolumeMount> volumeMounts(KeycloakModel model) {
    var spec = model.spec();
    var mounts = new ArrayList<VolumeMount>();
    if (model.settings().tls()) {
      mounts.add(mount(TLS_VOLUME, ServerOptions.CERTIFICATES_DIR, true));
    }
    if (spec.cache != null && spec.cache.configMapFile != null) {
      mounts.add(mount(CACHE_VOLUME, ServerOptions.CACHE_CONFIG_DIR, true));
    }
    forEachTruststore(spec, (volume, store) -> mounts.add(mount(volume,
        ServerOptions.TRUSTSTORES_DIR + "/" + volume.substring("truststore-".length()), true)));
    WRITABLE_DIRS.forEach((name, path) -> mounts.add(mount(name, path, false)));
    return mounts;
  }

  /** Each truststore source, with its volume name {@code truststore-secret-<name>} / {@code -configmap-<name>}. */
  private static void forEachTruststore(KeycloakSpec spec,
      BiConsumer<String, KeycloakSpec.Truststore> action) {
    if (spec.truststores == null) {
      return;
    }
    new TreeMap<>(spec.truststores).forEach((name, store) -> {
      if (store.secret != null || store.configMap != null) {
        String kind = store.secret != null ? "secret" : "configmap";
        action.accept(volumeName("truststore-" + kind + "-" + name), store);
      }
    });
  }

  /** Volume names are DNS labels: lower case, at most 63 characters. */
  private static String volumeName(String raw) {
    String name = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    if (name.length() > 63) {
      name = name.substring(0, 54) + "-" + ReferencedContent.sha256(raw).substring(0, 8);
    }
    return name.replaceAll("-+$", "");
  }

  private static VolumeMount mount(String name, String path, boolean readOnly) {
    return new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(readOnly ? true : null).build();
  }

  private static List<TopologySpreadConstraint> defaultTopologySpread(KeycloakModel model) {
    return List.of("topology.kubernetes.io/zone", "kubernetes.io/hostname").stream()
        .map(key -> new TopologySpreadConstraintBuilder()
            .withMaxSkew(1)
            .withTopologyKey(key)
            .withWhenUnsatisfiable("ScheduleAnyway")
            .withNewLabelSelector().withMatchLabels(KeycloakNames.selectorLabels(model.keycloak())).endLabelSelector()
            .build())
        .toList();
  }

  private static ResourceRequirements defaultResources() {
    return new ResourceRequirementsBuilder()
        .withRequests(Map.of("memory", new Quantity("1700Mi")))
        .withLimits(Map.of("memory", new Quantity("2Gi")))
        .build();
  }

  /** The template's entries, with the generated ones replacing same-key entries in place and the rest appended. */
  private static <T> List<T> mergeByKey(List<T> base, List<T> generated, Function<T, String> key) {
    var merged = new LinkedHashMap<String, T>();
    if (base != null) {
      base.forEach(item -> merged.put(key.apply(item), item));
    }
    if (generated != null) {
      generated.forEach(item -> merged.put(key.apply(item), item));
    }
    return merged.isEmpty() ? null : new ArrayList<>(merged.values());
  }

  private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
    return map == null ? Map.of() : map;
  }
}
