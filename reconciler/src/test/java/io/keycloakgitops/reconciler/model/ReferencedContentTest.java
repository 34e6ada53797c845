package io.keycloakgitops.reconciler.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.keycloakgitops.reconciler.TestKeycloaks;
import io.keycloakgitops.reconciler.model.Reference.Kind;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReferencedContentTest {
  private final Map<String, Map<String, String>> cluster = new HashMap<>();

  private void put(Kind kind, String name, Map<String, String> data) {
    var digests = kind == Kind.SECRET
        ? ReferencedContent.pruneSecret(new SecretBuilder().withNewMetadata().withName(name).endMetadata()
            .withData(data).build()).getData()
        : ReferencedContent.pruneConfigMap(new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata()
            .withData(data).build()).getData();
    cluster.put(kind + "/" + name, digests);
  }

  private ReferencedContent resolve(Keycloak keycloak) {
    return ReferencedContent.resolve(Reference.of(keycloak), TestKeycloaks.NAMESPACE,
        (kind, name) -> Optional.ofNullable(cluster.get(kind + "/" + name)));
  }

  private static final String SPEC = """
      http: {tlsSecret: kc-tls}
      db:
        usernameSecret: {name: db, key: user}
        passwordSecret: {name: db, key: pass}
      cache: {configMapFile: {name: kc-cache, key: cache.xml}}
      truststores:
        corp: {secret: {name: corp-ca, optional: true}}
      bootstrapAdmin: {user: {secret: admin}}
      """;

  private void createAll() {
    put(Kind.SECRET, "kc-tls", Map.of("tls.crt", "Y2VydA==", "tls.key", "a2V5"));
    put(Kind.SECRET, "db", Map.of("user", "dQ==", "pass", "cA=="));
    put(Kind.CONFIG_MAP, "kc-cache", Map.of("cache.xml", "<infinispan/>"));
    put(Kind.SECRET, "admin", Map.of("username", "YQ==", "password", "cA=="));
  }

  @Test
  void everythingPresentMeansNoProblem() {
    createAll();
    assertThat(resolve(TestKeycloaks.withSpec(SPEC)).problems()).isEmpty();
  }

  @Test
  void aMissingSecretIsReportedWithItsField() {
    createAll();
    cluster.remove(Kind.SECRET + "/db");
    assertThat(resolve(TestKeycloaks.withSpec(SPEC)).problems()).containsExactly(
        "spec.db.usernameSecret: Secret \"db\" not found in namespace \"identity\"",
        "spec.db.passwordSecret: Secret \"db\" not found in namespace \"identity\"");
  }

  @Test
  void aMissingKeyIsReported() {
    createAll();
    put(Kind.SECRET, "kc-tls", Map.of("tls.crt", "Y2VydA=="));
    assertThat(resolve(TestKeycloaks.withSpec(SPEC)).problems())
        .containsExactly("spec.http.tlsSecret: Secret \"kc-tls\" has no key \"tls.key\"");
  }

  @Test
  void optionalReferencesMayBeMissing() {
    createAll();
    assertThat(cluster).doesNotContainKey(Kind.SECRET + "/corp-ca");
    assertThat(resolve(TestKeycloaks.withSpec(SPEC)).problems()).isEmpty();
  }

  @Test
  void theDigestFollowsTheContentTheServerReads() {
    createAll();
    var keycloak = TestKeycloaks.withSpec(SPEC);
    String before = resolve(keycloak).digest();
    assertThat(resolve(keycloak).digest()).isEqualTo(before);

    put(Kind.SECRET, "admin", Map.of("username", "Yg==", "password", "cQ=="));
    assertThat(resolve(keycloak).digest()).as("bootstrap credentials are read once: no restart").isEqualTo(before);

    put(Kind.CONFIG_MAP, "kc-cache", Map.of("cache.xml", "<infinispan><cache-container/></infinispan>"));
    String afterCache = resolve(keycloak).digest();
    assertThat(afterCache).isNotEqualTo(before);

    put(Kind.SECRET, "corp-ca", Map.of("ca.crt", "Y2E="));
    assertThat(resolve(keycloak).digest()).as("an optional truststore that appears").isNotEqualTo(afterCache);
  }

  @Test
  void pruningKeepsDigestsNotValues() {
    var pruned = ReferencedContent.pruneSecret(new SecretBuilder().withNewMetadata().withName("s").withNamespace("n")
        .withResourceVersion("7").addToAnnotations("a", "b").endMetadata()
        .withData(Map.of("password", "c2VjcmV0")).build());
    assertThat(pruned.getMetadata().getName()).isEqualTo("s");
    assertThat(pruned.getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(pruned.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(pruned.getData().get("password")).hasSize(64).isNotEqualTo("c2VjcmV0");
  }
}
