package dev.switchboard.admin;

import dev.switchboard.store.KeyHash;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LoginLimiter} in Redis: per key a failure counter that expires with its window and a
 * lock that expires with the lockout, both set in one script so instances never interleave.
 * Keys are named by the SHA-256 of the username or address, never the value itself. While Redis
 * does not answer, this instance counts in memory instead (logged), rather than refusing every
 * login or dropping the limit.
 */
final class RedisLoginLimiter implements LoginLimiter {

  /** KEYS: counter, lock. ARGV: max attempts, window ms, lockout ms. */
  static final String FAILURE = """
      local n = redis.call('INCR', KEYS[1])
      if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
      if n >= tonumber(ARGV[1]) then redis.call('SET', KEYS[2], '1', 'PX', ARGV[3]) end
      return n
      """;

  private static final Logger LOG = LoggerFactory.getLogger(RedisLoginLimiter.class);

  private final Redis client;
  private final LoginLimiter fallback;
  private final String prefix;
  private final int maxAttempts;
  private final long windowMs;
  private final long lockoutMs;

  RedisLoginLimiter(Redis client, String prefix, int maxAttempts, long windowMs, long lockoutMs) {
    this.client = client;
    this.prefix = prefix;
    this.maxAttempts = maxAttempts;
    this.windowMs = windowMs;
    this.lockoutMs = lockoutMs;
    this.fallback = new LocalLoginLimiter(maxAttempts, windowMs, lockoutMs);
  }

  private <T> Future<T> orLocal(Future<T> shared, Supplier<Future<T>> local) {
    return shared.recover(err -> {
      LOG.warn("login attempts: Redis did not answer ({}); counting on this instance only", err.getMessage());
      return local.get();
    });
  }

  private String counter(String key) {
    return prefix + "fail:" + KeyHash.sha256Hex(key);
  }

  private String lock(String key) {
    return prefix + "lock:" + KeyHash.sha256Hex(key);
  }

  @Override
  public Future<Long> lockedFor(String key, long now) {
    return orLocal(client.send(Request.cmd(Command.PTTL).arg(lock(key))).map(RedisLoginLimiter::remaining),
        () -> fallback.lockedFor(key, now));
  }

  private static long remaining(Response ttl) {
    // -2: no lock, -1: a lock without expiry (never set by this class)
    long ms = ttl == null ? -2 : ttl.toLong();
    return ms > 0 ? ms : 0;
  }

  @Override
  public Future<Void> failure(String key, long now) {
    return orLocal(client.send(Request.cmd(Command.EVAL).arg(FAILURE).arg(2).arg(counter(key)).arg(lock(key))
        .arg(maxAttempts).arg(windowMs).arg(lockoutMs)).mapEmpty(), () -> fallback.failure(key, now));
  }

  @Override
  public Future<Void> success(String key) {
    fallback.success(key);
    return orLocal(client.send(Request.cmd(Command.DEL).arg(counter(key)).arg(lock(key))).mapEmpty(), Future::succeededFuture);
  }
}
