package io.keycloakgitops.realmsync.keycloak;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Retries a call that failed because the server is unhealthy, waiting longer each time (1 s, doubling, at most
 * 30 s, 5 tries in all), so that a Keycloak answering HTTP 5xx is given room to recover instead of being hammered.
 * Only for calls that are safe to repeat: reads and logins.
 */
public final class Backoff {
  /** Waits; {@link Thread#sleep} in production, recorded in tests. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 5,
      d -> Thread.sleep(d.toMillis()));

  private final Duration first;
  private final Duration cap;
  private final int tries;
  private final Sleeper sleeper;

  public Backoff(Duration first, Duration cap, int tries, Sleeper sleeper) {
    if (tries < 1) {
      throw new IllegalArgumentException("tries must be at least 1");
    }
    this.first = first;
    this.cap = cap;
    this.tries = tries;
    this.sleeper = sleeper;
  }

  /** Runs {@code call}; when it throws what {@code retryable} accepts, waits and tries again, up to the limit. */
  public <T> T call(Supplier<T> call, Predicate<RuntimeException> retryable) {
    Duration wait = first;
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (RuntimeException e) {
        if (attempt >= tries || !retryable.test(e)) {
          throw e;
        }
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        wait = wait.multipliedBy(2).compareTo(cap) > 0 ? cap : wait.multipliedBy(2);
      }
    }
  }
}
