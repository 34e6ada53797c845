package io.keycloakgitops.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KubernetesListBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.keycloakgitops.schemas.podsecurity.Check;
import io.keycloakgitops.schemas.podsecurity.Level;
import io.keycloakgitops.testsupport.ProcessResult;
import io.keycloakgitops.testsupport.TestCluster;
import io.keycloakgitops.webhook.rules.PodSecurity;
import io.keycloakgitops.webhook.rules.PodSecurityCases;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The webhook's pod-security verdict on the effective pod agrees with the real PodSecurity admission of the API
 * server, for every case of the unit table that the API server accepts as a pod: a namespace enforcing the level,
 * and {@code kubectl create --dry-run=server} of the pod built from the effective pod.
 */
class PodSecurityAgreementIT {
  private static final String IMAGE = "quay.io/keycloak/keycloak:26.5.6";

  @ParameterizedTest
  @EnumSource(value = Level.class, names = {"RESTRICTED", "BASELINE"})
  void agreesWithThePodSecurityAdmission(Level level) {
    var cluster = TestCluster.shared();
    String levelName = level.name().toLowerCase();
    String namespace = cluster.createNamespace("pss-" + levelName, Map.of(
        "pod-security.kubernetes.io/enforce", levelName, "pod-security.kubernetes.io/enforce-version", "latest"));
    List<PodSecurityCases.Case> cases = PodSecurityCases.ALL.stream().filter(PodSecurityCases.Case::apiValid).toList();
    var pods = new ArrayList<Pod>();
    for (int i = 0; i < cases.size(); i++) {
      pods.add(pod("case-" + i,
          io.keycloakgitops.schemas.podsecurity.PodSecurity.effectivePod(cases.get(i).template())));
    }
    String list = Serialization.asYaml(new KubernetesListBuilder().withItems(new ArrayList<>(pods)).build());
    ProcessResult result = cluster.kubectlWithInput(list, "create", "-n", namespace, "--dry-run=server", "-f=-");

    var softly = new SoftAssertions();
    for (int i = 0; i < cases.size(); i++) {
      var c = cases.get(i);
      var ours = PodSecurity.validate(c.template(), level);
      String name = "case-" + i;
      String admitted = "pod/" + name + " created (server dry run)";
      String denial = result.stderr().lines()
          .filter(line -> line.contains("pods \"" + name + "\"") || line.contains("Pod \"" + name + "\""))
          .findFirst().orElse("");
      softly.assertThat(denial).as("%s: the API server must judge it on pod security alone", c)
          .matches(line -> line.isEmpty() || line.contains("violates PodSecurity \"" + levelName + ":latest\""));
      softly.assertThat(result.stdout().contains(admitted)).as("%s: admitted by PodSecurity (%s) vs webhook %s", c,
          denial, ours.errors()).isEqualTo(ours.allowed());
      for (var error : ours.errors()) {
        String check = error.detail().replaceFirst(".*check \"([^\"]+)\".*", "$1");
        String reason = java.util.Arrays.stream(Check.values()).filter(k -> k.id.equals(check))
            .findFirst().orElseThrow().reason;
        softly.assertThat(denial).as("%s: PodSecurity names the same check", c).contains(reason);
      }
    }
    softly.assertAll();
    assertThat(cases).hasSizeGreaterThan(30);
  }

  /** The pod the reconciler would create, as far as pod security goes; an image where the template has none. */
  private static Pod pod(String name, PodTemplateSpec effective) {
    var spec = effective.getSpec();
    for (Container container : spec.getContainers()) {
      if (container.getImage() == null) {
        container.setImage(IMAGE);
      }
    }
    return new PodBuilder().withNewMetadata().withName(name)
        .withAnnotations(effective.getMetadata() == null ? null : effective.getMetadata().getAnnotations())
        .endMetadata().withSpec(spec).build();
  }
}
