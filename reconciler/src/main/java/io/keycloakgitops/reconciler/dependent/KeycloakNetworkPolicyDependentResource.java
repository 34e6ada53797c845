package io.keycloakgitops.reconciler.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.keycloakgitops.reconciler.model.KeycloakModel;
import io.keycloakgitops.reconciler.model.KeycloakNames;
import io.keycloakgitops.reconciler.model.ServerSettings;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import java.util.ArrayList;
import java.util.List;

/**
 * The NetworkPolicy {@code <name>-network-policy} (on unless {@code spec.networkPolicy.enabled: false}): the
 * http, https and management ports accept the peers listed in {@code spec.networkPolicy} (any source when a list
 * is absent, as in Kubernetes), and the JGroups port accepts only the other Keycloak pods of this CR.
 */
public class KeycloakNetworkPolicyDependentResource extends KeycloakDependentResource<NetworkPolicy> {

  public KeycloakNetworkPolicyDependentResource() {
    super(NetworkPolicy.class);
  }

  @Override
  public String name(Keycloak keycloak) {
    return KeycloakNames.networkPolicy(keycloak);
  }

  @Override
  public NetworkPolicy desired(KeycloakModel model) {
    var settings = model.settings();
    var peers = model.spec().networkPolicy;
    var rules = new ArrayList<NetworkPolicyIngressRule>();
    if (settings.httpEnabled()) {
      rules.add(rule(settings.httpPort(), peers == null ? null : peers.http));
    }
    if (settings.tls()) {
      rules.add(rule(settings.httpsPort(), peers == null ? null : peers.https));
    }
    rules.add(rule(settings.managementPort(), peers == null ? null : peers.management));
    var clusterPeers = new NetworkPolicyPeerBuilder().withNewPodSelector()
        .withMatchLabels(KeycloakNames.selectorLabels(model.keycloak())).endPodSelector().build();
    rules.add(rule(ServerSettings.JGROUPS_PORT, List.of(clusterPeers)));
    return new NetworkPolicyBuilder()
        .withMetadata(OwnedResources.metadata(model, name(model.keycloak()), null, null))
        .withNewSpec()
        .withNewPodSelector().withMatchLabels(KeycloakNames.selectorLabels(model.keycloak())).endPodSelector()
        .withPolicyTypes("Ingress")
        .withIngress(rules)
        .endSpec()
        .build();
  }

  private static NetworkPolicyIngressRule rule(int port, List<NetworkPolicyPeer> from) {
    var rule = new NetworkPolicyIngressRuleBuilder()
        .withPorts(new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(port)).build());
    if (from != null && !from.isEmpty()) {
      rule.withFrom(from);
    }
    return rule.build();
  }

  /** Present while {@code spec.networkPolicy.enabled} is not false; deleted when it turns false. */
  public static class EnabledCondition implements Condition<NetworkPolicy, Keycloak> {
    @Override
    public boolean isMet(DependentResource<NetworkPolicy, Keycloak> dependent, Keycloak primary,
        Context<Keycloak> context) {
      return holds(ModelContext.get(context));
    }

    public static boolean holds(KeycloakModel model) {
      return model.settings().networkPolicyEnabled();
    }
  }
}
