package io.keycloakgitops.schemas.v2alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.keycloakgitops.schemas.keycloak.KeycloakSpec;
import io.keycloakgitops.schemas.keycloak.KeycloakStatus;

/** The Keycloak CR, version v2alpha1. Served for upstream manifests that still name it; same schema as v2beta1, converted by the API server. */
@Group(Keycloak.GROUP)
@Version(value = Keycloak.VERSION, storage = false, served = true, deprecated = true, deprecationWarning = "k8s.keycloak.org/v2alpha1 is deprecated; use k8s.keycloak.org/v2beta1")
@Kind("Keycloak")
@Plural("keycloaks")
@ShortNames("kc")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Instances", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.instances")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class Keycloak extends CustomResource<KeycloakSpec, KeycloakStatus> implements Namespaced {
  public static final String GROUP = "k8s.keycloak.org";
  public static final String VERSION = "v2alpha1";

  @Override
  protected KeycloakSpec initSpec() {
    return new KeycloakSpec();
  }
}
