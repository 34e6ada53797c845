package io.keycloakgitops.webhook.rules;

import java.util.regex.Pattern;

/** Kubernetes name formats. */
final class Names {
  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private Names() {}

  /** Null when {@code name} is a valid DNS-1123 subdomain (the format of Secret names), else why not. */
  static String dns1123SubdomainProblem(String name) {
    if (name.length() > 253) {
      return "must be no more than 253 characters";
    }
    if (!DNS1123_SUBDOMAIN.matcher(name).matches()) {
      return "must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a"
          + " letter or digit";
    }
    return null;
  }

  static void checkSecretName(Findings.Builder findings, FieldPath path, String name) {
    if (name == null) {
      return;
    }
    String problem = dns1123SubdomainProblem(name);
    if (problem != null) {
      findings.invalid(path, name, problem);
    }
  }
}
