package io.keycloakgitops.schemas.authority;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The placeholders a KeycloakRealmImport CR may not use. A CR's author is a namespace tenant: {@code ${file:}} and
 * {@code ${env:}} would read realm-sync's own files and environment (its token, its admin password), so both are
 * refused for CRs; only {@code spec.placeholders} and {@code ${secret:name/key}} of labelled Secrets in the CR's own
 * namespace reach values. The webhook denies them at admission and realm-sync refuses them again.
 */
public final class PlaceholderScan {
  /** The label a Secret must carry before a CR of its namespace may read it through {@code ${secret:name/key}}. */
  public static final String PLACEHOLDER_SOURCE_LABEL = "keycloak-gitops.io/placeholder-source";
  public static final String PLACEHOLDER_SOURCE_VALUE = "true";

  /** {@code $${...}} is an escaped literal, never a placeholder. */
  private static final Pattern FORBIDDEN = Pattern.compile("\\$?\\$\\{\\s*(file|env)\\s*:");

  private PlaceholderScan() {}

  /** One refused placeholder: the field (a dotted path below {@code base}) and its scheme. */
  public record Finding(String field, String scheme) {
    public String message() {
      return "${" + scheme + ":} placeholders are refused in KeycloakRealmImport CRs (they would read realm-sync's "
          + "own files and environment); use spec.placeholders or ${secret:name/key} of a Secret labelled "
          + PLACEHOLDER_SOURCE_LABEL + "=" + PLACEHOLDER_SOURCE_VALUE + " in this namespace";
    }
  }

  /** Every {@code ${file:}} / {@code ${env:}} in the string values (and keys) below {@code node}. */
  public static List<Finding> forbiddenInCr(JsonNode node, String base) {
    List<Finding> findings = new ArrayList<>();
    walk(node, base, findings);
    return findings;
  }

  private static void walk(JsonNode node, String path, List<Finding> findings) {
    if (node == null) {
      return;
    }
    if (node.isTextual()) {
      scan(node.textValue(), path, findings);
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        String child = path + "." + field.getKey();
        scan(field.getKey(), child, findings);
        walk(field.getValue(), child, findings);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), path + "[" + i + "]", findings);
      }
    }
  }

  private static void scan(String text, String path, List<Finding> findings) {
    if (!text.contains("${")) {
      return;
    }
    Matcher matcher = FORBIDDEN.matcher(text);
    while (matcher.find()) {
      if (!matcher.group().startsWith("$$")) {
        findings.add(new Finding(path, matcher.group(1)));
        return;
      }
    }
  }
}
