package io.keycloakgitops.realmsync.engine;

import static io.keycloakgitops.realmsync.engine.CompareTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class FlowPlannerTest {
  @Test
  void aSubFlowDeclaredWithoutDescriptionIsCreatedWithAnEmptyOneNotTheTextNull() {
    var execution = (ObjectNode) json("{'flowAlias':'attribute gate','requirement':'CONDITIONAL','priority':20}");
    var body = FlowPlanner.subFlowBody(execution, (ObjectNode) json("{'alias':'attribute gate'}"));
    assertThat(body.toString())
        .isEqualTo(json("{'alias':'attribute gate','type':'basic-flow','description':'','priority':20}").toString());
  }

  @Test
  void aSubFlowKeepsItsDeclaredTypeDescriptionAndFormProvider() {
    var execution = (ObjectNode) json("{'flowAlias':'reg form','authenticator':'registration-page-form'}");
    var body = FlowPlanner.subFlowBody(execution,
        (ObjectNode) json("{'alias':'reg form','providerId':'form-flow','description':'the form'}"));
    assertThat(body.toString()).isEqualTo(json("{'alias':'reg form','type':'form-flow','description':'the form',"
        + "'provider':'registration-page-form'}").toString());
  }
}
