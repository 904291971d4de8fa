package dev.switchboard.affinity;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;

/**
 * Session key → the target (credential) it is bound to, per exposed model, with a TTL that each
 * bind renews. The edge asks before picking and passes the answer to
 * {@code PoolSnapshot.pick(model, tried, now, target)}, which uses it only while it is usable;
 * after a success it binds the lease's target (a re-bind when the old one was skipped).
 */
public interface SessionAffinity {

  /** The bound target, or 0 when none (or expired). Never fails: a broken store means no binding. */
  Future<Long> target(String model, String sessionKey, long nowMs);

  Future<Void> bind(String model, String sessionKey, long target, long ttlMs, long nowMs);

  Future<Void> close();

  /** In memory, for one instance; at most {@code maxEntries} live bindings (then new sessions are not bound). */
  static SessionAffinity local(int maxEntries) {
    return new LocalAffinity(maxEntries);
  }

  /** In Redis under {@code prefix}: shared by instances, and kept across restarts. */
  static SessionAffinity redis(Redis client, String prefix) {
    return new RedisAffinity(client, prefix);
  }
}
