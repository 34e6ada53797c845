package io.keycloakgitops.realmsync.k8s;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.keycloakgitops.realmsync.source.GitSettings;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kubernetes Events on the objects realm-sync acts for, so {@code kubectl describe} shows what happened. */
public final class EventRecorder {
  public static final String COMPONENT = "keycloak-gitops-realm-sync";
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

  private final KubernetesClient client;

  public EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  public void normal(HasMetadata object, String reason, String message) {
    record(object, "Normal", reason, message);
  }

  public void warning(HasMetadata object, String reason, String message) {
    record(object, "Warning", reason, message);
  }

  private void record(HasMetadata object, String type, String reason, String text) {
    // Tenants read Events: no URL user info (a token) ever goes into one.
    String message = GitSettings.redact(text);
    String now = Instant.now().toString();
    var event = new EventBuilder()
        .withNewMetadata().withName(object.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
        .withNamespace(object.getMetadata().getNamespace()).endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(object.getApiVersion()).withKind(object.getKind())
            .withName(object.getMetadata().getName()).withNamespace(object.getMetadata().getNamespace())
            .withUid(object.getMetadata().getUid()).withResourceVersion(object.getMetadata().getResourceVersion()).build())
        .withType(type).withReason(reason).withMessage(message.length() > 1024 ? message.substring(0, 1024) : message)
        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
        .withNewSource().withComponent(COMPONENT).endSource()
        .build();
    try {
      client.v1().events().inNamespace(object.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.debug("could not record event {} on {}: {}", reason, object.getMetadata().getName(), e.getMessage());
    }
  }
}
