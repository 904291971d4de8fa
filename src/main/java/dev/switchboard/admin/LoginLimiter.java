package dev.switchboard.admin;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;

/**
 * Failed-login counting per key (a username or a client address): {@code maxAttempts} failures
 * within {@code windowMs} lock the key for {@code lockoutMs}. {@link #local} counts in this
 * instance's memory; {@link #redis} in Redis, so a lockout holds on every instance sharing it.
 */
interface LoginLimiter {

  /** Milliseconds until {@code key} may try again; 0 when it may now. */
  Future<Long> lockedFor(String key, long now);

  Future<Void> failure(String key, long now);

  Future<Void> success(String key);

  static LoginLimiter local(int maxAttempts, long windowMs, long lockoutMs) {
    return new LocalLoginLimiter(maxAttempts, windowMs, lockoutMs);
  }

  static LoginLimiter redis(Redis client, String prefix, int maxAttempts, long windowMs, long lockoutMs) {
    return new RedisLoginLimiter(client, prefix, maxAttempts, windowMs, lockoutMs);
  }
}
