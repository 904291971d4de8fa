package dev.switchboard.select;

import dev.switchboard.bus.Addresses;
import dev.switchboard.bus.Batcher;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.metrics.GatewayMetrics;
import dev.switchboard.store.Channel;
import dev.switchboard.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the pool state: loads channels and keys from the store, folds outcomes into health and
 * measurements, and publishes an immutable {@link PoolSnapshot}: at once when a bench changes,
 * at most every {@link #MEASURE_PUBLISH_MS} for latency and quota. The only writer.
 */
public final class SelectorVerticle extends VerticleBase {

  static final long MEASURE_PUBLISH_MS = 500;
  private static final Logger log = LoggerFactory.getLogger(SelectorVerticle.class);

  private final Store store;
  private final Health health;
  private final RouteConfig routes;
  private final GatewayMetrics metrics;
  private final Telemetry.Book book = new Telemetry.Book();
  private final SwitchboardConfig.Routing routing;
  private ActiveChecks checks;
  private PoolSnapshot snapshot = PoolSnapshot.empty();
  private boolean measured;

  public SelectorVerticle(Store store, SwitchboardConfig.Routing routing) {
    this(store, routing, RouteConfig.NONE, null);
  }

  public SelectorVerticle(Store store, SwitchboardConfig.Routing routing, RouteConfig routes, GatewayMetrics metrics) {
    this.store = store;
    this.routing = routing;
    this.routes = routes;
    this.metrics = metrics;
    this.health = new Health(routing, to -> {
      if (metrics != null) metrics.healthTransition(to);
    });
  }

  @Override
  public Future<?> start() {
    var bus = vertx.eventBus();
    bus.<Object>localConsumer(Addresses.POOL_CURRENT, msg -> msg.reply(snapshot));
    bus.<Object>localConsumer(Addresses.POOL_OUTCOME, msg -> Batcher.forEach(msg.body(), body -> {
      if (body instanceof Outcome o) onOutcome(o);
      else if (body instanceof Spend s) onSpend(s);
    }));
    bus.<Object>localConsumer(Addresses.POOL_RELOAD, msg -> reload().onComplete(ar -> {
      if (ar.succeeded()) msg.reply(snapshot);
      else msg.fail(500, "reload failed");
    }));
    vertx.setPeriodic(MEASURE_PUBLISH_MS, id -> {
      health.sweep(System.currentTimeMillis());
      if (measured) publish(snapshot.with(snapshot.version() + 1, health.benches(), book.freeze()));
    });
    if (routing.healthCheckIntervalMs() > 0) {
      checks = new ActiveChecks(vertx, routing.connectTimeoutMs(), routing.firstByteTimeoutMs(), ActiveChecks.OPENAI_MODELS);
      vertx.setPeriodic(routing.healthCheckIntervalMs(), id -> checks.run(snapshot, System.currentTimeMillis(), this::onProbe));
    }
    return reload();
  }

  @Override
  public Future<?> stop() {
    return checks == null ? Future.succeededFuture() : checks.close();
  }

  /** An active check's answer: health only (a model listing's latency says nothing about a model's). */
  private void onProbe(Outcome outcome) {
    if (health.apply(outcome, System.currentTimeMillis())) {
      publish(snapshot.with(snapshot.version() + 1, health.benches(), book.freeze()));
    }
  }

  private Future<PoolSnapshot> reload() {
    return Future.all(store.channels(), store.clientKeys()).map(all -> {
      List<Channel> channels = all.resultAt(0);
      channels.forEach(ch -> book.quota(ch.id(), routes.channel(ch.name()).quota()));
      PoolSnapshot next = PoolSnapshot.of(snapshot.version() + 1, channels, all.resultAt(1), routes, health.benches(), book.freeze());
      publish(next);
      log.debug("pool loaded: {} channels, {} keys, {} models", next.channelCount(), next.keyCount(), next.models().size());
      return next;
    });
  }

  private void onOutcome(Outcome outcome) {
    book.apply(outcome);
    measured = true;
    if (health.apply(outcome, System.currentTimeMillis())) {
      publish(snapshot.with(snapshot.version() + 1, health.benches(), book.freeze()));
    }
  }

  private void onSpend(Spend spend) {
    if (book.spend(spend)) measured = true;
  }

  private void publish(PoolSnapshot next) {
    snapshot = next;
    measured = false;
    if (metrics != null) {
      Map<Bench.State, Integer> counts = new EnumMap<>(Bench.State.class);
      for (Bench.State s : Bench.State.values()) counts.put(s, 0);
      long now = System.currentTimeMillis();
      health.benches().values().forEach(list -> list.forEach(b -> {
        if (b.until() > now || b.wantsProbe(now)) counts.merge(b.state(), 1, Integer::sum);
      }));
      counts.forEach((s, n) -> metrics.benched(s.name().toLowerCase(), n));
    }
    vertx.eventBus().publish(Addresses.POOL_SNAPSHOT, next);
  }
}
