package dev.switchboard.upstream;

import io.vertx.core.Vertx;

/**
 * Fires once when nothing has happened for {@code timeoutMs}. {@link #touch()} only records the
 * time (no timer work per chunk); the single timer re-arms itself for what is left. Confined to
 * one event loop. Used instead of re-arming the request's idle timeout after the response head,
 * which Vert.x never cancels when the response ends, keeping every exchange alive for the
 * whole timeout.
 */
public final class IdleWatchdog {

  private final Vertx vertx;
  private final long timeoutMs;
  private final Runnable onIdle;
  private long lastNanos = System.nanoTime();
  private long timer;
  private boolean cancelled;
  private boolean fired;

  IdleWatchdog(Vertx vertx, long timeoutMs, Runnable onIdle) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
    this.onIdle = onIdle;
    this.timer = timeoutMs > 0 ? vertx.setTimer(timeoutMs, id -> check()) : -1;
  }

  /** Something arrived: the idle time starts again. */
  public void touch() {
    lastNanos = System.nanoTime();
  }

  /** Something arrived at {@code nowNanos} ({@link System#nanoTime}, read once by a caller that also needs it). */
  public void touch(long nowNanos) {
    lastNanos = nowNanos;
  }

  /** Whether it fired: the exchange was reset for being idle (its stream only sees the reset). */
  public boolean fired() {
    return fired;
  }

  public void cancel() {
    cancelled = true;
    if (timer >= 0) vertx.cancelTimer(timer);
  }

  private void check() {
    if (cancelled) return;
    long idleMs = (System.nanoTime() - lastNanos) / 1_000_000;
    if (idleMs >= timeoutMs) {
      cancelled = true;
      fired = true;
      onIdle.run();
    } else {
      timer = vertx.setTimer(timeoutMs - idleMs, id -> check());
    }
  }
}
