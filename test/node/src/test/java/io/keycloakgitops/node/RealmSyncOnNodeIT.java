package io.keycloakgitops.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keycloakgitops.testsupport.Commands;
import io.keycloakgitops.testsupport.ProcessResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.keycloak.admin.client.Keycloak;

/**
 * realm-sync as the chart runs it, in a pod, watching the Git repository that {@code cluster.sh up} seeded with
 * examples/realms: a commit reaches the Keycloak pods, and a Keycloak pod killed while a sync writes does not
 * lose the change.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealmSyncOnNodeIT {
  private static final Duration SYNC = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REALM = "acme";
  private static final int CLIENTS = 400;
  private static NodeCluster cluster;
  private static Keycloak admin;
  @TempDir
  static Path work;
  private static Path checkout;

  @BeforeAll
  static void up() {
    cluster = NodeCluster.shared();
    String[] credentials = cluster.adminCredentials();
    admin = Keycloak.getInstance(cluster.env("KEYCLOAK_URL"), "master", credentials[0], credentials[1], "admin-cli");
    checkout = work.resolve("realms");
    git(work, "clone", "-q", cluster.realmsRepository().toString(), checkout.toString());
  }

  @AfterAll
  static void close() {
    if (admin != null) {
      admin.close();
    }
  }

  @Test
  @Order(1)
  void aCommitReachesTheKeycloakPods() throws Exception {
    String marker = "ACME " + UUID.randomUUID().toString().substring(0, 8);
    ObjectNode realm = readRealm();
    realm.put("displayName", marker);
    commitAndPush(realm, "displayName " + marker);
    await().atMost(SYNC).pollInterval(Duration.ofSeconds(1))
        .until(() -> marker.equals(admin.realm(REALM).toRepresentation().getDisplayName()));
  }

  @Test
  @Order(2)
  void aKeycloakPodKilledDuringASyncDoesNotLoseTheChange() throws Exception {
    String prefix = "node-" + UUID.randomUUID().toString().substring(0, 6) + "-";
    ObjectNode realm = readRealm();
    ArrayNode clients = realm.withArray("clients");
    for (int i = 0; i < CLIENTS; i++) {
      clients.addObject().put("clientId", prefix + i).put("publicClient", true)
          .putArray("redirectUris").add("https://app.example.com/" + i + "/*");
    }
    commitAndPush(realm, CLIENTS + " clients");

    await().atMost(SYNC).pollInterval(Duration.ofMillis(200)).until(() -> ours(prefix) > 0);
    int whenKilled = ours(prefix);
    String victim = cluster.keycloakPods().get(0).getMetadata().getName();
    cluster.client().pods().inNamespace(NodeCluster.NAMESPACE).withName(victim).delete();
    System.out.printf("killed %s when %d of %d clients were written%n", victim, whenKilled, CLIENTS);

    await().atMost(SYNC.multipliedBy(3)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
        .until(() -> ours(prefix) == CLIENTS);
    await().atMost(NodeCluster.POD_START).pollInterval(Duration.ofSeconds(2))
        .until(() -> cluster.keycloakPods().size() == 2 && cluster.keycloakPods().stream().allMatch(NodeCluster::podReady));
  }

  private static int ours(String prefix) {
    return (int) admin.realm(REALM).clients().findAll().stream().filter(c -> c.getClientId().startsWith(prefix)).count();
  }

  private static ObjectNode readRealm() throws Exception {
    return (ObjectNode) JSON.readTree(checkout.resolve("realms/" + REALM + ".json").toFile());
  }

  private static void commitAndPush(ObjectNode realm, String message) throws Exception {
    Files.writeString(checkout.resolve("realms/" + REALM + ".json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(realm));
    git(checkout, "-c", "user.name=node-it", "-c", "user.email=node-it@localhost", "commit", "-q", "-am", message);
    git(checkout, "push", "-q", "origin", "HEAD");
  }

  private static void git(Path dir, String... args) {
    ProcessResult result = Commands.run(dir, Map.of(), null, Duration.ofMinutes(1),
        java.util.stream.Stream.concat(java.util.stream.Stream.of("git"), List.of(args).stream()).toList());
    assertThat(result.ok()).as("git " + String.join(" ", args) + ": " + result).isTrue();
  }
}
