package io.keycloakgitops.schemas.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * A status condition. {@code status} is the string True/False/Unknown as in Kubernetes conditions; the
 * upstream operator's condition shape plus {@code reason}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {
  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  public String type;
  public String status;
  public String reason;
  public String message;
  public String lastTransitionTime;
  public Long observedGeneration;

  public Condition() {}

  public Condition(String type, String status, String reason, String message, Long observedGeneration) {
    this.type = type;
    this.status = status;
    this.reason = reason;
    this.message = message;
    this.observedGeneration = observedGeneration;
  }

  /** Same meaning, ignoring the transition time. */
  public boolean sameStateAs(Condition other) {
    return other != null
        && Objects.equals(type, other.type)
        && Objects.equals(status, other.status)
        && Objects.equals(reason, other.reason)
        && Objects.equals(message, other.message)
        && Objects.equals(observedGeneration, other.observedGeneration);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Condition c && sameStateAs(c) && Objects.equals(lastTransitionTime, c.lastTransitionTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, status, reason, message, lastTransitionTime, observedGeneration);
  }

  @Override
  public String toString() {
    return type + "=" + status + (reason == null ? "" : " (" + reason + ")") + (message == null ? "" : ": " + message);
  }
}
