package io.keycloakgitops.schemas.v2beta1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import io.keycloakgitops.schemas.realmimport.KeycloakRealmImportSpec;
import io.keycloakgitops.schemas.realmimport.KeycloakRealmImportStatus;

/** The KeycloakRealmImport CR, version v2beta1. The stored version. */
@Group(Keycloak.GROUP)
@Version(value = KeycloakRealmImport.VERSION, storage = true, served = true)
@Kind("KeycloakRealmImport")
@Plural("keycloakrealmimports")
@AdditionalPrinterColumn(name = "Keycloak", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.keycloakCRName")
@AdditionalPrinterColumn(name = "Realm", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.realm.realm")
@AdditionalPrinterColumn(name = "Done", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.conditions[?(@.type==\"Done\")].status")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class KeycloakRealmImport extends CustomResource<KeycloakRealmImportSpec, KeycloakRealmImportStatus>
    implements Namespaced {
  public static final String VERSION = "v2beta1";

  @Override
  protected KeycloakRealmImportSpec initSpec() {
    return new KeycloakRealmImportSpec();
  }
}
