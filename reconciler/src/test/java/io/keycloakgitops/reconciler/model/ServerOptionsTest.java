package io.keycloakgitops.reconciler.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.keycloakgitops.reconciler.TestKeycloaks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerOptionsTest {

  private static Map<String, EnvVar> env(String spec) {
    var env = new LinkedHashMap<String, EnvVar>();
    ServerOptions.env(TestKeycloaks.model(spec)).forEach(var -> env.put(var.getName(), var));
    return env;
  }

  private static String value(Map<String, EnvVar> env, String name) {
    return env.get(name).getValue();
  }

  @Test
  void healthMetricsAndClusteringAreAlwaysOn() {
    var env = env("{}");
    assertThat(value(env, "KC_HEALTH_ENABLED")).isEqualTo("true");
    assertThat(value(env, "KC_METRICS_ENABLED")).isEqualTo("true");
    assertThat(value(env, "KC_CACHE")).isEqualTo("ispn");
    assertThat(value(env, "KC_CACHE_STACK")).isEqualTo("kubernetes");
    assertThat(env.get("POD_IP").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
  }

  @Test
  void fullFixtureMapsEveryFirstClassField() {
    var env = new LinkedHashMap<String, EnvVar>();
    ServerOptions.env(TestKeycloaks.model(TestKeycloaks.fixture("upstream/keycloak-full.yaml")))
        .forEach(var -> env.put(var.getName(), var));
    assertThat(value(env, "KC_HOSTNAME")).isEqualTo("https://sso.example.com");
    assertThat(value(env, "KC_HOSTNAME_ADMIN")).isEqualTo("https://sso-admin.example.com");
    assertThat(value(env, "KC_HOSTNAME_STRICT")).isEqualTo("true");
    assertThat(value(env, "KC_HOSTNAME_BACKCHANNEL_DYNAMIC")).isEqualTo("false");
    assertThat(value(env, "KC_HTTP_ENABLED")).isEqualTo("true");
    assertThat(value(env, "KC_HTTP_PORT")).isEqualTo("8180");
    assertThat(value(env, "KC_HTTPS_PORT")).isEqualTo("8543");
    assertThat(value(env, "KC_HTTP_MANAGEMENT_PORT")).isEqualTo("9001");
    assertThat(value(env, "KC_HTTPS_CERTIFICATE_FILE")).isEqualTo("/mnt/certificates/tls.crt");
    assertThat(value(env, "KC_HTTPS_CERTIFICATE_KEY_FILE")).isEqualTo("/mnt/certificates/tls.key");
    assertThat(value(env, "KC_DB")).isEqualTo("postgres");
    assertThat(value(env, "KC_DB_URL_HOST")).isEqualTo("pg.db.svc");
    assertThat(value(env, "KC_DB_URL_PORT")).isEqualTo("5432");
    assertThat(value(env, "KC_DB_URL_DATABASE")).isEqualTo("keycloak");
    assertThat(value(env, "KC_DB_SCHEMA")).isEqualTo("public");
    assertThat(env.get("KC_DB_USERNAME").getValueFrom().getSecretKeyRef().getName()).isEqualTo("keycloak-db-secret");
    assertThat(env.get("KC_DB_PASSWORD").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
    assertThat(env.get("KC_DB_PASSWORD").getValue()).as("a secret value never appears inline").isNull();
    assertThat(value(env, "KC_DB_POOL_INITIAL_SIZE")).isEqualTo("5");
    assertThat(value(env, "KC_DB_POOL_MIN_SIZE")).isEqualTo("5");
    assertThat(value(env, "KC_DB_POOL_MAX_SIZE")).isEqualTo("50");
    assertThat(value(env, "KC_FEATURES")).isEqualTo("token-exchange,admin-fine-grained-authz");
    assertThat(value(env, "KC_FEATURES_DISABLED")).isEqualTo("impersonation");
    assertThat(value(env, "KC_PROXY_HEADERS")).isEqualTo("xforwarded");
    assertThat(value(env, "KC_TRANSACTION_XA_ENABLED")).isEqualTo("false");
    assertThat(value(env, "KC_CACHE_CONFIG_FILE")).isEqualTo("cache/cache-ispn.xml");
    assertThat(value(env, "KC_TRACING_ENABLED")).isEqualTo("true");
    assertThat(value(env, "KC_TRACING_SAMPLER_RATIO")).isEqualTo("0.5");
    assertThat(value(env, "KC_LOG_LEVEL")).isEqualTo("INFO");
    assertThat(env.get("KC_SPI_CONNECTIONS_HTTP_CLIENT_DEFAULT_CONNECTION_POOL_SIZE").getValueFrom().getSecretKeyRef()
        .getName()).isEqualTo("kc-options");
    assertThat(value(env, "JAVA_OPTS_APPEND")).isEqualTo("-Xmx1g");
    assertThat(env.get("KC_BOOTSTRAP_ADMIN_USERNAME").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("kc-admin");
  }

  @Test
  void theGeneratedAdminSecretFeedsTheBootstrapAdmin() {
    var env = env("{}");
    assertThat(env.get("KC_BOOTSTRAP_ADMIN_USERNAME").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("kc-initial-admin");
    assertThat(env.get("KC_BOOTSTRAP_ADMIN_PASSWORD").getValueFrom().getSecretKeyRef().getKey())
        .isEqualTo("password");
    assertThat(env).doesNotContainKey("KC_BOOTSTRAP_ADMIN_CLIENT_ID");
  }

  @Test
  void aServiceAccountBootstrapSecretIsPassedToo() {
    var env = env("bootstrapAdmin: {service: {secret: kc-client}}");
    assertThat(env.get("KC_BOOTSTRAP_ADMIN_CLIENT_ID").getValueFrom().getSecretKeyRef().getKey())
        .isEqualTo("client-id");
    assertThat(env.get("KC_BOOTSTRAP_ADMIN_CLIENT_SECRET").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("kc-client");
  }

  @Test
  void withoutHostnameStrictHostnameCheckingIsOffAndReported() {
    var model = TestKeycloaks.model("{}");
    assertThat(env("{}")).doesNotContainKey("KC_HOSTNAME");
    assertThat(value(env("{}"), "KC_HOSTNAME_STRICT")).isEqualTo("false");
    assertThat(ServerOptions.warnings(model)).anyMatch(w -> w.contains("hostname-strict=false"));
  }

  @Test
  void additionalOptionsOverrideDerivedOptionsAndEnvOverridesBoth() {
    var spec = """
        hostname: {hostname: kc.example.com}
        db: {vendor: postgres}
        additionalOptions:
          - {name: db, value: mariadb}
          - {name: log-level-org.keycloak.events, value: DEBUG}
        env:
          - {name: KC_DB, value: mysql}
          - {name: FROM_SECRET, secret: {name: s, key: k}}
        """;
    var env = env(spec);
    assertThat(value(env, "KC_DB")).isEqualTo("mysql");
    assertThat(env.keySet().stream().filter("KC_DB"::equals)).hasSize(1);
    assertThat(value(env, "KC_LOG_LEVEL_ORG_KEYCLOAK_EVENTS")).isEqualTo("DEBUG");
    assertThat(value(env, "KCKEY_LOG_LEVEL_ORG_KEYCLOAK_EVENTS")).isEqualTo("log-level-org.keycloak.events");
    assertThat(env.get("FROM_SECRET").getValueFrom().getSecretKeyRef().getName()).isEqualTo("s");
    assertThat(ServerOptions.warnings(TestKeycloaks.model(spec)))
        .containsExactly("spec.additionalOptions[db] overrides the value derived from the spec");
  }

  @Test
  void ingressHostIsTheHostPartOfTheHostname() {
    assertThat(ServerOptions.ingressHost(TestKeycloaks.model("hostname: {hostname: 'https://sso.example.com:8443/x'}")))
        .isEqualTo("sso.example.com");
    assertThat(ServerOptions.ingressHost(TestKeycloaks.model("hostname: {hostname: sso.example.com}")))
        .isEqualTo("sso.example.com");
    assertThat(ServerOptions.ingressHost(TestKeycloaks.model("{}"))).isNull();
  }

  @Test
  void environmentOrderIsStable() {
    List<String> first = ServerOptions.env(TestKeycloaks.model(TestKeycloaks.fixture("upstream/keycloak-full.yaml")))
        .stream().map(EnvVar::getName).toList();
    List<String> second = ServerOptions.env(TestKeycloaks.model(TestKeycloaks.fixture("upstream/keycloak-full.yaml")))
        .stream().map(EnvVar::getName).toList();
    assertThat(first).isEqualTo(second).doesNotHaveDuplicates();
  }
}
