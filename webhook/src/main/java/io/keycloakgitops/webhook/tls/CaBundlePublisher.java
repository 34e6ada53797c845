package io.keycloakgitops.webhook.tls;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Keeps the caBundle of the Validating- and MutatingWebhookConfiguration named {@code configName} equal to the
 * webhook's CA bundle. Configurations that do not exist are skipped (nobody trusts a CA through them).
 */
public final class CaBundlePublisher {
  private final KubernetesClient client;
  private final String configName;

  public CaBundlePublisher(KubernetesClient client, String configName) {
    this.client = client;
    this.configName = configName;
  }

  /** Patches the configurations that differ; throws when the API server refuses. */
  public void publish(String caBundlePem) {
    String encoded = Base64.getEncoder().encodeToString(caBundlePem.getBytes(StandardCharsets.UTF_8));
    var admission = client.admissionRegistration().v1();
    ValidatingWebhookConfiguration validating = admission.validatingWebhookConfigurations().withName(configName).get();
    if (validating != null && stale(validating.getWebhooks().stream().map(ValidatingWebhook::getClientConfig), encoded)) {
      admission.validatingWebhookConfigurations().withName(configName).edit(config -> {
        config.getWebhooks().forEach(webhook -> webhook.getClientConfig().setCaBundle(encoded));
        return config;
      });
    }
    MutatingWebhookConfiguration mutating = admission.mutatingWebhookConfigurations().withName(configName).get();
    if (mutating != null && stale(mutating.getWebhooks().stream().map(MutatingWebhook::getClientConfig), encoded)) {
      admission.mutatingWebhookConfigurations().withName(configName).edit(config -> {
        config.getWebhooks().forEach(webhook -> webhook.getClientConfig().setCaBundle(encoded));
        return config;
      });
    }
  }

  public String configName() {
    return configName;
  }

  private static boolean stale(Stream<WebhookClientConfig> configs, String encoded) {
    return configs.anyMatch(config -> !Objects.equals(config.getCaBundle(), encoded));
  }
}
