package io.keycloakgitops.schemas.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.SecretKeySelector;

/** A named value given either inline or as a reference to a key of a Secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ValueOrSecret {
  public String name;
  public String value;
  public SecretKeySelector secret;

  public ValueOrSecret() {}

  public ValueOrSecret(String name, String value) {
    this.name = name;
    this.value = value;
  }
}
