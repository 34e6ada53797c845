package io.keycloakgitops.reconciler.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.keycloakgitops.reconciler.TestKeycloaks;
import org.junit.jupiter.api.Test;

class KeycloakNetworkPolicyDependentResourceTest {

  private static NetworkPolicy policy(String spec) {
    return new KeycloakNetworkPolicyDependentResource().desired(TestKeycloaks.model(spec));
  }

  private static NetworkPolicyIngressRule ruleFor(NetworkPolicy policy, int port) {
    return policy.getSpec().getIngress().stream()
        .filter(r -> r.getPorts().getFirst().getPort().getIntVal() == port).findFirst().orElseThrow();
  }

  @Test
  void portsFollowTheServingModeAndPeersFollowTheSpec() {
    var policy = policy("""
        http: {tlsSecret: tls}
        networkPolicy:
          https: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}}]
          management: [{podSelector: {matchLabels: {app: prometheus}}}]
        """);
    assertThat(policy.getMetadata().getName()).isEqualTo("kc-network-policy");
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(policy.getSpec().getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/instance", "kc");
    assertThat(policy.getSpec().getIngress()).extracting(r -> r.getPorts().getFirst().getPort().getIntVal())
        .containsExactly(8443, 9000, 7800);
    assertThat(ruleFor(policy, 8443).getFrom()).singleElement()
        .satisfies(p -> assertThat(p.getNamespaceSelector().getMatchLabels()).containsValue("ingress-nginx"));
    assertThat(ruleFor(policy, 9000).getFrom()).singleElement()
        .satisfies(p -> assertThat(p.getPodSelector().getMatchLabels()).containsEntry("app", "prometheus"));
  }

  @Test
  void jgroupsIsOpenOnlyToTheOtherKeycloakPods() {
    var jgroups = ruleFor(policy("{}"), 7800);
    assertThat(jgroups.getFrom()).singleElement().satisfies(peer -> {
      assertThat(peer.getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/instance", "kc");
      assertThat(peer.getNamespaceSelector()).isNull();
    });
  }

  @Test
  void anAbsentPeerListAllowsAnySource() {
    assertThat(ruleFor(policy("{}"), 8080).getFrom()).isNullOrEmpty();
  }

  @Test
  void enabledUnlessSwitchedOff() {
    assertThat(KeycloakNetworkPolicyDependentResource.EnabledCondition.holds(
        TestKeycloaks.model("networkPolicy: {enabled: false}"))).isFalse();
    assertThat(KeycloakNetworkPolicyDependentResource.EnabledCondition.holds(TestKeycloaks.model("{}"))).isTrue();
  }
}
