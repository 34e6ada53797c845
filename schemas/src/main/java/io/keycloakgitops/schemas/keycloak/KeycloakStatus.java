package io.keycloakgitops.schemas.keycloak;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import io.keycloakgitops.schemas.common.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Upstream-compatible status (Ready / HasErrors / RollingUpdate) plus what realm-sync needs to reach the server. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeycloakStatus {
  public static final String READY = "Ready";
  public static final String HAS_ERRORS = "HasErrors";
  public static final String ROLLING_UPDATE = "RollingUpdate";

  @StatusReplicas
  public Integer instances;

  @LabelSelector
  public String selector;

  public Long observedGeneration;

  public List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("In-cluster base URL of the Keycloak server (admin API and realms).")
  public String internalUrl;

  @JsonPropertyDescription("Secret holding the bootstrap admin credentials (keys username and password).")
  public String adminSecret;

  public Condition condition(String type) {
    return conditions == null ? null : conditions.stream().filter(c -> type.equals(c.type)).findFirst().orElse(null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeycloakStatus s
        && Objects.equals(instances, s.instances)
        && Objects.equals(selector, s.selector)
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(internalUrl, s.internalUrl)
        && Objects.equals(adminSecret, s.adminSecret);
  }

  @Override
  public int hashCode() {
    return Objects.hash(instances, selector, observedGeneration, conditions, internalUrl, adminSecret);
  }
}
