package io.keycloakgitops.webhook.admission;

import java.util.concurrent.Semaphore;

/**
 * How much heap the reviews being parsed at one time may take, so that parallel hostile bodies cannot exhaust it
 * (which would stop every Keycloak CR write in the cluster). A review's weight is the worst case of the tree it can
 * become: about 30 bytes of tree per byte of body for the densest JSON, at most {@link
 * AdmissionHandler#MAX_TREE_BYTES} thanks to the token limit. The budget is half the maximum heap. Typical reviews
 * (a few KB) weigh little, so only large bodies ever wait for each other; a request over the budget is answered
 * 429 at once instead of queueing, before its body is read.
 */
public final class ParseBudget {
  /** Bytes of JSON tree per byte of body, for the densest input (e.g. {@code [{},{},...]}). */
  static final long TREE_BYTES_PER_BODY_BYTE = 30;
  private static final int UNIT = 1024;

  private final Semaphore units;
  private final int capacity;

  public ParseBudget(long bytes) {
    capacity = (int) Math.min(Integer.MAX_VALUE, Math.max(bytes / UNIT, weight(-1)));
    units = new Semaphore(capacity);
  }

  /** The budget for this JVM: half of its maximum heap. */
  public static ParseBudget forThisJvm() {
    return new ParseBudget(Runtime.getRuntime().maxMemory() / 2);
  }

  /** The weight of a body of {@code contentLength} bytes; -1 (chunked, unknown) weighs as the largest. */
  public static int weight(long contentLength) {
    long length = contentLength < 0 ? AdmissionHandler.MAX_BODY_BYTES : contentLength;
    long tree = Math.min(length * TREE_BYTES_PER_BODY_BYTE, AdmissionHandler.MAX_TREE_BYTES) + length;
    return (int) Math.max(1, (tree + UNIT - 1) / UNIT);
  }

  /** Takes the weight if it is free now; never waits. */
  public boolean tryAcquire(int weight) {
    return units.tryAcquire(Math.min(weight, capacity));
  }

  public void release(int weight) {
    units.release(Math.min(weight, capacity));
  }

  /** Units free now (for the metrics gauge). */
  public int available() {
    return units.availablePermits();
  }

  public int capacity() {
    return capacity;
  }
}
