package io.keycloakgitops.realmsync.engine;

import java.time.Duration;

/**
 * How many objects the next {@code partialImport} request carries. It starts small and adapts to the time the
 * previous batches took, aiming at {@link #TARGET} per request: far inside Keycloak's 300 s transaction timeout
 * (which aborts the whole request and can leave the server refusing logins for minutes), yet few requests.
 * Growth is at most doubling per batch, so one fast batch of cheap objects cannot send a huge one next. The next size
 * assumes a request's time grows with the square of its objects, as Keycloak's does within one transaction (W10's
 * roles: 200 in 0.18 s, 400 in 0.84 s, 800 in 3.4 s, 1,366 in 25 s): linear extrapolation overshoots the target,
 * and a target of 5 s leaves six times its room before 30 s.
 */
public final class BatchSizer {
  public static final int FIRST = 200;
  public static final int MAX = 2000;
  public static final Duration TARGET = Duration.ofSeconds(5);

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
    double millis = Math.max(1, took.toMillis());
    long fitting = (long) (objects * Math.sqrt(TARGET.toMillis() / millis));
    size = (int) Math.max(1, Math.min(Math.min(fitting, 2L * size), MAX));
  }
}
