package io.keycloakgitops.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The real Keycloak dist starts on loopback and issues an admin token. */
class KeycloakServerIT {
  @Test
  void startsOnLoopbackAndIssuesAnAdminToken() throws Exception {
    KeycloakServer keycloak = KeycloakServer.shared();
    String form = "grant_type=password&client_id=admin-cli&username=" + keycloak.adminUser()
        + "&password=" + URLEncoder.encode(keycloak.adminPassword(), StandardCharsets.UTF_8);
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(keycloak.baseUrl() + "/realms/master/protocol/openid-connect/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode token = new ObjectMapper().readTree(response.body());
    assertThat(token.path("access_token").asText()).isNotBlank();

    ProcessHandle server = keycloak.processHandle().orElseThrow();
    assertThat(Listeners.listeningCount(server)).isGreaterThanOrEqualTo(2);
    assertThat(Listeners.nonLoopback(server)).isEmpty();
  }
}
