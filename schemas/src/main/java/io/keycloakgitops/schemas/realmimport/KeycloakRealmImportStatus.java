package io.keycloakgitops.schemas.realmimport;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.keycloakgitops.schemas.common.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Upstream conditions Done / Started / HasErrors, plus what realm-sync last applied. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeycloakRealmImportStatus {
  public static final String DONE = "Done";
  public static final String STARTED = "Started";
  public static final String HAS_ERRORS = "HasErrors";

  public Long observedGeneration;

  public List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("SHA-256 of the realm last applied (after placeholder resolution).")
  public String lastAppliedHash;

  @JsonPropertyDescription("Admin API writes made by the last apply.")
  public Integer lastWrites;

  public Condition condition(String type) {
    return conditions == null ? null : conditions.stream().filter(c -> type.equals(c.type)).findFirst().orElse(null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeycloakRealmImportStatus s
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(lastAppliedHash, s.lastAppliedHash)
        && Objects.equals(lastWrites, s.lastWrites);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, conditions, lastAppliedHash, lastWrites);
  }
}
