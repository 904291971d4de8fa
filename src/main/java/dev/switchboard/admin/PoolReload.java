package dev.switchboard.admin;

import dev.switchboard.bus.Addresses;
import dev.switchboard.cluster.ChangeNotices;
import dev.switchboard.select.PoolSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talks to the selector: reads its current pool snapshot, and asks it to rebuild its pool snapshot from the store after a channel or key change,
 * and waits for it, so a change is in force when its call answers. The change itself is already
 * stored: a failed reload is logged, not reported to the caller as a failed change. Every change
 * is also announced to the other instances ({@link ChangeNotices}), which reload on their side.
 */
final class PoolReload {

  private static final Logger LOG = LoggerFactory.getLogger(PoolReload.class);

  private final Vertx vertx;
  private final ChangeNotices notices;

  PoolReload(Vertx vertx, ChangeNotices notices) {
    this.vertx = vertx;
    this.notices = notices;
  }

  /** Tells the other instances that {@code what} changed (prices, settings: nothing to reload here first). */
  void announce(String what) {
    notices.announce(what);
  }

  /** The selector's current snapshot, asked for as an edge asks at start ({@code switchboard.pool.current}). */
  Future<PoolSnapshot> current() {
    return vertx.eventBus().<PoolSnapshot>request(Addresses.POOL_CURRENT, "current").map(msg -> msg.body());
  }

  /**
   * Zeroes a used quota ({@code {"channel": id}} or {@code {"credential": id}}) through the
   * selector, which forgets it and deletes it from the store; then announces it, so the other
   * instances read the sums back with their reload. Unlike a reload, a failure is the caller's.
   */
  Future<Void> resetQuota(io.vertx.core.json.JsonObject which) {
    return vertx.eventBus().request(Addresses.POOL_QUOTA_RESET, which).<Void>mapEmpty()
        .compose(v -> reload());
  }

  Future<Void> reload() {
    notices.announce("pool");
    return vertx.eventBus().request(Addresses.POOL_RELOAD, "reload").<Void>mapEmpty()
        .recover(err -> {
          LOG.warn("pool reload after a management change failed: {}", err.getMessage());
          return Future.succeededFuture();
        });
  }
}
