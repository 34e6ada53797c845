package io.keycloakgitops.webhook;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperationsBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keycloakgitops.webhook.rules.Review;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The ValidatingWebhookConfiguration and MutatingWebhookConfiguration of the webhook, built in one place for the
 * chart docs, the in-cluster setup and the tests: failurePolicy Fail, sideEffects None, timeoutSeconds 5,
 * matchPolicy Equivalent, CREATE and UPDATE of keycloaks and keycloakrealmimports (never /status), and never in
 * kube-system nor the webhook's own namespace.
 */
public record WebhookConfigurations(ValidatingWebhookConfiguration validating, MutatingWebhookConfiguration mutating) {
  public static final String DEFAULT_NAME = "keycloak-gitops";
  public static final String VALIDATING_WEBHOOK = "validate.keycloak-gitops.io";
  public static final String MUTATING_WEBHOOK = "mutate.keycloak-gitops.io";
  public static final int TIMEOUT_SECONDS = 5;
  /** The stored version; matchPolicy Equivalent converts requests made in other versions to it. */
  public static final String VERSION = "v2beta1";

  /** Both configurations, named {@link #DEFAULT_NAME}, calling {@code baseUrl}/validate and /mutate. */
  public static WebhookConfigurations forUrl(String baseUrl, String caBundlePem, String excludedNamespace) {
    return forUrl(DEFAULT_NAME, baseUrl, caBundlePem, excludedNamespace);
  }

  public static WebhookConfigurations forUrl(String name, String baseUrl, String caBundlePem,
      String excludedNamespace) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    return build(name, path -> new WebhookClientConfigBuilder().withUrl(base + path)
        .withCaBundle(encode(caBundlePem)).build(), excludedNamespace);
  }

  /** Both configurations calling the webhook's Service in the cluster; its own namespace is excluded. */
  public static WebhookConfigurations forService(String name, String namespace, String service, int port,
      String caBundlePem) {
    return build(name, path -> new WebhookClientConfigBuilder().withNewService().withNamespace(namespace)
        .withName(service).withPort(port).withPath(path).endService().withCaBundle(encode(caBundlePem)).build(),
        namespace);
  }

  /** The same configurations, limited to namespaces that also carry these labels (e.g. one test's namespace). */
  public WebhookConfigurations onlyInNamespacesLabelled(Map<String, String> labels) {
    var validatingCopy = new ValidatingWebhookConfigurationBuilder(validating).editMatchingWebhook(w -> true)
        .editNamespaceSelector().addToMatchLabels(labels).endNamespaceSelector().endWebhook().build();
    var mutatingCopy = new MutatingWebhookConfigurationBuilder(mutating).editMatchingWebhook(w -> true)
        .editNamespaceSelector().addToMatchLabels(labels).endNamespaceSelector().endWebhook().build();
    return new WebhookConfigurations(validatingCopy, mutatingCopy);
  }

  /** Creates or replaces both in the cluster (server-side apply, this webhook as field manager). */
  public void apply(KubernetesClient client) {
    var admission = client.admissionRegistration().v1();
    admission.validatingWebhookConfigurations().resource(validating).fieldManager("keycloak-gitops-webhook")
        .forceConflicts().serverSideApply();
    admission.mutatingWebhookConfigurations().resource(mutating).fieldManager("keycloak-gitops-webhook")
        .forceConflicts().serverSideApply();
  }

  public void delete(KubernetesClient client) {
    var admission = client.admissionRegistration().v1();
    admission.validatingWebhookConfigurations().withName(validating.getMetadata().getName()).delete();
    admission.mutatingWebhookConfigurations().withName(mutating.getMetadata().getName()).delete();
  }

  private static WebhookConfigurations build(String name, Function<String, WebhookClientConfig> client,
      String excludedNamespace) {
    List<RuleWithOperations> rules = List.of(new RuleWithOperationsBuilder()
        .withApiGroups(Review.GROUP).withApiVersions(VERSION).withResources("keycloaks", "keycloakrealmimports")
        .withOperations("CREATE", "UPDATE").withScope("Namespaced").build());
    var validating = new ValidatingWebhookConfigurationBuilder()
        .withNewMetadata().withName(name).addToLabels("app.kubernetes.io/part-of", "keycloak-gitops").endMetadata()
        .addNewWebhook().withName(VALIDATING_WEBHOOK).withClientConfig(client.apply("/validate")).withRules(rules)
        .withFailurePolicy("Fail").withSideEffects("None").withTimeoutSeconds(TIMEOUT_SECONDS)
        .withMatchPolicy("Equivalent").withAdmissionReviewVersions("v1")
        .withNamespaceSelector(namespaceSelector(excludedNamespace)).endWebhook()
        .build();
    var mutating = new MutatingWebhookConfigurationBuilder()
        .withNewMetadata().withName(name).addToLabels("app.kubernetes.io/part-of", "keycloak-gitops").endMetadata()
        .addNewWebhook().withName(MUTATING_WEBHOOK).withClientConfig(client.apply("/mutate")).withRules(rules)
        .withFailurePolicy("Fail").withSideEffects("None").withTimeoutSeconds(TIMEOUT_SECONDS)
        .withMatchPolicy("Equivalent").withAdmissionReviewVersions("v1")
        // The defaults only fill absent fields, so running again after other mutating webhooks is safe.
        .withReinvocationPolicy("IfNeeded")
        .withNamespaceSelector(namespaceSelector(excludedNamespace)).endWebhook()
        .build();
    return new WebhookConfigurations(validating, mutating);
  }

  private static LabelSelector namespaceSelector(String excludedNamespace) {
    var excluded = new ArrayList<>(List.of("kube-system"));
    if (excludedNamespace != null && !excludedNamespace.isBlank()) {
      excluded.add(excludedNamespace);
    }
    return new LabelSelectorBuilder().addNewMatchExpression().withKey("kubernetes.io/metadata.name")
        .withOperator("NotIn").withValues(excluded).endMatchExpression().build();
  }

  private static String encode(String pem) {
    return pem == null ? null : Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
  }
}
