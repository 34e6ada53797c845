package io.keycloakgitops.schemas.podsecurity;

/**
 * One way a pod fails a check.
 *
 * @param path   the offending field, below {@link PodSecurity#TEMPLATE_PATH} (the CR's pod template)
 * @param detail what is wrong, for a person
 */
public record Violation(Check check, String path, String detail) {
  /** {@code violates PodSecurity "restricted" check "privileged" (privileged): <detail>}, as upstream words it. */
  public String message() {
    return "violates PodSecurity \"" + check.level.id() + "\" check \"" + check.id + "\" (" + check.reason + "): "
        + detail;
  }

  @Override
  public String toString() {
    return path + ": " + message();
  }
}
