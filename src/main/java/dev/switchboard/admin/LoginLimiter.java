package dev.switchboard.admin;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed-login counting per key (a username or a client address): {@code maxAttempts} failures
 * within {@code windowMs} lock the key for {@code lockoutMs}. Thread-safe, shared by every
 * listener; bounded by dropping stale entries when it grows.
 */
final class LoginLimiter {

  private static final int MAX_ENTRIES = 100_000;

  private record Entry(int failures, long windowStart, long lockedUntil) {}

  private final int maxAttempts;
  private final long windowMs;
  private final long lockoutMs;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  LoginLimiter(int maxAttempts, long windowMs, long lockoutMs) {
    this.maxAttempts = maxAttempts;
    this.windowMs = windowMs;
    this.lockoutMs = lockoutMs;
  }

  /** Milliseconds until {@code key} may try again; 0 when it may now. */
  long lockedFor(String key, long now) {
    Entry e = entries.get(key);
    return e == null || e.lockedUntil() <= now ? 0 : e.lockedUntil() - now;
  }

  void failure(String key, long now) {
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
  }

  void success(String key) {
    entries.remove(key);
  }
}
