package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A RealmApi for unit tests of plan execution: records writes, answers reads from a map, fails on demand. */
final class RecordingApi implements RealmApi {
  final List<String> calls = new ArrayList<>();
  final Map<String, JsonNode> reads = new HashMap<>();
  /** Bodies of {@code postForJson} calls (partialImport), in order. */
  final List<JsonNode> jsonPosts = new ArrayList<>();
  String failOn;
  private int writes;
  private int ids;

  @Override
  public String realm() {
    return "test";
  }

  @Override
  public JsonNode get(String path, Object... query) {
    return find(path, query).orElseThrow(() -> new IllegalStateException("unexpected GET " + path));
  }

  @Override
  public Optional<JsonNode> find(String path, Object... query) {
    return Optional.ofNullable(reads.get(path));
  }

  @Override
  public JsonNode postForJson(String path, JsonNode body) {
    write("POST " + path);
    jsonPosts.add(body);
    return Json.object();
  }

  @Override
  public String post(String path, JsonNode body) {
    write("POST " + path);
    return "id-" + ++ids;
  }

  @Override
  public void put(String path, JsonNode body) {
    write("PUT " + path);
  }

  @Override
  public void delete(String path) {
    write("DELETE " + path);
  }

  @Override
  public void delete(String path, JsonNode body) {
    write("DELETE " + path);
  }

  @Override
  public void createRealm(JsonNode realm) {
    write("POST /admin/realms");
  }

  @Override
  public void deleteRealm() {
    write("DELETE /admin/realms/test");
  }

  @Override
  public int writes() {
    return writes;
  }

  private void write(String call) {
    if (failOn != null && call.startsWith(failOn)) {
      throw new IllegalStateException("server said no to " + call);
    }
    writes++;
    calls.add(call);
  }
}
