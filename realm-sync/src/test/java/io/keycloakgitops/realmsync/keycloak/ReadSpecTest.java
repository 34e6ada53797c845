package io.keycloakgitops.realmsync.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReadSpecTest {
  @Test
  void clientsAndRolesAreReadInSmallerPagesThanUsers() {
    var spec = ReadSpec.everything();
    assertThat(spec.pageSize()).isEqualTo(1000);
    assertThat(spec.clientAndRolePageSize()).isEqualTo(100);
  }

  @Test
  void aPageSizeBelowTheClientPageBoundsClientsToo() {
    var spec = ReadSpec.everything().withPageSize(50);
    assertThat(spec.pageSize()).isEqualTo(50);
    assertThat(spec.clientAndRolePageSize()).isEqualTo(50);
  }

  @Test
  void aPageSizeBelowOneIsRefused() {
    assertThatThrownBy(() -> ReadSpec.everything().withPageSize(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
