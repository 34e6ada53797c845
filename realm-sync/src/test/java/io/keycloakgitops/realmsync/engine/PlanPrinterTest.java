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
    var plan = new Plan("demo", true, List.of(Change.update(EntityType.CLIENT, "web", fields, Phase.CLIENT, ctx -> { })),
        List.of("kept something"));
    String text = PlanPrinter.text(plan, SECRETS);
    String json = Json.write(PlanPrinter.json(plan, SECRETS));
    String markdown = PlanPrinter.markdown(plan, SECRETS, DeletionGuard.DEFAULT);
    for (String out : List.of(text, json, markdown)) {
      assertThat(out).doesNotContain("old-secret", "new-secret", "from-placeholder-123").contains("https://b");
    }
    assertThat(markdown).contains("- `secret`: `" + SecretPolicy.MASK + "` → `" + SecretPolicy.MASK + "`");
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
    var change = Change.update(EntityType.REALM, "demo", List.of(new FieldChange(field, null, after, false)), Phase.REALM_EARLY, ctx -> { });
    var plan = new Plan("demo", true, List.of(change), List.of());
    String text = PlanPrinter.text(plan, SECRETS);
    String json = Json.write(PlanPrinter.json(plan, SECRETS));
    String markdown = PlanPrinter.markdown(plan, SECRETS, DeletionGuard.DEFAULT);
    for (String out : List.of(text, json, markdown)) {
      assertThat(out).doesNotContain("literal-pass-1", "from-placeholder-123").contains(SecretPolicy.MASK);
      if (visible != null) {
        assertThat(out).contains(visible);
      }
    }
  }

  @Test
  void markdownPutsTheGuardAndDeletionsFirstThenGroupsByTypeAndEndsWithWarnings() {
    var plan = new Plan("demo", true, List.of(
        Change.create(EntityType.CLIENT, "web", Phase.CLIENT, ctx -> { }),
        Change.update(EntityType.GROUP, "staff", List.of(new FieldChange("attributes.team", null, Json.NODES.textNode("a"), false)), Phase.GROUP, ctx -> { }),
        Change.delete(EntityType.CLIENT, "old-1", Phase.DELETE_CLIENT, ctx -> { }),
        Change.delete(EntityType.GROUP, "old-2", Phase.DELETE_GROUP, ctx -> { }),
        Change.create(EntityType.CLIENT, "api", Phase.CLIENT, ctx -> { })), List.of("flow browser is bound: left alone"));
    String markdown = PlanPrinter.markdown(plan, SECRETS, new DeletionGuard(1, false));
    assertThat(markdown).contains("| create | update | delete |\n|---:|---:|---:|\n| 2 | 1 | 2 |");
    assertThat(markdown.indexOf("**Deletion guard:** realm demo: stopped before writing anything: 2 objects"))
        .isPositive().isLessThan(markdown.indexOf("#### Deletions"));
    assertThat(markdown.indexOf("#### Deletions")).isLessThan(markdown.indexOf("#### client"));
    assertThat(markdown.substring(markdown.indexOf("#### Deletions"), markdown.indexOf("#### client")))
        .contains("- `- client \"old-1\"`", "- `- group \"old-2\"`").doesNotContain("+ client");
    assertThat(markdown.substring(markdown.indexOf("#### client"), markdown.indexOf("#### group")))
        .contains("- `+ client \"web\"`", "- `+ client \"api\"`");
    assertThat(markdown).contains("- `~ group \"staff\"`\n  - `attributes.team`: `(none)` → `\"a\"`");
    assertThat(markdown.indexOf("#### Warnings")).isGreaterThan(markdown.indexOf("#### group"));
    assertThat(PlanPrinter.markdown(plan, SECRETS, DeletionGuard.DEFAULT)).doesNotContain("Deletion guard");
    assertThat(PlanPrinter.markdown(new Plan("demo", true, List.of(), List.of()), SECRETS, DeletionGuard.DEFAULT))
        .contains("| 0 | 0 | 0 |", "No changes.");
  }

  /** What a realm file puts into the comment stays text: no markup, no HTML, no breaking out of a code span. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("markup")
  void markdownKeepsRealmContentInert(String input, String code, String prose) {
    assertThat(PlanPrinter.code(input)).isEqualTo(code);
    assertThat(PlanPrinter.prose(input)).isEqualTo(prose);
  }

  static Stream<Arguments> markup() {
    return Stream.of(
        Arguments.of("plain", "`plain`", "plain"),
        Arguments.of("a`b", "``a`b``", "a\\`b"),
        Arguments.of("`x", "`` `x ``", "\\`x"),
        Arguments.of("<img src=x onerror=alert(1)>", "`<img src=x onerror=alert(1)>`", "&lt;img src=x onerror=alert(1)&gt;"),
        Arguments.of("[link](http://x) *b* _i_ |t|", "`[link](http://x) *b* _i_ |t|`",
            "\\[link\\](http://x) \\*b\\* \\_i\\_ \\|t\\|"),
        Arguments.of("two\nlines", "`two lines`", "two lines"));
  }
}
