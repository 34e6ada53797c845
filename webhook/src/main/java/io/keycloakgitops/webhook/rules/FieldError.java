package io.keycloakgitops.webhook.rules;

/**
 * One reason to deny an object, in the shape of Kubernetes' {@code field.Error}: rendered as
 * {@code spec.http.tlsSecret: Required value: ...}. {@code rule} names the rule that found it (a metrics label).
 */
public record FieldError(Type type, String field, String detail, String rule) {
  public enum Type {
    REQUIRED("Required value", "FieldValueRequired"),
    INVALID("Invalid value", "FieldValueInvalid"),
    FORBIDDEN("Forbidden", "FieldValueForbidden"),
    UNSUPPORTED("Unsupported value", "FieldValueNotSupported"),
    INTERNAL("Internal error", "InternalError");

    private final String text;
    /** The StatusCause type Kubernetes uses for it. */
    public final String causeType;

    Type(String text, String causeType) {
      this.text = text;
      this.causeType = causeType;
    }
  }

  /** The message without the field path, e.g. {@code Forbidden: privileged containers are not allowed}. */
  public String message() {
    return type.text + ": " + detail;
  }

  @Override
  public String toString() {
    return field.isEmpty() ? message() : field + ": " + message();
  }
}
