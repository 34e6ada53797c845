package io.keycloakgitops.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.GroupVersionResource;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import java.util.UUID;

/** AdmissionReview requests as the API server sends them, built with fabric8's model. */
public final class Reviews {
  private Reviews() {}

  public static AdmissionReview request(String operation, JsonNode object, JsonNode oldObject, boolean dryRun) {
    String apiVersion = object.path("apiVersion").asText();
    String kind = object.path("kind").asText();
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = apiVersion.substring(slash + 1);
    String resource = kind.toLowerCase() + "s";
    return new AdmissionReviewBuilder().withNewRequest()
        .withUid(UUID.randomUUID().toString())
        .withKind(new GroupVersionKind(group, kind, version))
        .withResource(new GroupVersionResource(group, resource, version))
        .withRequestKind(new GroupVersionKind(group, kind, version))
        .withName(object.path("metadata").path("name").asText())
        .withNamespace(object.path("metadata").path("namespace").asText("team"))
        .withOperation(operation)
        .withNewUserInfo().withUsername("alice").endUserInfo()
        .withObject(object)
        .withOldObject(oldObject)
        .withDryRun(dryRun)
        .endRequest().build();
  }

  public static byte[] json(AdmissionReview review) {
    try {
      return Json.MAPPER.writeValueAsBytes(review);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static byte[] create(JsonNode object) {
    return json(request("CREATE", object, null, false));
  }
}
