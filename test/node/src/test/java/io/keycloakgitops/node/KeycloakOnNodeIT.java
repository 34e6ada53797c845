package io.keycloakgitops.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.keycloakgitops.schemas.common.Condition;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.idm.RealmRepresentation;

/**
 * The example Keycloak CR on a real node: the reconciler's hardened pods really start Keycloak under the
 * restricted Pod Security profile, two instances form one cache cluster, a spec change rolls out without a
 * failed request, and a deleted pod is replaced while the CR's Ready follows the real pods. The steps share the
 * one Keycloak and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeycloakOnNodeIT {
  private static NodeCluster cluster;

  @BeforeAll
  static void up() {
    cluster = NodeCluster.shared();
  }

  @Test
  @Order(1)
  void theHardenedPodsRunKeycloakUnderRestrictedAndTheCrIsReady() {
    await().atMost(NodeCluster.POD_START).pollInterval(Duration.ofSeconds(2))
        .until(() -> Condition.TRUE.equals(cluster.keycloakReady()));
    assertThat(cluster.client().namespaces().withName(NodeCluster.NAMESPACE).get().getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");

    List<Pod> pods = cluster.keycloakPods();
    assertThat(pods).hasSize(2).allMatch(NodeCluster::podReady);
    for (Pod pod : pods) {
      assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
      Container keycloak = pod.getSpec().getContainers().stream().filter(c -> c.getName().equals("keycloak")).findFirst().orElseThrow();
      var security = keycloak.getSecurityContext();
      assertThat(security.getReadOnlyRootFilesystem()).as("read-only root filesystem").isTrue();
      assertThat(security.getAllowPrivilegeEscalation()).isFalse();
      assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
      var podSecurity = pod.getSpec().getSecurityContext();
      assertThat(podSecurity.getRunAsNonRoot()).isTrue();
      assertThat(podSecurity.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    }
    assertThat(cluster.keycloak().getStatus().instances).isEqualTo(2);
  }

  /**
   * Pod B caches the realm first; a change through pod A must reach B at once. Without one Infinispan cluster
   * B would keep serving its stale cached copy.
   */
  @Test
  @Order(2)
  void twoInstancesFormOneCacheCluster() {
    List<Pod> pods = cluster.keycloakPods();
    assertThat(pods).hasSize(2);
    String[] admin = cluster.adminCredentials();
    String realm = "cluster-" + UUID.randomUUID().toString().substring(0, 8);
    try (Keycloak viaA = adminClient(pods.get(0), admin); Keycloak viaB = adminClient(pods.get(1), admin)) {
      RealmRepresentation created = new RealmRepresentation();
      created.setRealm(realm);
      created.setEnabled(true);
      created.setDisplayName("before");
      viaA.realms().create(created);
      assertThat(viaB.realm(realm).toRepresentation().getDisplayName()).isEqualTo("before");

      RealmRepresentation update = viaA.realm(realm).toRepresentation();
      update.setDisplayName("after");
      viaA.realm(realm).update(update);
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
          .until(() -> "after".equals(viaB.realm(realm).toRepresentation().getDisplayName()));
      viaA.realm(realm).remove();
    }
  }

  @Test
  @Order(3)
  void aSpecChangeRollsOnePodAtATimeWhileDiscoveryKeepsAnswering() throws Exception {
    Set<String> before = names(cluster.keycloakPods());
    URI discovery = URI.create(cluster.serviceUrl(NodeCluster.NAMESPACE, NodeCluster.KEYCLOAK + "-service") + "/realms/master/.well-known/openid-configuration");
    var failures = Collections.synchronizedList(new ArrayList<String>());
    var requests = new AtomicInteger();
    var retried = new AtomicInteger();
    var fewestReady = new AtomicInteger(Integer.MAX_VALUE);
    var mostPods = new AtomicInteger();
    var stop = new AtomicBoolean();
    Thread clientLoop = Thread.ofVirtual().start(() -> {
      try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
        while (!stop.get()) {
          requests.incrementAndGet();
          var request = HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5)).build();
          try {
            HttpResponse<String> response;
            try {
              response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException closed) {
              // A kept-alive connection to a pod that is shutting down can close just as a request goes out: HTTP
              // clients retry an idempotent request then (RFC 9110, 9.2.2), once, on a new connection. A timeout, a
              // refused connection or a second failure is a real gap in the rollout.
              if (closed instanceof java.net.http.HttpTimeoutException || closed instanceof java.net.ConnectException) {
                throw closed;
              }
              retried.incrementAndGet();
              response = http.send(request, HttpResponse.BodyHandlers.ofString());
            }
            if (response.statusCode() != 200 || !response.body().contains("\"issuer\"")) {
              failures.add("HTTP " + response.statusCode());
            }
          } catch (Exception e) {
            failures.add(e.toString());
          }
          sleep(100);
        }
      }
    });
    Thread podWatch = Thread.ofVirtual().start(() -> {
      while (!stop.get()) {
        List<Pod> pods = cluster.keycloakPods();
        fewestReady.accumulateAndGet((int) pods.stream().filter(NodeCluster::podReady).count(), Math::min);
        mostPods.accumulateAndGet(pods.size(), Math::max);
        sleep(250);
      }
    });
    long rolloutStart = 0;
    long rolloutEnd = 0;
    try {
      sleep(2_000);
      rolloutStart = System.nanoTime();
      String marker = UUID.randomUUID().toString();
      var patched = cluster.kubectl("-n", NodeCluster.NAMESPACE, "patch", "keycloak", NodeCluster.KEYCLOAK, "--type=merge",
          "-p", "{\"spec\":{\"env\":[{\"name\":\"ROLLOUT_MARK\",\"value\":\"" + marker + "\"}]}}");
      assertThat(patched.ok()).as(patched.toString()).isTrue();
      await().atMost(NodeCluster.POD_START.multipliedBy(2)).pollInterval(Duration.ofSeconds(2)).until(() -> {
        List<Pod> pods = cluster.keycloakPods();
        return pods.size() == 2 && pods.stream().allMatch(NodeCluster::podReady)
            && pods.stream().noneMatch(pod -> before.contains(pod.getMetadata().getName()))
            && Condition.TRUE.equals(cluster.keycloakReady());
      });
      rolloutEnd = System.nanoTime();
    } finally {
      stop.set(true);
      clientLoop.join();
      podWatch.join();
    }
    System.out.printf("rollout: %.1f s from the spec change to both new pods Ready and the CR Ready; %d discovery"
        + " requests, %d retried once, %d failed; fewest ready pods %d, most pods %d%n", (rolloutEnd - rolloutStart) / 1e9,
        requests.get(), retried.get(), failures.size(), fewestReady.get(), mostPods.get());
    assertThat(requests.get()).isGreaterThan(20);
    assertThat(failures).isEmpty();
    assertThat(fewestReady.get()).as("ready pods never below instances (PDB, maxUnavailable 0)").isEqualTo(2);
    assertThat(mostPods.get()).as("one new pod at a time (maxSurge 1)").isEqualTo(3);
  }

  @Test
  @Order(4)
  void aDeletedPodIsReplacedAndTheCrGoesNotReadyThenReady() {
    List<Pod> pods = cluster.keycloakPods();
    String victim = pods.get(0).getMetadata().getName();
    cluster.client().pods().inNamespace(NodeCluster.NAMESPACE).withName(victim).delete();
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
        .until(() -> Condition.FALSE.equals(cluster.keycloakReady()));
    await().atMost(NodeCluster.POD_START).pollInterval(Duration.ofSeconds(2))
        .until(() -> Condition.TRUE.equals(cluster.keycloakReady()));
    List<Pod> after = cluster.keycloakPods();
    assertThat(after).hasSize(2).allMatch(NodeCluster::podReady);
    assertThat(names(after)).doesNotContain(victim);
  }

  private static Keycloak adminClient(Pod pod, String[] admin) {
    return Keycloak.getInstance("http://" + pod.getStatus().getPodIP() + ":" + httpPort().getPort(),
        "master", admin[0], admin[1], "admin-cli");
  }

  private static ServicePort httpPort() {
    Service service = cluster.client().services().inNamespace(NodeCluster.NAMESPACE).withName(NodeCluster.KEYCLOAK + "-service").get();
    return service.getSpec().getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst()
        .orElseThrow(() -> new AssertionError("no http port on " + service.getSpec().getPorts()));
  }

  private static Set<String> names(List<Pod> pods) {
    return pods.stream().map(pod -> pod.getMetadata().getName()).collect(Collectors.toSet());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
