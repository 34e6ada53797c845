package io.keycloakgitops.schemas.keycloak;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import io.keycloakgitops.schemas.common.ValueOrSecret;
import java.util.List;
import java.util.Map;

/**
 * The Keycloak CR spec: the upstream operator's v2beta1 fields, so that upstream manifests are accepted
 * unchanged. No defaults live in the schema: the mutating webhook sets them, visibly, in the stored object.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeycloakSpec {
  @SpecReplicas
  @Min(0)
  @JsonPropertyDescription("Number of Keycloak instances. Defaulted to 1 by the webhook.")
  public Integer instances;

  @JsonPropertyDescription("Custom Keycloak image; a custom image is started with --optimized unless startOptimized says otherwise.")
  public String image;

  public List<LocalObjectReference> imagePullSecrets;

  @JsonPropertyDescription("Start the server with --optimized (the image was built with kc.sh build).")
  public Boolean startOptimized;

  @JsonPropertyDescription("Keycloak server options (name without the --), as values or Secret references.")
  public List<ValueOrSecret> additionalOptions;

  @JsonPropertyDescription("Extra environment variables for the Keycloak container.")
  public List<ValueOrSecret> env;

  public HttpSpec http;
  public HttpManagementSpec httpManagement;
  public IngressSpec ingress;
  public HostnameSpec hostname;
  public DatabaseSpec db;
  public FeatureSpec features;
  public TransactionsSpec transaction;
  public CacheSpec cache;

  @JsonPropertyDescription("Truststores mounted into the server, by name.")
  public Map<String, Truststore> truststores;

  public ResourceRequirements resources;
  public SchedulingSpec scheduling;

  @JsonProperty("import")
  public ImportSpec importSpec;

  public BootstrapAdminSpec bootstrapAdmin;
  public NetworkPolicySpec networkPolicy;
  public ProxySpec proxy;
  public TelemetrySpec telemetry;
  public TracingSpec tracing;
  public UpdateSpec update;
  public ProbeSpec readinessProbe;
  public ProbeSpec livenessProbe;
  public ProbeSpec startupProbe;
  public ServiceMonitorSpec serviceMonitor;
  public Boolean automountServiceAccountToken;
  public UnsupportedSpec unsupported;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class HttpSpec {
    @JsonPropertyDescription("Secret (kubernetes.io/tls) with the server certificate: TLS terminates at the pod.")
    public String tlsSecret;
    @JsonPropertyDescription("Serve plain HTTP; allowed only behind ingress TLS.")
    public Boolean httpEnabled;
    @Min(1) @Max(65535)
    public Integer httpPort;
    @Min(1) @Max(65535)
    public Integer httpsPort;
    public Map<String, String> annotations;
    public Map<String, String> labels;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class HttpManagementSpec {
    @Min(1) @Max(65535)
    public Integer port;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class IngressSpec {
    public Boolean enabled;
    public String className;
    public Map<String, String> annotations;
    public Map<String, String> labels;
    @JsonPropertyDescription("Secret with the certificate for TLS at the ingress (edge termination).")
    public String tlsSecret;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class HostnameSpec {
    public String hostname;
    public String admin;
    public Boolean strict;
    public Boolean backchannelDynamic;
    @JsonPropertyDescription("Deprecated: use admin.")
    public String adminUrl;
    @JsonPropertyDescription("Deprecated.")
    public Boolean strictBackchannel;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class DatabaseSpec {
    public String vendor;
    public String host;
    @Min(1) @Max(65535)
    public Integer port;
    public String database;
    public String schema;
    public String url;
    public SecretKeySelector usernameSecret;
    public SecretKeySelector passwordSecret;
    @Min(0)
    public Integer poolInitialSize;
    @Min(0)
    public Integer poolMinSize;
    @Min(0)
    public Integer poolMaxSize;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class FeatureSpec {
    public List<String> enabled;
    public List<String> disabled;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class TransactionsSpec {
    public Boolean xaEnabled;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class CacheSpec {
    @JsonPropertyDescription("ConfigMap key holding the Infinispan cache configuration file.")
    public ConfigMapKeySelector configMapFile;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Truststore {
    public String name;
    public TruststoreSource secret;
    public TruststoreSource configMap;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class TruststoreSource {
    public String name;
    public Boolean optional;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SchedulingSpec {
    public Affinity affinity;
    public List<Toleration> tolerations;
    public List<TopologySpreadConstraint> topologySpreadConstraints;
    public String priorityClassName;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ImportSpec {
    public SchedulingSpec scheduling;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class BootstrapAdminSpec {
    public SecretRef user;
    public SecretRef service;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SecretRef {
    @JsonPropertyDescription("Name of a Secret (user: keys username/password; service: keys client-id/client-secret).")
    public String secret;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class NetworkPolicySpec {
    public Boolean enabled;
    public List<NetworkPolicyPeer> http;
    public List<NetworkPolicyPeer> https;
    public List<NetworkPolicyPeer> management;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ProxySpec {
    @Pattern("^(forwarded|xforwarded)$")
    public String headers;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class TelemetrySpec {
    public String endpoint;
    public String serviceName;
    public String protocol;
    public Map<String, String> resourceAttributes;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class TracingSpec {
    public Boolean enabled;
    public String endpoint;
    public String protocol;
    public String samplerType;
    public Double samplerRatio;
    public String compression;
    @JsonPropertyDescription("Deprecated: use telemetry.serviceName.")
    public String serviceName;
    @JsonPropertyDescription("Deprecated: use telemetry.resourceAttributes.")
    public Map<String, String> resourceAttributes;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class UpdateSpec {
    @Pattern("^(RecreateOnImageChange|Auto|Explicit)$")
    public String strategy;
    public String revision;
    public Map<String, String> labels;
    public SchedulingSpec scheduling;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ProbeSpec {
    @Min(1)
    public Integer periodSeconds;
    @Min(1)
    public Integer failureThreshold;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ServiceMonitorSpec {
    public Boolean enabled;
    public String interval;
    public String scrapeTimeout;
    public Map<String, String> annotations;
    public Map<String, String> labels;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class UnsupportedSpec {
    @JsonPropertyDescription("Pod template merged under the generated pod; the hardened security context still applies.")
    public PodTemplateSpec podTemplate;
  }
}
