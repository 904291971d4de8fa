package dev.switchboard.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Tells the other gateway instances that the management API changed something they hold in
 * memory (pool snapshot, key cache, price book), so they read it again from the shared database.
 * {@link #none()} for a single instance; {@link #redis} over a Redis pub/sub channel when
 * {@code redis.url} is set. A notice names only what changed, never a value.
 */
public interface ChangeNotices {

  /** Fire and forget: a notice that could not be sent is logged; the change itself is already stored. */
  void announce(String what);

  Future<Void> close();

  static ChangeNotices none() {
    return None.INSTANCE;
  }

  /**
   * Publishes on {@code <prefix>changes} and subscribes to it; a notice from another instance,
   * and every re-subscription after the Redis connection was lost, runs {@code reload} on this
   * one. Completes once the first subscription was tried (a Redis that is down is retried).
   */
  static Future<ChangeNotices> redis(Vertx vertx, String url, String prefix, Runnable reload) {
    RedisChangeNotices notices = new RedisChangeNotices(vertx, url, prefix + "changes", reload);
    return notices.start().map(notices);
  }

  enum None implements ChangeNotices {
    INSTANCE;

    @Override
    public void announce(String what) {}

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }
}
