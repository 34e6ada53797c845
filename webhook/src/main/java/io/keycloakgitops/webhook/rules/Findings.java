package io.keycloakgitops.webhook.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What the rules found: errors deny the object, warnings are returned to the client and admitted. */
public record Findings(List<FieldError> errors, List<String> warnings) {
  public static final Findings NONE = new Findings(List.of(), List.of());

  public Findings {
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
  }

  public boolean allowed() {
    return errors.isEmpty();
  }

  public Findings plus(Findings other) {
    if (other.errors.isEmpty() && other.warnings.isEmpty()) {
      return this;
    }
    return new Findings(Stream.concat(errors.stream(), other.errors.stream()).toList(),
        Stream.concat(warnings.stream(), other.warnings.stream()).toList());
  }

  /** The same findings with every error turned into a warning (a namespace policy relaxed the rule). */
  public Findings relaxed(String why) {
    var all = new ArrayList<>(warnings);
    errors.forEach(error -> all.add(error + " (allowed: " + why + ")"));
    return new Findings(List.of(), all);
  }

  public static Builder builder(String rule) {
    return new Builder(rule);
  }

  /** Collects the findings of one rule; every error it records carries that rule's name. */
  public static final class Builder {
    private final String rule;
    private final List<FieldError> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private Builder(String rule) {
      this.rule = rule;
    }

    public Builder required(FieldPath path, String detail) {
      return add(FieldError.Type.REQUIRED, path, detail);
    }

    public Builder invalid(FieldPath path, Object value, String detail) {
      return add(FieldError.Type.INVALID, path, quote(value) + ": " + detail);
    }

    public Builder forbidden(FieldPath path, String detail) {
      return add(FieldError.Type.FORBIDDEN, path, detail);
    }

    public Builder add(FieldError.Type type, FieldPath path, String detail) {
      errors.add(new FieldError(type, path.value(), detail, rule));
      return this;
    }

    public Builder warn(FieldPath path, String detail) {
      warnings.add(path.value() + ": " + detail);
      return this;
    }

    public Findings build() {
      return new Findings(errors, warnings);
    }

    private static String quote(Object value) {
      return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }
  }
}
