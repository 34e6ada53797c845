package io.keycloakgitops.webhook.tls;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Keeps the caBundle of the Validating- and MutatingWebhookConfiguration named {@code configName} equal to the
 * webhook's CA bundle. Configurations that do not exist are skipped (nobody trusts a CA through them).
 */
public final class CaBundlePublisher {
  private final KubernetesClient client;
  private final String configName;
  private static final PatchContext PATCH = PatchContext.of(PatchType.JSON);

  public CaBundlePublisher(KubernetesClient client, String configName) {
    this.client = client;
    this.configName = configName;
  }

  /** Patches the configurations that differ; throws when the API server refuses. */
  public void publish(String caBundlePem) {
    String encoded = Base64.getEncoder().encodeToString(caBundlePem.getBytes(StandardCharsets.UTF_8));
    var admission = client.admissionRegistration().v1();
    ValidatingWebhookConfiguration validating = admission.validatingWebhookConfigurations().withName(configName).get();
    if (validating != null) {
      patch(validating.getWebhooks().stream().map(ValidatingWebhook::getClientConfig).toList(), encoded,
          json -> admission.validatingWebhookConfigurations().withName(configName).patch(PATCH, json));
    }
    MutatingWebhookConfiguration mutating = admission.mutatingWebhookConfigurations().withName(configName).get();
    if (mutating != null) {
      patch(mutating.getWebhooks().stream().map(MutatingWebhook::getClientConfig).toList(), encoded,
          json -> admission.mutatingWebhookConfigurations().withName(configName).patch(PATCH, json));
    }
  }

  /**
   * Sends a JSON patch setting each stale caBundle, if any. It names only those fields (no resourceVersion), so
   * replicas publishing the same bundle at once do not conflict.
   */
  private static void patch(List<WebhookClientConfig> configs, String encoded, Consumer<String> send) {
    var operations = JsonNodeFactory.instance.arrayNode();
    for (int i = 0; i < configs.size(); i++) {
      if (!Objects.equals(configs.get(i).getCaBundle(), encoded)) {
        operations.addObject().put("op", "add").put("path", "/webhooks/" + i + "/clientConfig/caBundle")
            .put("value", encoded);
      }
    }
    if (!operations.isEmpty()) {
      send.accept(operations.toString());
    }
  }

  public String configName() {
    return configName;
  }

}
