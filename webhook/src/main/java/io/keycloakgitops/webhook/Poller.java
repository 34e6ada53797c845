package io.keycloakgitops.webhook;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a task on a daemon thread at a fixed delay; a failing run is logged and the next one still happens. */
public final class Poller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Poller.class);
  private final ScheduledExecutorService scheduler;

  public Poller(String name, Duration interval, Runnable task) {
    scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      var thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    });
    long millis = interval.toMillis();
    scheduler.scheduleWithFixedDelay(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.warn("{} failed, retrying in {}: {}", name, interval, e.toString());
      }
    }, millis, millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
