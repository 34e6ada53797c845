package io.keycloakgitops.reconciler.model;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.SecretKeySelectorBuilder;
import io.keycloakgitops.schemas.common.ValueOrSecret;
import io.keycloakgitops.schemas.keycloak.KeycloakSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Maps the spec to Keycloak server options, passed as {@code KC_*} environment variables (values never appear in
 * the container args, so Secret-backed ones stay in Secrets). Precedence: options derived from spec fields, then
 * {@code spec.additionalOptions}, then {@code spec.env}; a later source replaces an earlier one of the same name.
 */
public final class ServerOptions {
  public static final String CERTIFICATES_DIR = "/mnt/certificates";
  public static final String CONF_DIR = "/opt/keycloak/conf";
  public static final String CACHE_CONFIG_DIR = CONF_DIR + "/cache";
  public static final String TRUSTSTORES_DIR = CONF_DIR + "/truststores";

  private static final Pattern ENV_SAFE_OPTION = Pattern.compile("[a-z0-9-]+");

  private ServerOptions() {}

  /** The container environment, in a stable order. */
  public static List<EnvVar> env(KeycloakModel model) {
    var env = new LinkedHashMap<String, EnvVar>();
    // JGroups binds to the pod IP (see the container args); the downward API provides it.
    env.put("POD_IP", new EnvVarBuilder().withName("POD_IP")
        .withNewValueFrom().withNewFieldRef().withApiVersion("v1").withFieldPath("status.podIP").endFieldRef()
        .endValueFrom().build());
    derivedOptions(model).forEach(var -> env.put(var.getName(), var));
    KeycloakSpec spec = model.spec();
    for (ValueOrSecret option : nullToEmpty(spec.additionalOptions)) {
      String variable = optionVariable(option.name);
      env.put(variable, valueOrSecret(variable, option));
      if (!ENV_SAFE_OPTION.matcher(option.name).matches()) {
        // KC_ names cannot carry every option name (dots, upper case): KCKEY_ tells Keycloak the exact one.
        String keyVariable = "KCKEY_" + variable.substring("KC_".length());
        env.put(keyVariable, plain(keyVariable, option.name));
      }
    }
    for (ValueOrSecret var : nullToEmpty(spec.env)) {
      env.put(var.name, valueOrSecret(var.name, var));
    }
    return List.copyOf(env.values());
  }

  /** Spec fields whose meaning is lost or changed in the generated options; reported as status warnings. */
  public static List<String> warnings(KeycloakModel model) {
    var warnings = new ArrayList<String>();
    var derived = derivedOptions(model).stream().map(EnvVar::getName).collect(Collectors.toSet());
    for (ValueOrSecret option : nullToEmpty(model.spec().additionalOptions)) {
      if (derived.contains(optionVariable(option.name))) {
        warnings.add("spec.additionalOptions[%s] overrides the value derived from the spec".formatted(option.name));
      }
    }
    var spec = model.spec();
    if (spec.hostname == null || spec.hostname.hostname == null) {
      warnings.add("spec.hostname.hostname is not set: the server accepts any host name (hostname-strict=false)");
    }
    if (spec.hostname != null && spec.hostname.strictBackchannel != null) {
      warnings.add("spec.hostname.strictBackchannel is ignored: Keycloak 26 has no such option");
    }
    if (spec.update != null && "Auto".equals(spec.update.strategy)) {
      warnings.add("spec.update.strategy Auto is handled as RecreateOnImageChange (no update-compatibility Job)");
    }
    if (spec.ingress != null && spec.ingress.tlsSecret != null && ingressHost(model) == null) {
      warnings.add("spec.ingress.tlsSecret is set but spec.hostname.hostname is not: the certificate has no host");
    }
    return warnings;
  }

  /** The host part of {@code spec.hostname.hostname}, which may be a bare host or a full URL. */
  public static String ingressHost(KeycloakModel model) {
    var hostname = model.spec().hostname;
    if (hostname == null || hostname.hostname == null || hostname.hostname.isBlank()) {
      return null;
    }
    String value = hostname.hostname.strip();
    int scheme = value.indexOf("://");
    if (scheme >= 0) {
      value = value.substring(scheme + 3);
    }
    int end = value.length();
    for (char stop : new char[] {'/', ':', '?'}) {
      int at = value.indexOf(stop);
      if (at >= 0) {
        end = Math.min(end, at);
      }
    }
    return value.substring(0, end);
  }

