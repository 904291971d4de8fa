package dev.switchboard.admin;

import dev.switchboard.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the selector to rebuild its pool snapshot from the store after a channel or key change,
 * and waits for it, so a change is in force when its call answers. The change itself is already
 * stored: a failed reload is logged, not reported to the caller as a failed change.
 */
final class PoolReload {

  private static final Logger LOG = LoggerFactory.getLogger(PoolReload.class);

  private final Vertx vertx;

  PoolReload(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<Void> reload() {
    return vertx.eventBus().request(Addresses.POOL_RELOAD, "reload").<Void>mapEmpty()
        .recover(err -> {
          LOG.warn("pool reload after a management change failed: {}", err.getMessage());
          return Future.succeededFuture();
        });
  }
}
