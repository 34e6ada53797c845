package io.keycloakgitops.realmsync.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PrunePolicyTest {
  @Test
  void defaultsPruneEverythingButRealms() {
    var policy = PrunePolicy.defaults();
    assertThat(policy.deletes(EntityType.CLIENT)).isTrue();
    assertThat(policy.deletes(EntityType.REALM)).isFalse();
  }

  @Test
  void parsesPerTypeModes() {
    var policy = PrunePolicy.parse("user=no-delete, realm=full");
    assertThat(policy.deletes(EntityType.USER)).isFalse();
    assertThat(policy.deletes(EntityType.REALM)).isTrue();
    assertThat(policy.deletes(EntityType.GROUP)).isTrue();
  }

  @Test
  void rejectsUnknownTypesAndModesClearly() {
    assertThatThrownBy(() -> PrunePolicy.parse("clients=full")).hasMessageContaining("unknown type 'clients'");
    assertThatThrownBy(() -> PrunePolicy.parse("user=sometimes")).hasMessageContaining("not full or no-delete");
    assertThatThrownBy(() -> PrunePolicy.parse("user")).hasMessageContaining("type=full|no-delete");
  }
}