  /** {@code http-relative-path} becomes {@code KC_HTTP_RELATIVE_PATH}. */
  public static String optionVariable(String option) {
    return "KC_" + option.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  private static List<EnvVar> derivedOptions(KeycloakModel model) {
    var settings = model.settings();
    var spec = model.spec();
    var options = new Options();
    options.put("health-enabled", "true");
    options.put("metrics-enabled", "true");
    options.put("cache", "ispn");
    options.put("cache-stack", "kubernetes");
    if (spec.cache != null && spec.cache.configMapFile != null) {
      // Relative to the conf directory, where the ConfigMap is mounted.
      options.put("cache-config-file", "cache/" + spec.cache.configMapFile.getKey());
    }
    options.put("http-enabled", String.valueOf(settings.httpEnabled()));
    options.put("http-port", String.valueOf(settings.httpPort()));
    options.put("http-management-port", String.valueOf(settings.managementPort()));
    if (settings.tls()) {
      options.put("https-port", String.valueOf(settings.httpsPort()));
      options.put("https-certificate-file", CERTIFICATES_DIR + "/tls.crt");
      options.put("https-certificate-key-file", CERTIFICATES_DIR + "/tls.key");
    }
    hostnameOptions(spec.hostname, options);
    databaseOptions(spec.db, options);
    if (spec.features != null) {
      options.put("features", join(spec.features.enabled));
      options.put("features-disabled", join(spec.features.disabled));
    }
    if (spec.proxy != null) {
      options.put("proxy-headers", spec.proxy.headers);
    }
    if (spec.transaction != null) {
      options.put("transaction-xa-enabled", spec.transaction.xaEnabled);
    }
    if (spec.tracing != null) {
      var tracing = spec.tracing;
      options.put("tracing-enabled", tracing.enabled);
      options.put("tracing-endpoint", tracing.endpoint);
      options.put("tracing-protocol", tracing.protocol);
      options.put("tracing-sampler-type", tracing.samplerType);
      options.put("tracing-sampler-ratio", tracing.samplerRatio);
      options.put("tracing-compression", tracing.compression);
      options.put("tracing-service-name", tracing.serviceName);
      options.put("tracing-resource-attributes", attributes(tracing.resourceAttributes));
    }
    if (spec.telemetry != null) {
      var telemetry = spec.telemetry;
      options.put("telemetry-endpoint", telemetry.endpoint);
      options.put("telemetry-service-name", telemetry.serviceName);
      options.put("telemetry-protocol", telemetry.protocol);
      options.put("telemetry-resource-attributes", attributes(telemetry.resourceAttributes));
    }
    options.putSecret("bootstrap-admin-username", secretKey(settings.adminSecret(), "username"));
    options.putSecret("bootstrap-admin-password", secretKey(settings.adminSecret(), "password"));
    if (spec.bootstrapAdmin != null && spec.bootstrapAdmin.service != null
        && spec.bootstrapAdmin.service.secret != null) {
      options.putSecret("bootstrap-admin-client-id", secretKey(spec.bootstrapAdmin.service.secret, "client-id"));
      options.putSecret("bootstrap-admin-client-secret",
          secretKey(spec.bootstrapAdmin.service.secret, "client-secret"));
    }
    return options.vars;
  }

  private static void hostnameOptions(KeycloakSpec.HostnameSpec hostname, Options options) {
    if (hostname == null || hostname.hostname == null) {
      // Keycloak refuses to start in production mode without a hostname unless strict checking is off.
      options.put("hostname-strict", hostname != null && hostname.strict != null ? hostname.strict : false);
    } else {
      options.put("hostname", hostname.hostname);
      options.put("hostname-strict", hostname.strict);
    }
    if (hostname != null) {
      options.put("hostname-admin", hostname.admin != null ? hostname.admin : hostname.adminUrl);
      options.put("hostname-backchannel-dynamic", hostname.backchannelDynamic);
    }
  }

  private static void databaseOptions(KeycloakSpec.DatabaseSpec db, Options options) {
    if (db == null) {
      return;
    }
    options.put("db", db.vendor);
    options.put("db-url", db.url);
    options.put("db-url-host", db.host);
    options.put("db-url-port", db.port);
    options.put("db-url-database", db.database);
    options.put("db-schema", db.schema);
    if (db.usernameSecret != null) {
      options.putSecret("db-username", db.usernameSecret);
    }
    if (db.passwordSecret != null) {
      options.putSecret("db-password", db.passwordSecret);
    }
    options.put("db-pool-initial-size", db.poolInitialSize);
    options.put("db-pool-min-size", db.poolMinSize);
    options.put("db-pool-max-size", db.poolMaxSize);
  }

  /** Collects options as env vars, skipping absent values so that an unset field leaves Keycloak's default. */
  private static final class Options {
    private final List<EnvVar> vars = new ArrayList<>();

    void put(String option, Object value) {
      if (value != null && !value.toString().isEmpty()) {
        vars.add(plain(optionVariable(option), value.toString()));
      }
    }

    void putSecret(String option, SecretKeySelector selector) {
      vars.add(new EnvVarBuilder().withName(optionVariable(option))
          .withNewValueFrom().withSecretKeyRef(selector).endValueFrom().build());
    }
  }

  private static EnvVar valueOrSecret(String name, ValueOrSecret source) {
    if (source.secret != null) {
      return new EnvVarBuilder().withName(name).withNewValueFrom().withSecretKeyRef(source.secret).endValueFrom()
          .build();
    }
    return plain(name, source.value == null ? "" : source.value);
  }

  private static EnvVar plain(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static SecretKeySelector secretKey(String secret, String key) {
    return new SecretKeySelectorBuilder().withName(secret).withKey(key).build();
  }

  private static String join(List<String> values) {
    return values == null || values.isEmpty() ? null : String.join(",", values);
  }

  private static String attributes(Map<String, String> attributes) {
    if (attributes == null || attributes.isEmpty()) {
      return null;
    }
    return new TreeMap<>(attributes).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
