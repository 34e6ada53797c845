package io.keycloakgitops.realmsync.cli;

import io.keycloakgitops.realmsync.engine.Progress;
import java.io.PrintWriter;

/**
 * Progress of {@code apply} on a terminal: one line per phase ({@code realm acme: users 400/20000}), rewritten in
 * place while the phase runs (at most five times a second, and always at its end). Off the terminal (CI logs,
 * pipes) nothing is printed: the summary line says it all.
 */
final class TerminalProgress implements Progress {
  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintWriter out;
  private final String realm;
  private String phase;
  private long drawn;

  TerminalProgress(PrintWriter out, String realm) {
    this.out = out;
    this.realm = realm;
  }

  /** Progress on {@code err} if the process runs on a terminal, else none. */
  static TerminalProgress onTerminal(PrintWriter err, String realm) {
    return isTerminal() ? new TerminalProgress(err, realm) : null;
  }

  /** Java 22+ may give a console for redirected streams: ask it ({@code isTerminal}) where that exists. */
  static boolean isTerminal() {
    var console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  @Override
  public void update(String phase, int done, int total) {
    boolean newPhase = !phase.equals(this.phase);
    long now = System.nanoTime();
    if (!newPhase && done < total && now - drawn < REDRAW_NANOS) {
      return;
    }
    if (newPhase && this.phase != null) {
      out.println();
    }
    this.phase = phase;
    drawn = now;
    out.print("\r" + line(realm, phase, done, total));
    out.flush();
  }

  /** Ends the last line. */
  void end() {
    if (phase != null) {
      out.println();
      out.flush();
    }
  }

  static String line(String realm, String phase, int done, int total) {
    return "realm " + realm + ": " + phase + (total == 0 ? "" : " " + done + "/" + total);
  }
}
