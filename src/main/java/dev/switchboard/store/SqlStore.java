package dev.switchboard.store;

import dev.switchboard.config.SwitchboardConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

final class SqlStore {
  static Future<Store> open(Vertx vertx, SwitchboardConfig.Database config, SecretBox secrets) {
    return Future.failedFuture("TODO");
  }
}
