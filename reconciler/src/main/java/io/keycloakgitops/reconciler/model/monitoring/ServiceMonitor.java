package io.keycloakgitops.reconciler.model.monitoring;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;

/**
 * The part of the Prometheus Operator's ServiceMonitor ({@code monitoring.coreos.com/v1}) that the reconciler
 * writes. A typed class, unlike a generic resource, needs no API discovery, so it can be described even where the
 * CRD is absent.
 */
@Group("monitoring.coreos.com")
@Version("v1")
@Kind("ServiceMonitor")
@Plural("servicemonitors")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceMonitor extends CustomResource<ServiceMonitor.Spec, Void> implements Namespaced {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Spec {
    public LabelSelector selector;
    public NamespaceSelector namespaceSelector;
    public List<Endpoint> endpoints;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class NamespaceSelector {
    public List<String> matchNames;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Endpoint {
    public String port;
    public String path;
    public String scheme;
    public String interval;
    public String scrapeTimeout;
    public TlsConfig tlsConfig;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class TlsConfig {
    public Boolean insecureSkipVerify;
  }
}
