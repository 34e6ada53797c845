package io.keycloakgitops.webhook.rules;

import io.keycloakgitops.schemas.keycloak.KeycloakFacts;
import io.keycloakgitops.schemas.keycloak.KeycloakSpec;

/**
 * Rule 3: Keycloak is reachable only over TLS, either at the pod ({@code spec.http.tlsSecret}) or at an ingress
 * ({@code spec.ingress.tlsSecret}) with plain HTTP enabled behind it.
 */
public final class TlsRule {
  public static final String RULE = "tls";
  private static final FieldPath HTTP = FieldPath.of("spec", "http");
  private static final FieldPath INGRESS = FieldPath.of("spec", "ingress");

  private TlsRule() {}

  /** TLS terminates at an enabled ingress and Keycloak itself has no certificate. */
  public static boolean edgeTerminated(KeycloakSpec spec) {
    return KeycloakFacts.ingressEnabled(spec) && present(spec.ingress.tlsSecret) && (spec.http == null || !present(spec.http.tlsSecret));
  }

  public static Findings validate(KeycloakSpec spec) {
    var findings = Findings.builder(RULE);
    boolean podTls = spec.http != null && present(spec.http.tlsSecret);
    boolean httpEnabled = spec.http != null && Boolean.TRUE.equals(spec.http.httpEnabled);
    boolean ingress = KeycloakFacts.ingressEnabled(spec);
    boolean ingressTls = ingress && present(spec.ingress.tlsSecret);

    if (!podTls && !ingressTls) {
      findings.required(HTTP.child("tlsSecret"), "Keycloak must be reachable only over TLS: set spec.http.tlsSecret"
          + " (TLS at the pod) or an enabled ingress with spec.ingress.tlsSecret and spec.http.httpEnabled: true");
    } else if (!podTls && !httpEnabled) {
      findings.required(HTTP.child("httpEnabled"),
          "must be true when TLS terminates at the ingress (no spec.http.tlsSecret): Keycloak serves plain HTTP behind it");
    }
    if (ingress && !ingressTls) {
      findings.required(INGRESS.child("tlsSecret"), "an enabled ingress must terminate TLS");
    }
    boolean strictHostname = spec.hostname == null || !Boolean.FALSE.equals(spec.hostname.strict);
    boolean hostname = spec.hostname != null && present(spec.hostname.hostname);
    if (ingress && strictHostname && !hostname) {
      findings.required(FieldPath.of("spec", "hostname", "hostname"),
          "required when the ingress is enabled (or set spec.hostname.strict: false)");
    } else if (strictHostname && !hostname) {
      findings.warn(FieldPath.of("spec", "hostname", "hostname"),
          "unset: Keycloak refuses to start without it unless spec.hostname.strict is false");
    }
    if (podTls && httpEnabled && !ingressTls) {
      findings.warn(HTTP.child("httpEnabled"), "plain HTTP is served beside HTTPS with no TLS ingress in front");
    }
    if (spec.http != null) {
      Names.checkSecretName(findings, HTTP.child("tlsSecret"), spec.http.tlsSecret);
    }
    if (spec.ingress != null) {
      Names.checkSecretName(findings, INGRESS.child("tlsSecret"), spec.ingress.tlsSecret);
    }
    return findings.build();
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }
}
