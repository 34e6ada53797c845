package io.keycloakgitops.webhook.rules;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.keycloakgitops.schemas.keycloak.KeycloakSpec;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of rules: which rules judge which kind and operation, with the namespace policy applied. Each rule
 * is a pure function; a rule that throws denies with an internal error (fail closed, like failurePolicy Fail)
 * instead of failing the whole request.
 */
public final class Validator {
  private static final Logger LOG = LoggerFactory.getLogger(Validator.class);

  private final CrdSchema crdSchema;
  private final RealmImportRule realmImportRule;

  private Validator(CrdSchema crdSchema, RealmImportRule realmImportRule) {
    this.crdSchema = crdSchema;
    this.realmImportRule = realmImportRule;
  }

  /** Compiles the CRD and realm schemas (a few hundred ms; do it once). */
  public static Validator load() {
    return new Validator(CrdSchema.load(), RealmImportRule.load());
  }

  public Findings validate(Review review, NamespacePolicy.Rules rules) {
    if (review.isKeycloak()) {
      return validateKeycloak(review, rules);
    }
    if (review.isRealmImport()) {
      return guarded(CrdSchema.RULE, () -> crdSchema.validate(review.object()))
          .plus(guarded(RealmImportRule.RULE, () -> realmImportRule.validate(review.object(), review.namespace(),
              rules.realmGrants())));
    }
    return Findings.NONE;
  }

  private Findings validateKeycloak(Review review, NamespacePolicy.Rules rules) {
    Findings findings = guarded(CrdSchema.RULE, () -> crdSchema.validate(review.object()));
    KeycloakSpec spec = KeycloakSpecs.withoutPodTemplate(review.object());
    try {
      PodTemplateSpec template = KeycloakSpecs.podTemplate(review.object());
      // Decoded for this rule alone, so it may be hardened in place.
      findings = findings.plus(guarded(PodSecurity.RULE,
          () -> PodSecurity.validateInPlace(template, rules.podSecurity())));
    } catch (IllegalArgumentException e) {
      // Fail closed: a pod that cannot be read cannot be checked, whatever the schema rule says about it.
      findings = findings.plus(PodSecurity.undecodable(e.getMessage()));
    }
    if (spec == null) {
      // Only a schema error makes the spec unreadable, and it is already reported.
      return findings;
    }
    KeycloakSpec typed = spec;
    Findings tls = guarded(TlsRule.RULE, () -> TlsRule.validate(typed));
    findings = findings.plus(rules.tls() == NamespacePolicy.TlsMode.OPTIONAL ? tls.relaxed(rules.source()) : tls);
    if (review.isUpdate()) {
      KeycloakSpec stored = KeycloakSpecs.withoutPodTemplate(review.oldObject());
      if (stored != null) {
        ObjectMeta metadata = KeycloakSpecs.read(review.object().path("metadata"), ObjectMeta.class);
        findings = findings.plus(guarded(UpdateRule.RULE, () -> UpdateRule.validate(metadata, typed, stored)));
      }
    }
    return findings;
  }

  private static Findings guarded(String rule, Supplier<Findings> check) {
    try {
      return check.get();
    } catch (RuntimeException e) {
      LOG.error("rule {} failed", rule, e);
      return Findings.builder(rule).add(FieldError.Type.INTERNAL, new FieldPath(""),
          "rule " + rule + " failed (" + e.getClass().getSimpleName() + "); see the webhook log").build();
    }
  }
}
