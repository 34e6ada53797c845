package io.keycloakgitops.realmsync.engine;

import java.time.Duration;

/**
 * How many objects the next {@code partialImport} request carries. It starts small and adapts to the time the
 * previous batches took, aiming at {@link #TARGET} per request: far inside Keycloak's 300 s transaction timeout
 * (which aborts the whole request and can leave the server refusing logins for minutes), yet few requests.
 * Growth is at most doubling per batch, so one fast batch of cheap objects cannot send a huge one next.
 */
public final class BatchSizer {
  public static final int FIRST = 200;
  public static final int MAX = 2000;
  public static final Duration TARGET = Duration.ofSeconds(10);

  private int size = FIRST;

  /** The number of objects to send in the next request. */
  public int next() {
    return size;
  }

  /** Adapts to a batch of {@code objects} that took {@code took}. */
  public void measured(int objects, Duration took) {
    if (objects <= 0) {
      return;
    }
    long millis = Math.max(1, took.toMillis());
    long fitting = objects * TARGET.toMillis() / millis;
    size = (int) Math.max(1, Math.min(Math.min(fitting, 2L * size), MAX));
  }
}
