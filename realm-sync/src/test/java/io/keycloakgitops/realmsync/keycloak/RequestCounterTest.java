package io.keycloakgitops.realmsync.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestCounterTest {
  @Test
  void requestsOfOneKindCountTogetherWhateverTheIdsAndNames() {
    String id = "0b6c2d1e-1111-4222-8333-944445555666";
    assertThat(RequestCounter.kind("GET", "/admin/realms/acme/groups/" + id + "/members"))
        .isEqualTo(RequestCounter.kind("GET", "/admin/realms/other/groups/" + id.replace('1', '7') + "/members"))
        .isEqualTo("GET groups/*/members");
    assertThat(RequestCounter.kind("GET", "/admin/realms/acme/roles/role-007/users")).isEqualTo("GET roles/*/users");
    assertThat(RequestCounter.kind("GET", "/admin/realms/acme/users")).isEqualTo("GET users");
    assertThat(RequestCounter.kind("GET", "/admin/realms/acme/clients/" + id + "/roles"))
        .isEqualTo("GET clients/*/roles");
    assertThat(RequestCounter.kind("GET", "/admin/realms/acme/authentication/flows/browser/executions"))
        .isEqualTo("GET authentication/flows/*/executions");
    assertThat(RequestCounter.kind("POST", "/admin/realms/acme/partialImport")).isEqualTo("POST partialImport");
    assertThat(RequestCounter.kind("PUT", "/admin/realms/acme")).isEqualTo("PUT realm");
    assertThat(RequestCounter.kind("POST", "/admin/realms")).isEqualTo("POST realms");
  }

  @Test
  void theSlowestCallIsKeptWithItsKindAndTokenCallsAreLeftOut() {
    var counter = new RequestCounter();
    assertThat(counter.slowest()).isNull();
    counter.finished("GET", "/admin/realms/acme/clients", 36_552);
    counter.finished("GET", "/admin/realms/acme/users", 120);
    counter.finished("POST", "/realms/master/protocol/openid-connect/token", 90_000);
    assertThat(counter.slowest()).isEqualTo(new RequestCounter.Slowest("GET clients", "/admin/realms/acme/clients", 36_552));
  }
}
