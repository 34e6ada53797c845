package io.keycloakgitops.webhook.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.keycloakgitops.schemas.Schemas;
import io.keycloakgitops.schemas.realm.SecretKeys;
import io.keycloakgitops.schemas.authority.PlaceholderScan;
import io.keycloakgitops.schemas.authority.RealmGrants;
import java.util.Locale;
import java.util.Map;

/**
 * Rule 5: a KeycloakRealmImport names its Keycloak CR and carries a realm that validates against the realm JSON
 * Schema; secrets written in clear in the realm are warned about, since the CR is stored in Git. The CR's author is
 * a namespace tenant, so it may reach no further than that: {@code ${file:}} / {@code ${env:}} placeholders (which
 * would read realm-sync's own files and environment) are denied, and so is a realm the cluster admin's realm
 * grants do not give to the CR's namespace ({@code master} only when granted by name). realm-sync checks both again.
 */
public final class RealmImportRule {
  public static final String RULE = "realm-import";
  private static final FieldPath SPEC = FieldPath.of("spec");
  private static final FieldPath REALM = SPEC.child("realm");
  private static final String MASKED = "**********";

  private final JsonSchema realmSchema;

  private RealmImportRule(JsonSchema realmSchema) {
    this.realmSchema = realmSchema;
  }

  public static RealmImportRule load() {
    var config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_PATH).formatAssertionsEnabled(false).build();
    return new RealmImportRule(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
        .getSchema(Schemas.realmSchema(), config));
  }

  /** Judges {@code object}, a KeycloakRealmImport in {@code namespace}, under the cluster admin's realm grants. */
  public Findings validate(JsonNode object, String namespace, RealmGrants grants) {
    var findings = Findings.builder(RULE);
    JsonNode spec = object.path("spec");
    JsonNode crName = spec.path("keycloakCRName");
    if (!crName.isTextual() || crName.asText().isBlank()) {
      findings.required(SPEC.child("keycloakCRName"), "the name of the Keycloak CR (same namespace) to import into");
    } else {
      String problem = Names.dns1123SubdomainProblem(crName.asText());
      if (problem != null) {
        findings.invalid(SPEC.child("keycloakCRName"), crName.asText(), problem);
      }
    }
    JsonNode realm = spec.path("realm");
    if (!realm.isObject()) {
      return findings.required(REALM, "the realm representation to import").build();
    }
    JsonNode realmName = realm.path("realm");
    if (!realmName.isTextual() || realmName.asText().isBlank()) {
      findings.required(REALM.child("realm"), "the realm's name");
    } else {
      grants.deny(namespace, realmName.asText()).ifPresent(denial -> findings.forbidden(REALM.child("realm"), denial));
    }
    for (PlaceholderScan.Finding placeholder : PlaceholderScan.forbiddenInCr(realm, REALM.value())) {
      findings.forbidden(new FieldPath(placeholder.field()), placeholder.message());
    }
    for (ValidationMessage message : realmSchema.validate(realm)) {
      String location = message.getInstanceLocation().toString().substring(1);
      var path = new FieldPath(REALM.value() + location);
      if ("required".equals(message.getType())) {
        if (!"realm".equals(message.getProperty()) || location.length() > 0) {
          findings.required(path.child(message.getProperty()), "required field");
        }
      } else {
        String text = message.getMessage();
        String prefix = message.getInstanceLocation() + ": ";
        findings.add(FieldError.Type.INVALID, path, text.startsWith(prefix) ? text.substring(prefix.length()) : text);
      }
    }
    var placeholders = spec.path("placeholders");
    warnPlaintextSecrets(REALM, realm, false, placeholders, findings);
    return findings.build();
  }

  private static void warnPlaintextSecrets(FieldPath path, JsonNode node, boolean inCredentials, JsonNode placeholders,
      Findings.Builder findings) {
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        warnPlaintextSecrets(path.index(i), node.get(i), inCredentials, placeholders, findings);
      }
      return;
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String key = field.getKey().toLowerCase(Locale.ROOT);
      FieldPath child = path.child(field.getKey());
      // Realm-sync masks the same fields (SecretKeys); "value" is a secret only under "credentials".
      boolean secretKey = SecretKeys.isSecret(field.getKey()) || (inCredentials && key.equals("value"));
      JsonNode value = field.getValue();
      // "credentials" is a secret name that holds objects: the secrets are inside.
      boolean structured = value.isObject() || (value.isArray() && !value.isEmpty() && value.get(0).isContainerNode());
      if (secretKey && !structured) {
        checkSecretValue(child, value, placeholders, findings);
      } else if (value.isContainerNode()) {
        warnPlaintextSecrets(child, field.getValue(), key.equals("credentials"), placeholders, findings);
      }
    }
  }

  private static void checkSecretValue(FieldPath path, JsonNode value, JsonNode placeholders, Findings.Builder findings) {
    if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        checkSecretValue(path.index(i), value.get(i), placeholders, findings);
      }
      return;
    }
    if (!value.isTextual() || value.asText().isEmpty() || value.asText().equals(MASKED)) {
      return;
    }
    String text = value.asText();
    int start = text.indexOf("${");
    if (start < 0) {
      findings.warn(path, "secret in clear text; use a ${PLACEHOLDER} backed by spec.placeholders (a Secret)");
      return;
    }
    int end = text.indexOf('}', start);
    String name = end < 0 ? "" : text.substring(start + 2, end).strip();
    // ${secret:name/key} is resolved by realm-sync (labelled Secrets only); ${file:}/${env:} are denied above.
    if (!name.isEmpty() && name.indexOf(':') < 0 && !placeholders.has(name)) {
      findings.warn(path, "placeholder ${" + name + "} is not defined in spec.placeholders");
    }
  }
}
