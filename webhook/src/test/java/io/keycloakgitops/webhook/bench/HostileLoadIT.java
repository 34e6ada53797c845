package io.keycloakgitops.webhook.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.keycloakgitops.webhook.Manifests;
import io.keycloakgitops.webhook.Reviews;
import io.keycloakgitops.webhook.TlsClients;
import io.keycloakgitops.webhook.admission.AdmissionHandler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Hole 7 as an attack: eight parallel AdmissionReviews of about 3 MiB, each the densest JSON (a million empty
 * objects, ~90 MB as a tree), sent again and again to the packaged webhook running with {@code -Xmx128m}. It must
 * survive (an OutOfMemoryError would end the process: {@code -XX:+ExitOnOutOfMemoryError}) and answer a normal
 * review correctly afterwards.
 */
class HostileLoadIT {
  static final int PARALLEL = 8;
  static final int ROUNDS = 6;

  /** A Keycloak CREATE of about 3 MiB whose spec holds a million empty objects. */
  static byte[] hostileReview() {
    String head = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"h\","
        + "\"kind\":{\"group\":\"k8s.keycloak.org\",\"version\":\"v2beta1\",\"kind\":\"Keycloak\"},\"operation\":"
        + "\"CREATE\",\"namespace\":\"team\",\"object\":{\"apiVersion\":\"k8s.keycloak.org/v2beta1\",\"kind\":"
        + "\"Keycloak\",\"metadata\":{\"name\":\"x\"},\"spec\":{\"x\":[{}";
    String tail = "]}}}}";
    int count = (AdmissionHandler.MAX_BODY_BYTES - head.length() - tail.length() - 64) / 3;
    var body = new StringBuilder(AdmissionHandler.MAX_BODY_BYTES).append(head);
    body.append(",{}".repeat(count));
    return body.append(tail).toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parallelHugeReviewsNeitherKillTheWebhookNorBlockNormalReviews() throws Exception {
    byte[] hostile = hostileReview();
    assertThat(hostile.length).isBetween(3_000_000, AdmissionHandler.MAX_BODY_BYTES);
    byte[] normal = Reviews.create(Manifests.fixture("upstream/keycloak-full.yaml"));
    try (var server = WebhookBench.Server.start(List.of("-XX:+ExitOnOutOfMemoryError"));
        var pool = Executors.newFixedThreadPool(PARALLEL)) {
      Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
      double peakHeapMb = 0;
      for (int round = 0; round < ROUNDS; round++) {
        var futures = new ArrayList<Future<?>>();
        for (int i = 0; i < PARALLEL; i++) {
          futures.add(pool.submit(() -> {
            String outcome;
            try (var connection = new WebhookBench.Connection(server.port)) {
              outcome = Integer.toString(connection.post("/validate", hostile));
            } catch (IOException e) {
              outcome = "connection closed"; // a 429 closes the connection without reading the body
            }
            outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
            return null;
          }));
        }
        for (Future<?> future : futures) {
          future.get();
        }
        assertThat(server.process.isAlive()).as("round %d: %s", round, Files.readString(server.log)).isTrue();
        peakHeapMb = Math.max(peakHeapMb, heapUsedMb(server));
      }
      System.out.printf("hostile load: %d rounds of %d parallel %d-byte reviews: outcomes %s; heap used after a "
          + "round at most %.1f MB (-Xmx128m)%n", ROUNDS, PARALLEL, hostile.length, outcomes, peakHeapMb);
      // Some were parsed up to the token limit (413), the others turned away before being read (429).
      assertThat(outcomes).containsKey("413").doesNotContainKey("500").doesNotContainKey("200");
      assertThat(outcomes.keySet()).allMatch(o -> o.equals("413") || o.equals("429") || o.equals("connection closed"));
      assertThat(outcomes.getOrDefault("429", new AtomicInteger()).get()
          + outcomes.getOrDefault("connection closed", new AtomicInteger()).get()).as("turned away unread").isPositive();

      try (var connection = new WebhookBench.Connection(server.port)) {
        assertThat(connection.post("/validate", normal)).isEqualTo(200);
      }
      var client = TlsClients.trusting(Files.readString(server.certs.resolve("ca.crt")));
      String answer = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port + "/validate"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(normal)).build(),
          BodyHandlers.ofString()).body();
      assertThat(answer).contains("\"allowed\":true");
      assertThat(Files.readString(server.log)).doesNotContain("OutOfMemoryError");
    }
  }

  private static double heapUsedMb(WebhookBench.Server server) throws Exception {
    var client = TlsClients.trusting(Files.readString(server.certs.resolve("ca.crt")));
    String metrics = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port + "/metrics"))
        .build(), BodyHandlers.ofString()).body();
    var matcher = Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\"[^}]*\\} (\\S+)").matcher(metrics);
    double used = 0;
    while (matcher.find()) {
      used += Double.parseDouble(matcher.group(1));
    }
    return used / 1e6;
  }
}
