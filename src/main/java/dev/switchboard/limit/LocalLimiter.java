package dev.switchboard.limit;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * In-memory counters for one instance. Calls come from every event loop, so a check-and-count
 * holds one lock for its few map operations; a counter keeps only its current window.
 */
final class LocalLimiter implements Limiter {

  private static final class Counter {
    long window;
    long value;
    long expiresAt;
  }

  private final Map<String, Counter> counters = new HashMap<>();

  @Override
  public Future<Admission> acquire(List<Limit> limits, long now) {
    synchronized (counters) {
      for (Limit l : limits) {
        long value = value(l, now);
        boolean full = l.kind() == Limit.Kind.UNITS ? value >= l.max() : value + 1 > l.max();
        if (full) {
          return Future.succeededFuture(Admission.rejected(l.key(), l.kind() == Limit.Kind.CONCURRENT ? 1_000 : l.windowEnd(now) - now));
        }
      }
      for (Limit l : limits) {
        if (l.kind() != Limit.Kind.UNITS) counter(l, now).value++;
      }
      if (counters.size() > 100_000) counters.values().removeIf(c -> c.expiresAt <= now);
    }
    return Future.succeededFuture(Admission.ADMITTED);
  }

  @Override
  public Future<Void> add(List<Limit> limits, long amount, long now) {
    synchronized (counters) {
      for (Limit l : limits) {
        if (l.kind() == Limit.Kind.UNITS) counter(l, now).value += amount;
      }
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> release(List<Limit> limits) {
    synchronized (counters) {
      for (Limit l : limits) {
        Counter c = l.kind() == Limit.Kind.CONCURRENT ? counters.get(l.key()) : null;
        if (c != null && c.value > 0) c.value--;
      }
    }
    return Future.succeededFuture();
  }

  @Override
  public void seed(String key, long windowStart, long windowEnd, long value) {
    synchronized (counters) {
      Counter c = counters.computeIfAbsent(key, k -> new Counter());
      if (c.window != windowStart) {
        c.window = windowStart;
        c.value = 0;
      }
      c.value = Math.max(c.value, value);
      c.expiresAt = windowEnd;
    }
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  private long value(Limit l, long now) {
    Counter c = counters.get(l.key());
    return c == null || c.window != l.windowStart(now) ? 0 : c.value;
  }

  private Counter counter(Limit l, long now) {
    Counter c = counters.computeIfAbsent(l.key(), k -> new Counter());
    long window = l.windowStart(now);
    if (c.window != window) {
      c.window = window;
      c.value = 0;
    }
    c.expiresAt = l.windowEnd(now);
    return c;
  }
}
