package io.keycloakgitops.schemas.v2alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import io.keycloakgitops.schemas.realmimport.KeycloakRealmImportSpec;
import io.keycloakgitops.schemas.realmimport.KeycloakRealmImportStatus;

/** The KeycloakRealmImport CR, version v2alpha1. Served for upstream manifests that still name it; same schema as v2beta1, converted by the API server. */
@Group(Keycloak.GROUP)
@Version(value = KeycloakRealmImport.VERSION, storage = false, served = true, deprecated = true, deprecationWarning = "k8s.keycloak.org/v2alpha1 is deprecated; use k8s.keycloak.org/v2beta1")
@Kind("KeycloakRealmImport")
@Plural("keycloakrealmimports")
@AdditionalPrinterColumn(name = "Keycloak", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.keycloakCRName")
@AdditionalPrinterColumn(name = "Realm", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.realm.realm")
@AdditionalPrinterColumn(name = "Done", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.conditions[?(@.type==\"Done\")].status")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class KeycloakRealmImport extends CustomResource<KeycloakRealmImportSpec, KeycloakRealmImportStatus>
    implements Namespaced {
  public static final String VERSION = "v2alpha1";

  @Override
  protected KeycloakRealmImportSpec initSpec() {
    return new KeycloakRealmImportSpec();
  }
}
