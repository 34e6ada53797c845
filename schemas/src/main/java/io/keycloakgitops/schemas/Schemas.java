package io.keycloakgitops.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Where the generated CRDs and the realm JSON Schema live on the classpath: every module reads them here. */
public final class Schemas {
  public static final String GROUP = "k8s.keycloak.org";
  public static final String KEYCLOAK_CRD = "keycloaks." + GROUP;
  public static final String REALM_IMPORT_CRD = "keycloakrealmimports." + GROUP;

  private static final String REALM_SCHEMA = "/io/keycloakgitops/schemas/realm.schema.json";

  private Schemas() {}

  /** The generated CustomResourceDefinition (YAML) for {@link #KEYCLOAK_CRD} or {@link #REALM_IMPORT_CRD}. */
  public static String crdYaml(String crdName) {
    return read("/META-INF/fabric8/" + crdName + "-v1.yml");
  }

  /** The JSON Schema (draft-07) of a realm representation. */
  public static String realmSchema() {
    return read(REALM_SCHEMA);
  }

  private static String read(String resource) {
    try (InputStream in = Schemas.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + resource + " (was the schemas module built?)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
