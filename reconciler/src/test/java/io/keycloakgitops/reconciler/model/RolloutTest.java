package io.keycloakgitops.reconciler.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.keycloakgitops.reconciler.TestKeycloaks;
import io.keycloakgitops.reconciler.dependent.KeycloakDeploymentDependentResource;
import org.junit.jupiter.api.Test;

class RolloutTest {
  private final KeycloakDeploymentDependentResource dependent = new KeycloakDeploymentDependentResource();

  /** The Deployment as applied for {@code spec}, rolled out completely. */
  private Deployment running(String spec) {
    var deployment = new DeploymentBuilder(dependent.desired(TestKeycloaks.model(spec)))
        .editMetadata().withGeneration(2L).endMetadata()
        .withStatus(new DeploymentStatusBuilder().withObservedGeneration(2L).withReplicas(2).withUpdatedReplicas(2)
            .withReadyReplicas(2).build())
        .build();
    deployment.getSpec().setReplicas(2);
    return deployment;
  }

  @Test
  void noDeploymentYetMeansNothingToRecreate() {
    assertThat(Rollout.recreate(TestKeycloaks.model("update: {strategy: RecreateOnImageChange}"), null)).isFalse();
  }

  @Test
  void recreateOnImageChangeOnlyWhenTheImageChanges() {
    var actual = running("image: kc:1\nupdate: {strategy: RecreateOnImageChange}");
    assertThat(Rollout.recreate(TestKeycloaks.model("image: kc:1\nupdate: {strategy: RecreateOnImageChange}\n"
        + "features: {enabled: [x]}"), actual)).isFalse();
    assertThat(Rollout.recreate(TestKeycloaks.model("image: kc:2\nupdate: {strategy: RecreateOnImageChange}"),
        actual)).isTrue();
  }

  @Test
  void withoutAnUpdateStrategyAnImageChangeRolls() {
    assertThat(Rollout.recreate(TestKeycloaks.model("image: kc:2"), running("image: kc:1"))).isFalse();
  }

  @Test
  void explicitRecreatesWhenTheRevisionChanges() {
    var actual = running("update: {strategy: Explicit, revision: a}");
    assertThat(Rollout.recreate(TestKeycloaks.model("update: {strategy: Explicit, revision: a}\nimage: kc:9"),
        actual)).isFalse();
    assertThat(Rollout.recreate(TestKeycloaks.model("update: {strategy: Explicit, revision: b}"), actual)).isTrue();
  }

  @Test
  void aRecreateInProgressStaysARecreateUntilDone() {
    String spec = "image: kc:2\nupdate: {strategy: RecreateOnImageChange}";
    var recreating = new DeploymentBuilder(dependent.desired(TestKeycloaks.model(spec).withClusterFacts(null, true)))
        .editMetadata().withGeneration(3L).endMetadata()
        .withStatus(new DeploymentStatusBuilder().withObservedGeneration(3L).withReplicas(1).withUpdatedReplicas(1)
            .build())
        .build();
    recreating.getSpec().setReplicas(2);
    assertThat(Rollout.inProgress(recreating)).isTrue();
    assertThat(Rollout.recreate(TestKeycloaks.model(spec), recreating)).isTrue();

    recreating.getStatus().setUpdatedReplicas(2);
    recreating.getStatus().setReplicas(2);
    assertThat(Rollout.inProgress(recreating)).isFalse();
    assertThat(Rollout.recreate(TestKeycloaks.model(spec), recreating)).isFalse();
  }

  @Test
  void progressFollowsTheDeploymentStatus() {
    var deployment = running("{}");
    assertThat(Rollout.inProgress(deployment)).isFalse();
    assertThat(Rollout.readyReplicas(deployment)).isEqualTo(2);
    deployment.getMetadata().setGeneration(3L);
    assertThat(Rollout.inProgress(deployment)).as("template not observed yet").isTrue();
    deployment.getStatus().setObservedGeneration(3L);
    deployment.getStatus().setReplicas(3);
    assertThat(Rollout.inProgress(deployment)).as("an old pod still runs").isTrue();
  }
}
