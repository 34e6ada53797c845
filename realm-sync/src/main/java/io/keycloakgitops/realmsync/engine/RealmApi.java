package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The admin REST API of one realm, as JSON trees. Paths are relative to {@code /admin/realms/{realm}}; query
 * arguments come as name/value pairs. Every write is counted by the implementation.
 */
public interface RealmApi {
  String realm();

  JsonNode get(String path, Object... query);

  /** Like {@link #get} but a 404 is empty. */
  Optional<JsonNode> find(String path, Object... query);

  /** POSTs and returns the response body. */
  JsonNode postForJson(String path, JsonNode body);

  /** POSTs and returns the id at the end of the Location header, if any. */
  String post(String path, JsonNode body);

  void put(String path, JsonNode body);

  void delete(String path);

  void delete(String path, JsonNode body);

  /** POST /admin/realms: the whole realm in one request. */
  void createRealm(JsonNode realm);

  /** DELETE /admin/realms/{realm}. */
  void deleteRealm();

  /** Writes made through this instance so far. */
  int writes();
}
