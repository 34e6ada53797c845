package io.keycloakgitops.webhook.rules;

/** A path to a field of the admitted object, rendered the Kubernetes way: {@code spec.containers[0].name}. */
public record FieldPath(String value) {
  public static FieldPath of(String first, String... more) {
    var path = new FieldPath(first);
    for (String name : more) {
      path = path.child(name);
    }
    return path;
  }

  public FieldPath child(String name) {
    return new FieldPath(value.isEmpty() ? name : value + "." + name);
  }

  public FieldPath index(int index) {
    return new FieldPath(value + "[" + index + "]");
  }

  public FieldPath key(String key) {
    return new FieldPath(value + "[" + key + "]");
  }

  @Override
  public String toString() {
    return value;
  }
}
