package io.keycloakgitops.reconciler.model;

import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.keycloakgitops.schemas.common.ValueOrSecret;
import io.keycloakgitops.schemas.keycloak.KeycloakSpec;
import io.keycloakgitops.schemas.v2beta1.Keycloak;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Secret or ConfigMap the spec points at: validated before anything is applied, watched, and (when the server
 * reads it at startup) part of the content digest that rolls the pods.
 *
 * @param kind      Secret or ConfigMap
 * @param name      object name, in the CR's namespace
 * @param keys      keys that must exist; empty when the whole object is mounted
 * @param optional  a missing object/key is fine (the pod tolerates it too)
 * @param field     the spec field that holds the reference, for error messages
 * @param rollsPods a content change restarts the server (false for bootstrap credentials, read only once)
 */
public record Reference(Kind kind, String name, List<String> keys, boolean optional, String field, boolean rollsPods) {

  public enum Kind {
    SECRET("Secret"), CONFIG_MAP("ConfigMap");

    public final String displayName;

    Kind(String displayName) {
      this.displayName = displayName;
    }
  }

  /** Every reference of the spec, in spec order. */
  public static List<Reference> of(Keycloak keycloak) {
    KeycloakSpec spec = keycloak.getSpec() == null ? new KeycloakSpec() : keycloak.getSpec();
    var refs = new ArrayList<Reference>();
    if (spec.http != null && spec.http.tlsSecret != null && !spec.http.tlsSecret.isBlank()) {
      refs.add(new Reference(Kind.SECRET, spec.http.tlsSecret, List.of("tls.crt", "tls.key"), false,
          "spec.http.tlsSecret", true));
    }
    if (spec.db != null) {
      addSecretKey(refs, spec.db.usernameSecret, "spec.db.usernameSecret");
      addSecretKey(refs, spec.db.passwordSecret, "spec.db.passwordSecret");
    }
    addValueOrSecrets(refs, spec.additionalOptions, "spec.additionalOptions");
    addValueOrSecrets(refs, spec.env, "spec.env");
    if (spec.cache != null && spec.cache.configMapFile != null) {
      ConfigMapKeySelector file = spec.cache.configMapFile;
      refs.add(new Reference(Kind.CONFIG_MAP, file.getName(), List.of(file.getKey()),
          Boolean.TRUE.equals(file.getOptional()), "spec.cache.configMapFile", true));
    }
    if (spec.truststores != null) {
      for (Map.Entry<String, KeycloakSpec.Truststore> entry : new TreeMap<>(spec.truststores).entrySet()) {
        var store = entry.getValue();
        String field = "spec.truststores." + entry.getKey();
        if (store.secret != null) {
          refs.add(new Reference(Kind.SECRET, store.secret.name, List.of(),
              Boolean.TRUE.equals(store.secret.optional), field + ".secret", true));
        }
        if (store.configMap != null) {
          refs.add(new Reference(Kind.CONFIG_MAP, store.configMap.name, List.of(),
              Boolean.TRUE.equals(store.configMap.optional), field + ".configMap", true));
        }
      }
    }
    if (spec.bootstrapAdmin != null) {
      if (spec.bootstrapAdmin.user != null && spec.bootstrapAdmin.user.secret != null) {
        refs.add(new Reference(Kind.SECRET, spec.bootstrapAdmin.user.secret, List.of("username", "password"), false,
            "spec.bootstrapAdmin.user.secret", false));
      }
      if (spec.bootstrapAdmin.service != null && spec.bootstrapAdmin.service.secret != null) {
        refs.add(new Reference(Kind.SECRET, spec.bootstrapAdmin.service.secret, List.of("client-id", "client-secret"),
            false, "spec.bootstrapAdmin.service.secret", false));
      }
    }
    return refs;
  }

  private static void addValueOrSecrets(List<Reference> refs, List<ValueOrSecret> values, String field) {
    if (values != null) {
      for (ValueOrSecret value : values) {
        addSecretKey(refs, value.secret, field + "[" + value.name + "]");
      }
    }
  }

  private static void addSecretKey(List<Reference> refs, SecretKeySelector selector, String field) {
    if (selector != null && selector.getName() != null) {
      refs.add(new Reference(Kind.SECRET, selector.getName(),
          selector.getKey() == null ? List.of() : List.of(selector.getKey()),
          Boolean.TRUE.equals(selector.getOptional()), field, true));
    }
  }
}
