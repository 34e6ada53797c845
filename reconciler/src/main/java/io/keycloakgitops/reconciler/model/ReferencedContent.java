package io.keycloakgitops.reconciler.model;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * What the referenced Secrets and ConfigMaps hold, reduced to per-key digests. The informers keep only these
 * digests (never the values: less memory, and no secret material in the reconciler's heap); from them come the
 * "missing reference" errors and the content digest that rolls the pods.
 *
 * @param problems one precise message per required reference that is missing (empty: the spec can be applied)
 * @param digest   digest over the content of every pod-rolling reference
 */
public record ReferencedContent(List<String> problems, String digest) {

  /**
   * Checks {@code references} against what exists. {@code lookup} returns the key digests of an object
   * ({@link #pruneSecret}/{@link #pruneConfigMap} form), or empty when it does not exist.
   */
  public static ReferencedContent resolve(List<Reference> references, String namespace,
      BiFunction<Reference.Kind, String, Optional<Map<String, String>>> lookup) {
    var problems = new ArrayList<String>();
    var digestInput = new TreeMap<String, String>();
    for (Reference ref : references) {
      Optional<Map<String, String>> keys = lookup.apply(ref.kind(), ref.name());
      String id = ref.kind().displayName + "/" + ref.name();
      if (keys.isEmpty()) {
        if (!ref.optional()) {
          problems.add("%s: %s \"%s\" not found in namespace \"%s\"".formatted(
              ref.field(), ref.kind().displayName, ref.name(), namespace));
        }
        if (ref.rollsPods()) {
          digestInput.put(id, "absent");
        }
        continue;
      }
      for (String key : ref.keys()) {
        if (!keys.get().containsKey(key) && !ref.optional()) {
          problems.add("%s: %s \"%s\" has no key \"%s\"".formatted(ref.field(), ref.kind().displayName, ref.name(),
              key));
        }
      }
      if (ref.rollsPods()) {
        var relevant = ref.keys().isEmpty() ? keys.get().keySet() : ref.keys();
        for (String key : relevant) {
          digestInput.put(id + "/" + key, keys.get().getOrDefault(key, "absent"));
        }
      }
    }
    var text = new StringBuilder();
    digestInput.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    return new ReferencedContent(List.copyOf(problems), sha256(text.toString()).substring(0, 32));
  }

  /** A Secret reduced to name, namespace and per-key digests: what the watched-Secrets informer stores. */
  public static Secret pruneSecret(Secret secret) {
    var digests = new TreeMap<String, String>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> digests.put(k, sha256(v)));
    }
    if (secret.getStringData() != null) {
      secret.getStringData().forEach((k, v) -> digests.put(k, sha256(v)));
    }
    return new SecretBuilder().withMetadata(prunedMetadata(secret)).withData(digests).build();
  }

  /** A ConfigMap reduced to name, namespace and per-key digests (text and binary keys). */
  public static ConfigMap pruneConfigMap(ConfigMap configMap) {
    var digests = new TreeMap<String, String>();
    if (configMap.getData() != null) {
      configMap.getData().forEach((k, v) -> digests.put(k, sha256(v)));
    }
    if (configMap.getBinaryData() != null) {
      configMap.getBinaryData().forEach((k, v) -> digests.put(k, sha256(v)));
    }
    return new ConfigMapBuilder().withMetadata(prunedMetadata(configMap)).withData(digests).build();
  }

  private static ObjectMeta prunedMetadata(HasMetadata object) {
    var meta = object.getMetadata();
    return new ObjectMetaBuilder()
        .withName(meta.getName())
        .withNamespace(meta.getNamespace())
        .withUid(meta.getUid())
        .withResourceVersion(meta.getResourceVersion())
        .build();
  }

  static String sha256(String value) {
    try {
      var digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
