package dev.switchboard.admin;

import io.vertx.core.Future;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link LoginLimiter} in this instance's memory. Thread-safe, shared by every listener;
 * bounded by dropping stale entries when it grows.
 */
final class LocalLoginLimiter implements LoginLimiter {

  private static final int MAX_ENTRIES = 100_000;

  private record Entry(int failures, long windowStart, long lockedUntil) {}

  private final int maxAttempts;
  private final long windowMs;
  private final long lockoutMs;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  LocalLoginLimiter(int maxAttempts, long windowMs, long lockoutMs) {
    this.maxAttempts = maxAttempts;
    this.windowMs = windowMs;
    this.lockoutMs = lockoutMs;
  }

  @Override
  public Future<Long> lockedFor(String key, long now) {
    Entry e = entries.get(key);
    return Future.succeededFuture(e == null || e.lockedUntil() <= now ? 0 : e.lockedUntil() - now);
  }

  @Override
  public Future<Void> failure(String key, long now) {
    if (entries.size() > MAX_ENTRIES) {
      entries.values().removeIf(e -> e.lockedUntil() <= now && e.windowStart() + windowMs <= now);
    }
    entries.compute(key, (k, e) -> {
      if (e == null || e.windowStart() + windowMs <= now) {
        e = new Entry(0, now, 0);
      }
      int failures = e.failures() + 1;
      return new Entry(failures, e.windowStart(), failures >= maxAttempts ? now + lockoutMs : e.lockedUntil());
    });
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> success(String key) {
    entries.remove(key);
    return Future.succeededFuture();
  }
}
