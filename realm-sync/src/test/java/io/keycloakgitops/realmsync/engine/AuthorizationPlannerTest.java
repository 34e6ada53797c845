package io.keycloakgitops.realmsync.engine;

import static io.keycloakgitops.realmsync.engine.CompareTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuthorizationPlannerTest {
  @Test
  void policyConfigListsCompareAsSets() {
    var declared = json("{'name':'p','config':{'applyPolicies':'[\\\"b\\\",\\\"a\\\"]','hour':'8'}}");
    var stored = json("{'name':'p','config':{'applyPolicies':'[\\\"a\\\",\\\"b\\\"]','hour':'8'}}");
    assertThat(AuthorizationPlanner.withSortedConfigLists(declared))
        .isEqualTo(AuthorizationPlanner.withSortedConfigLists(stored));
    assertThat(declared.at("/config/applyPolicies").asText()).isEqualTo("[\"b\",\"a\"]");
  }

  @Test
  void differentPolicyListsStillDiffer() {
    var declared = json("{'name':'p','config':{'applyPolicies':'[\\\"a\\\",\\\"c\\\"]'}}");
    var stored = json("{'name':'p','config':{'applyPolicies':'[\\\"a\\\",\\\"b\\\"]'}}");
    assertThat(AuthorizationPlanner.withSortedConfigLists(declared))
        .isNotEqualTo(AuthorizationPlanner.withSortedConfigLists(stored));
  }
}
