package io.keycloakgitops.realmsync.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlanPrinterTest {
  @Test
  void secretsNeverAppearInTextOrJson() {
    var fields = List.of(new FieldChange("secret", Json.NODES.textNode("old-secret"), Json.NODES.textNode("new-secret"), true),
        new FieldChange("description", null, Json.NODES.textNode("token is from-placeholder-123"), false),
        new FieldChange("rootUrl", Json.NODES.textNode("https://a"), Json.NODES.textNode("https://b"), false));
    var plan = new Plan("demo", true, List.of(Change.update(EntityType.CLIENT, "web", fields, 30, ctx -> { })),
        List.of("kept something"));
    var secrets = new SecretPolicy(Set.of("from-placeholder-123"), SyncState.empty(), OwnershipKey.processLocal());
    String text = PlanPrinter.text(plan, secrets);
    String json = Json.write(PlanPrinter.json(plan, secrets));
    for (String out : List.of(text, json)) {
      assertThat(out).doesNotContain("old-secret", "new-secret", "from-placeholder-123").contains("https://b");
    }
    assertThat(text).contains("realm demo: 0 to create, 1 to update, 0 to delete", "~ client \"web\"",
        "rootUrl: \"https://a\" -> \"https://b\"", "! kept something");
  }
}
