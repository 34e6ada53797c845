package io.keycloakgitops.schemas.authority;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PlaceholderScanTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void findsFileAndEnvAtEveryDepthWithTheirFields() throws Exception {
    var realm = JSON.readTree("""
        {"realm": "acme", "displayName": "${file:/var/run/secrets/kubernetes.io/serviceaccount/token}",
         "smtpServer": {"password": "x ${ env:KEYCLOAK_PASSWORD} y"},
         "clients": [{"clientId": "a", "secret": "${secret:creds/a}"}, {"attributes": {"k": "${NAME}"}}],
         "escaped": "$${file:/etc/hostname}"}
        """);
    assertThat(PlaceholderScan.forbiddenInCr(realm, "spec.realm")).containsExactly(
        new PlaceholderScan.Finding("spec.realm.displayName", "file"),
        new PlaceholderScan.Finding("spec.realm.smtpServer.password", "env"));
  }

  @Test
  void allowedPlaceholdersAreNotFindings() throws Exception {
    var realm = JSON.readTree("{\"a\": [\"${secret:s/k}\", \"${X}\", \"${role_default-roles}\"]}");
    assertThat(PlaceholderScan.forbiddenInCr(realm, "spec.realm")).isEmpty();
  }

  @Test
  void keysAreScannedToo() throws Exception {
    var realm = JSON.readTree("{\"attributes\": {\"${env:HOME}\": \"v\"}}");
    assertThat(PlaceholderScan.forbiddenInCr(realm, "spec.realm")).extracting(PlaceholderScan.Finding::field)
        .containsExactly("spec.realm.attributes.${env:HOME}");
  }

  @Test
  void messageNamesTheAlternatives() {
    assertThat(new PlaceholderScan.Finding("spec.realm.x", "file").message())
        .contains("${file:}").contains("spec.placeholders").contains("keycloak-gitops.io/placeholder-source=true");
  }
}
