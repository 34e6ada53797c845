package io.keycloakgitops.webhook;

import static io.keycloakgitops.webhook.Manifests.keycloak;
import static io.keycloakgitops.webhook.Manifests.validKeycloak;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.keycloakgitops.testsupport.Listeners;
import io.keycloakgitops.webhook.tls.CertBundle;
import io.keycloakgitops.webhook.tls.Certificates;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP layer over real HTTPS on loopback: endpoints, bad input, listening addresses, certificate reloads. */
class WebhookServerIT {
  static WebhookServer server;
  static HttpClient client;

  @BeforeAll
  static void start() {
    server = WebhookServer.start(WebhookConfig.loopback());
    client = TlsClients.trusting(server.caBundlePem());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> post(String path, String contentType, HttpRequest.BodyPublisher body) throws Exception {
    var request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).POST(body);
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return client.send(request.build(), BodyHandlers.ofString());
  }

  static HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(), BodyHandlers.ofString());
  }

  @Test
  void answersAdmissionReviewsOverHttps() throws Exception {
    var allowed = post("/validate", "application/json", BodyPublishers.ofByteArray(Reviews.create(validKeycloak())));
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    AdmissionReview review = Json.MAPPER.readValue(allowed.body(), AdmissionReview.class);
    assertThat(review.getResponse().getAllowed()).isTrue();

    var denied = post("/validate", "application/json; charset=utf-8", BodyPublishers.ofByteArray(Reviews.create(keycloak("{}"))));
    assertThat(Json.MAPPER.readValue(denied.body(), AdmissionReview.class).getResponse().getAllowed()).isFalse();

    var mutated = post("/mutate", "application/json", BodyPublishers.ofByteArray(Reviews.create(keycloak("{}"))));
    assertThat(Json.MAPPER.readValue(mutated.body(), AdmissionReview.class).getResponse().getPatchType())
        .isEqualTo("JSONPatch");
  }

  @Test
  void healthReadinessAndMetrics() throws Exception {
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
    post("/validate", "application/json", BodyPublishers.ofByteArray(Reviews.create(keycloak("{}"))));
    post("/validate", "text/plain", BodyPublishers.ofString("{}"));
    var metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains(
        "webhook_requests_total{endpoint=\"validate\",kind=\"Keycloak\",operation=\"CREATE\",result=\"denied\"}",
        "webhook_requests_total{endpoint=\"validate\",kind=\"\",operation=\"\",result=\"bad_request\"}",
        "webhook_denials_total{rule=\"tls\"}",
        "webhook_request_duration_seconds_bucket{endpoint=\"validate\",le=\"0.005\"}",
        "webhook_certificate_expiry_seconds",
        "jvm_memory_used_bytes");
  }

  @Test
  void badInputGetsA400Or413WithAOneLineReasonNeverA500() throws Exception {
    byte[] huge = new byte[AdmissionHandlerLimits.MAX + 10];
    List<HttpResponse<String>> responses = List.of(
        post("/validate", "application/json", BodyPublishers.ofString("{not json")),
        post("/mutate", "application/json", BodyPublishers.ofString("{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}")),
        post("/validate", "text/yaml", BodyPublishers.ofString("apiVersion: admission.k8s.io/v1")),
        post("/validate", null, BodyPublishers.ofString("{}")),
        post("/validate", "application/json", BodyPublishers.ofByteArray(huge)),
        // Streamed without a Content-Length (chunked): the size is found while reading.
        post("/mutate", "application/json", BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge))));
    for (var response : responses) {
      assertThat(response.statusCode()).as(response.body()).isEqualTo(responses.indexOf(response) >= 4 ? 413 : 400);
      assertThat(response.body().strip()).doesNotContain("\n").doesNotContain("Exception").isNotEmpty();
    }
    assertThat(responses.get(2).body()).startsWith("Content-Type must be application/json");
    assertThat(responses.get(4).body()).startsWith("request body larger than 3145728 bytes");
    assertThat(responses.get(5).body()).startsWith("request body larger than 3145728 bytes");
  }

  @Test
  void listensOnLoopbackOnly() throws Exception {
    String port = ":" + String.format(Locale.ROOT, "%04X", server.port());
    assertThat(Listeners.nonLoopback(ProcessHandle.current())).noneMatch(address -> address.endsWith(port));
    assertThat(Listeners.listeningCount(ProcessHandle.current())).isPositive();
    Optional<InetAddress> external = NetworkInterface.networkInterfaces().filter(i -> !isLoopback(i))
        .flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof java.net.Inet4Address).findFirst();
    if (external.isPresent()) {
      assertThat(refused(external.get(), server.port())).as("connecting via " + external.get()).isTrue();
    }
  }

  @Test
  void theLoopbackCheckWouldSeeAWildcardBind() {
    try (var everywhere = WebhookServer.start(WebhookConfig.loopback().withBindAddress("0.0.0.0"))) {
      String port = ":" + String.format(Locale.ROOT, "%04X", everywhere.port());
      assertThat(Listeners.nonLoopback(ProcessHandle.current())).anyMatch(address -> address.endsWith(port));
    }
  }

  @Test
  void generatesCertificatesIntoAnEmptyCertDir(@TempDir Path dir) throws Exception {
    try (var generated = WebhookServer.start(WebhookConfig.loopback().withCertDir(dir))) {
      assertThat(dir.resolve(CertBundle.TLS_CRT)).exists();
      assertThat(dir.resolve(CertBundle.CA_KEY)).exists();
      var ca = Certificates.parseCertificates(Files.readString(dir.resolve(CertBundle.CA_CRT))).getFirst();
      generated.servingCertificate().verify(ca.getPublicKey());
      var response = TlsClients.trusting(generated.caBundlePem()).send(
          HttpRequest.newBuilder(URI.create(generated.baseUrl() + "/healthz")).build(), BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void reloadsExternalCertificateFilesWithoutARestart(@TempDir Path dir) throws Exception {
    var ca = Certificates.newCa("cert-manager-ca", Instant.now(), Duration.ofDays(1));
    var first = Certificates.newServing(ca, List.of("localhost"), List.of("127.0.0.1"), Instant.now(), Duration.ofHours(1));
    Files.writeString(dir.resolve("tls.crt"), first.certificatePem());
    Files.writeString(dir.resolve("tls.key"), first.keyPem());
    Files.writeString(dir.resolve("ca.crt"), ca.certificatePem());
    var config = WebhookConfig.loopback().withCertDir(dir)
        .withRotation(Duration.ofDays(365), Duration.ofDays(7), Duration.ofMillis(200), Duration.ofSeconds(10));
    try (var external = WebhookServer.start(config)) {
      assertThat(external.caBundlePem()).isEqualTo(ca.certificatePem());
      assertThat(peerCertificate(external)).isEqualTo(first.certificate());
      var kept = TlsClients.trusting(ca.certificatePem());
      assertThat(kept.send(HttpRequest.newBuilder(URI.create(external.baseUrl() + "/healthz")).build(),
          BodyHandlers.ofString()).statusCode()).isEqualTo(200);

      var second = Certificates.newServing(ca, List.of("localhost"), List.of("127.0.0.1"), Instant.now(), Duration.ofHours(1));
      // cert-manager replaces the key first; a mismatched pair must not be served.
      Files.writeString(dir.resolve("tls.key"), second.keyPem());
      Thread.sleep(500);
      assertThat(external.servingCertificate()).isEqualTo(first.certificate());
      Files.writeString(dir.resolve("tls.crt"), second.certificatePem());

      await().atMost(Duration.ofSeconds(10)).until(() -> peerCertificate(external).equals(second.certificate()));
      assertThat(kept.send(HttpRequest.newBuilder(URI.create(external.baseUrl() + "/healthz")).build(),
          BodyHandlers.ofString()).statusCode()).as("a client with an open connection").isEqualTo(200);
    }
  }

  @Test
  void reloadsThePolicyFile(@TempDir Path dir) throws Exception {
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, "namespaces: []\n");
    var config = WebhookConfig.loopback().withPolicyFile(policy)
        .withRotation(Duration.ofDays(365), Duration.ofDays(7), Duration.ofMillis(200), Duration.ofSeconds(10));
    var plainHttp = keycloak("http:\n  httpEnabled: true\nhostname:\n  hostname: sso.example.com\n");
    try (var relaxable = WebhookServer.start(config)) {
      var https = TlsClients.trusting(relaxable.caBundlePem());
      var request = HttpRequest.newBuilder(URI.create(relaxable.baseUrl() + "/validate"))
          .header("Content-Type", "application/json").POST(BodyPublishers.ofByteArray(Reviews.create(plainHttp))).build();
      assertThat(Json.MAPPER.readValue(https.send(request, BodyHandlers.ofString()).body(), AdmissionReview.class)
          .getResponse().getAllowed()).isFalse();
      Files.writeString(policy, "namespaces:\n  - name: team\n    tls: optional\n");
      await().atMost(Duration.ofSeconds(10)).until(() -> Json.MAPPER.readValue(
          https.send(request, BodyHandlers.ofString()).body(), AdmissionReview.class).getResponse().getAllowed());
      Files.writeString(policy, "namespaces:\n  - name: team\n    tls: sometimes\n");
      Thread.sleep(600);
      assertThat(Json.MAPPER.readValue(https.send(request, BodyHandlers.ofString()).body(), AdmissionReview.class)
          .getResponse().getAllowed()).as("an invalid edit keeps the last good policy").isTrue();
    }
  }

  private static X509Certificate peerCertificate(WebhookServer target) throws Exception {
    // A new client is a new connection, hence a new handshake.
    var fresh = TlsClients.trusting(target.caBundlePem());
    var response = fresh.send(HttpRequest.newBuilder(URI.create(target.baseUrl() + "/healthz")).build(),
        BodyHandlers.discarding());
    return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
  }

  private static boolean isLoopback(NetworkInterface networkInterface) {
    try {
      return networkInterface.isLoopback() || !networkInterface.isUp();
    } catch (Exception e) {
      return true;
    }
  }

  private static boolean refused(InetAddress address, int port) {
    try (var socket = new Socket()) {
      socket.connect(new java.net.InetSocketAddress(address, port), 2000);
      return false;
    } catch (Exception e) {
      return true;
    }
  }

  /** The limit in the production code, named here for readability. */
  private static final class AdmissionHandlerLimits {
    static final int MAX = io.keycloakgitops.webhook.admission.AdmissionHandler.MAX_BODY_BYTES;
  }
}
