package io.keycloakgitops.realmsync.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlanPrinterTest {
  private static final SecretPolicy SECRETS = new SecretPolicy(Set.of("from-placeholder-123"), SyncState.empty(),
      OwnershipKey.processLocal());

  @Test
  void secretsNeverAppearInTextOrJson() {
    var fields = List.of(new FieldChange("secret", Json.NODES.textNode("old-secret"), Json.NODES.textNode("new-secret"), true),
        new FieldChange("description", null, Json.NODES.textNode("token is from-placeholder-123"), false),
        new FieldChange("rootUrl", Json.NODES.textNode("https://a"), Json.NODES.textNode("https://b"), false));
    var plan = new Plan("demo", true, List.of(Change.update(EntityType.CLIENT, "web", fields, 30, ctx -> { })),
        List.of("kept something"));
    String text = PlanPrinter.text(plan, SECRETS);
    String json = Json.write(PlanPrinter.json(plan, SECRETS));
    for (String out : List.of(text, json)) {
      assertThat(out).doesNotContain("old-secret", "new-secret", "from-placeholder-123").contains("https://b");
    }
    assertThat(text).contains("realm demo: 0 to create, 1 to update, 0 to delete", "~ client \"web\"",
        "rootUrl: \"https://a\" -> \"https://b\"", "! kept something");
  }

  /** A whole map or list added at once: its sensitive keys are masked however deep, its other keys shown. */
  static Stream<Arguments> nested() {
    return Stream.of(
        Arguments.of("smtpServer", "{'host':'mail','password':'literal-pass-1'}", "mail"),
        Arguments.of("config", "{'bindDn':'cn=x','bindCredential':['literal-pass-1']}", "cn=x"),
        Arguments.of("config", "{'clientId':'gh','clientSecret':'literal-pass-1'}", "gh"),
        Arguments.of("attributes", "{'outer':{'inner':{'secret':'literal-pass-1','keep':'visible'}}}", "visible"),
        Arguments.of("credentials", "[{'type':'password','value':'literal-pass-1'}]", null),
        Arguments.of("components", "[{'name':'ldap','config':{'bindCredential':['literal-pass-1']}}]", "ldap"),
        Arguments.of("config", "{'privateKey':'literal-pass-1','api_key':'literal-pass-1','x.token':'literal-pass-1','passwordPolicy':'length(8)'}",
            "length(8)"),
        Arguments.of("description", "'uses from-placeholder-123'", null));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("nested")
  void sensitiveKeysAreMaskedAtEveryDepth(String field, String value, String visible) {
    var after = Json.read(value.replace('\'', '"'));
    var change = Change.update(EntityType.REALM, "demo", List.of(new FieldChange(field, null, after, false)), 1, ctx -> { });
    var plan = new Plan("demo", true, List.of(change), List.of());
    String text = PlanPrinter.text(plan, SECRETS);
    String json = Json.write(PlanPrinter.json(plan, SECRETS));
    for (String out : List.of(text, json)) {
      assertThat(out).doesNotContain("literal-pass-1", "from-placeholder-123").contains(SecretPolicy.MASK);
      if (visible != null) {
        assertThat(out).contains(visible);
      }
    }
  }
}
