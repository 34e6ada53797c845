package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One differing field: {@code path} is dotted from the object ({@code attributes.foo}); {@code before} is the live
 * value (null when absent), {@code after} the desired one. Sensitive values are never rendered. {@code hashKey} is
 * set when the live value is masked by Keycloak: after the write, {@code newHash} (the keyed hash of the desired
 * value) is remembered under that key so the next compare can tell whether the secret changed.
 */
public record FieldChange(String path, JsonNode before, JsonNode after, boolean sensitive, String hashKey,
    String newHash) {
  public FieldChange(String path, JsonNode before, JsonNode after, boolean sensitive) {
    this(path, before, after, sensitive, null, null);
  }

  /** The top-level field of the object this change touches. */
  public String field() {
    int dot = path.indexOf('.');
    return dot < 0 ? path : path.substring(0, dot);
  }
}
