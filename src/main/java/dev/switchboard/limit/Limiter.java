package dev.switchboard.limit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.util.List;

/**
 * Exact counters with caps, shared by whoever shares the implementation: {@link #local()} for
 * one gateway instance (lost on restart unless {@link #seed seeded}), {@link #redis} for several instances and for counters
 * that survive a restart (one Lua script per call, atomic across instances).
 */
public interface Limiter {

  /** Checks every limit and, only if all admit, counts this request against each (all or nothing). */
  Future<Admission> acquire(List<Limit> limits, long nowMs);

  /** Adds consumed units (tokens, cost micro-units) to the {@code UNITS} limits among these. */
  Future<Void> add(List<Limit> limits, long amount, long nowMs);

  /** Gives back the {@code CONCURRENT} slots an admitted {@link #acquire} took. */
  Future<Void> release(List<Limit> limits);

  /**
   * Sets the counter {@code key} (a {@link Limit#key()}) for the window from {@code windowStart}
   * to {@code windowEnd} to at least {@code value}: what the database says was used before this
   * instance started. Only the in-memory counters need it; Redis keeps its own across restarts.
   */
  default void seed(String key, long windowStart, long windowEnd, long value) {}

  Future<Void> close();

  static Limiter local() {
    return new LocalLimiter();
  }

  /**
   * Counters under {@code prefix} in the Redis at {@code url}, over a small connection pool
   * whose wait queue holds a burst (Vert.x's default of 24 waiters would fail under load).
   */
  static Limiter redis(Vertx vertx, String url, String prefix) {
    return redis(Redis.createClient(vertx, redisOptions(url)), prefix);
  }

  static RedisOptions redisOptions(String url) {
    return new RedisOptions().setConnectionString(url).setMaxPoolSize(8).setMaxPoolWaiting(100_000);
  }

  /** Counters under {@code prefix} in the Redis the client talks to. */
  static Limiter redis(Redis client, String prefix) {
    return new RedisLimiter(client, prefix);
  }
}
