package io.keycloakgitops.reconciler.dependent;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.keycloakgitops.reconciler.model.KeycloakModel;
import io.keycloakgitops.reconciler.model.KeycloakNames;
import io.keycloakgitops.reconciler.model.ServerOptions;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import java.util.LinkedHashMap;

/**
 * The Ingress {@code <name>-ingress} (on unless {@code spec.ingress.enabled: false}). The backend protocol follows
 * the TLS mode of the pod: https to a pod that terminates TLS, http otherwise; {@code spec.ingress.tlsSecret} adds
 * TLS at the ingress for the host of {@code spec.hostname}.
 */
public class KeycloakIngressDependentResource extends KeycloakDependentResource<Ingress> {

  public KeycloakIngressDependentResource() {
    super(Ingress.class);
  }

  @Override
  public String name(Keycloak keycloak) {
    return KeycloakNames.ingress(keycloak);
  }

  @Override
  public Ingress desired(KeycloakModel model) {
    var spec = model.spec().ingress;
    boolean tls = model.settings().tls();
    var annotations = new LinkedHashMap<String, String>();
    // Common controllers' spelling of "talk https to the backend"; the user's annotations win.
    annotations.put("nginx.ingress.kubernetes.io/backend-protocol", tls ? "HTTPS" : "HTTP");
    annotations.put("route.openshift.io/termination", tls ? "passthrough" : "edge");
    if (spec != null && spec.annotations != null) {
      annotations.putAll(spec.annotations);
    }
    String host = ServerOptions.ingressHost(model);
    var rule = new IngressRuleBuilder().withHost(host)
        .withNewHttp().addNewPath().withPath("/").withPathType("Prefix")
        .withNewBackend().withNewService().withName(KeycloakNames.service(model.keycloak()))
        .withNewPort().withName(tls ? KeycloakServiceDependentResource.HTTPS_PORT_NAME
            : KeycloakServiceDependentResource.HTTP_PORT_NAME).endPort()
        .endService().endBackend()
        .endPath().endHttp()
        .build();
    var ingress = new IngressBuilder()
        .withMetadata(OwnedResources.metadata(model, name(model.keycloak()), spec == null ? null : spec.labels,
            annotations))
        .withNewSpec()
        .withIngressClassName(spec == null ? null : spec.className)
        .withRules(rule)
        .endSpec();
    if (spec != null && spec.tlsSecret != null) {
      var ingressTls = new IngressTLSBuilder().withSecretName(spec.tlsSecret);
      if (host != null) {
        ingressTls.withHosts(host);
      }
      ingress.editSpec().withTls(ingressTls.build()).endSpec();
    }
    return ingress.build();
  }

  /** Present while {@code spec.ingress.enabled} is not false; deleted when it turns false. */
  public static class EnabledCondition implements Condition<Ingress, Keycloak> {
    @Override
    public boolean isMet(DependentResource<Ingress, Keycloak> dependent, Keycloak primary,
        Context<Keycloak> context) {
      return holds(ModelContext.get(context));
    }

    public static boolean holds(KeycloakModel model) {
      return model.settings().ingressEnabled();
    }
  }
}
