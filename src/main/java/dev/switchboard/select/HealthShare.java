package dev.switchboard.select;

import dev.switchboard.config.SwitchboardConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Consumer;

/**
 * Health shared by the gateway instances of one deployment: {@link #none()} keeps it per
 * instance; {@link #redis} stores every bench in Redis (with an expiry matching the bench) and
 * publishes it, so every instance benches the same credentials and a new one starts with them.
 * Nothing here may block or fail a client request: when Redis is down or slow each instance
 * goes on with its own health.
 */
public interface HealthShare {

  /**
   * Starts listening to the other instances; their events reach {@code onPeer} on the caller's
   * context. Completes, never failing and without waiting long, with the benches stored now.
   */
  Future<List<BenchEvent>> start(Vertx vertx, Consumer<BenchEvent> onPeer);

  /** Stores and publishes a transition of this instance's, in the background. */
  void publish(BenchEvent event, long now);

  /**
   * Claims the one probe of a half-open bench across instances for {@code ttlMs}; true when this
   * instance may send it (also when Redis does not answer in time: a probe too many is harmless).
   */
  Future<Boolean> claimProbe(Bench bench, long ttlMs);

  Future<Void> close();

  static HealthShare none() {
    return None.INSTANCE;
  }

  /** In Redis when {@code redis.url} is set, under {@code redis.prefix}; else none. */
  static HealthShare create(Vertx vertx, SwitchboardConfig config) {
    if (config.redis().url() == null) return none();
    return new RedisHealthShare(vertx, config.redis().url(), config.redis().prefix(), config.routing().maxCooldownMs());
  }

  /** Health per instance. */
  enum None implements HealthShare {
    INSTANCE;

    @Override
    public Future<List<BenchEvent>> start(Vertx vertx, Consumer<BenchEvent> onPeer) {
      return Future.succeededFuture(List.of());
    }

    @Override
    public void publish(BenchEvent event, long now) {}

    @Override
    public Future<Boolean> claimProbe(Bench bench, long ttlMs) {
      return Future.succeededFuture(true);
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }
}
