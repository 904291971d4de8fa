package dev.switchboard.select;

import dev.switchboard.bus.Addresses;
import dev.switchboard.bus.Batcher;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.metrics.GatewayMetrics;
import dev.switchboard.store.Channel;
import dev.switchboard.store.ChannelSpend;
import dev.switchboard.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the pool state: loads channels, keys and the groups and aliases made over the API from
 * the store, folds outcomes into health and
 * measurements, and publishes an immutable {@link PoolSnapshot}: at once when a bench changes,
 * at most every {@link #MEASURE_PUBLISH_MS} for latency and quota. The only writer. What
 * channels with a quota spend is added to the store in one batch every {@link #SPEND_SAVE_MS}
 * (and on stop), then the sums of every instance are read back, so quotas survive a restart
 * and are shared.
 */
public final class SelectorVerticle extends VerticleBase {

  static final long MEASURE_PUBLISH_MS = 500;
  static final long SPEND_SAVE_MS = 5_000;
  private static final Logger log = LoggerFactory.getLogger(SelectorVerticle.class);

  private final Store store;
  private final Health health;
  private final HealthShare share;
  /** The file's routing configuration; replaced by a configuration reload. */
  private final Supplier<RouteConfig> routes;
  private final GatewayMetrics metrics;
  private final Telemetry.Book book = new Telemetry.Book();
  private final SwitchboardConfig.Routing routing;
  private ActiveChecks checks;
  private PoolSnapshot snapshot = PoolSnapshot.empty();
  private boolean measured;
  private Future<Void> savingSpend = Future.succeededFuture();
  private boolean spendFailing;

  public SelectorVerticle(Store store, SwitchboardConfig.Routing routing) {
    this(store, routing, RouteConfig.NONE, null);
  }

  public SelectorVerticle(Store store, SwitchboardConfig.Routing routing, RouteConfig routes, GatewayMetrics metrics) {
    this(store, routing, () -> routes, metrics, HealthShare.none());
  }

  /** With {@code share}, benches are shared with the other instances of the deployment (through Redis). */
  public SelectorVerticle(Store store, SwitchboardConfig.Routing routing, Supplier<RouteConfig> routes, GatewayMetrics metrics,
      HealthShare share) {
    this.store = store;
    this.routing = routing;
    this.routes = routes;
    this.metrics = metrics;
    this.share = share;
    this.health = new Health(routing, to -> {
      if (metrics != null) metrics.healthTransition(to);
    }, to -> {
      if (metrics != null) metrics.peerHealthTransition(to);
    }, event -> share.publish(event, System.currentTimeMillis()));
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
      if (ar.succeeded()) {
        msg.reply(snapshot);
      } else {
        log.warn("pool reload failed, the previous pool stays in force: {}", String.valueOf(ar.cause()));
        msg.fail(500, "reload failed");
      }
    }));
    vertx.setPeriodic(MEASURE_PUBLISH_MS, id -> {
      health.sweep(System.currentTimeMillis());
      if (measured) publish(snapshot.with(snapshot.version() + 1, health.benches(), book.freeze()));
    });
    if (routing.healthCheckIntervalMs() > 0) {
      checks = new ActiveChecks(vertx, routing.connectTimeoutMs(), routing.firstByteTimeoutMs(), ActiveChecks.OPENAI_MODELS, share);
      vertx.setPeriodic(routing.healthCheckIntervalMs(), id -> checks.run(snapshot, System.currentTimeMillis(), this::onProbe));
    }
    vertx.setPeriodic(SPEND_SAVE_MS, id -> saveSpend());
    // quotas come from the configuration: without any, there is nothing stored to read
    Future<Void> spend = reload().compose(p -> !book.hasQuotas() ? Future.succeededFuture() : store.channelSpend().map(totals -> {
      book.stored(totals);
      publish(snapshot.with(snapshot.version() + 1, health.benches(), book.freeze()));
      return null;
    }));
    // the benches other instances set before this one started, then theirs as they happen
    return spend.compose(v -> share.start(vertx, this::onPeer)).onSuccess(stored -> {
      long now = System.currentTimeMillis();
      boolean changed = false;
      for (BenchEvent e : stored) changed |= health.applyPeer(e, now);
      if (changed) publish(snapshot.with(snapshot.version() + 1, health.benches(), book.freeze()));
    });
  }

  @Override
  public Future<?> stop() {
    // after a batch in flight, one more for what came since
    Future<Void> saved = savingSpend.transform(ar -> saveSpend()).recover(err -> Future.succeededFuture());
    return checks == null ? saved : saved.compose(v -> checks.close());
  }

  /** One batch of what was spent since the last, then everyone's sums; a failed batch waits for the next. */
  private Future<Void> saveSpend() {
    if (!savingSpend.isComplete()) return savingSpend;
    List<ChannelSpend> batch = book.takeUnsaved().stream()
        .filter(s -> snapshot.hasChannel(s.channelId())).toList(); // a deleted channel's spend goes with it
    if (batch.isEmpty()) return savingSpend = Future.succeededFuture();
    savingSpend = store.addChannelSpend(batch)
        .onFailure(err -> {
          book.unsavedAgain(batch);
          if (!spendFailing) log.warn("saving channel spend failed, retrying: {}", err.getMessage());
          spendFailing = true;
        })
        .compose(v -> {
          spendFailing = false;
          return store.channelSpend();
        })
        .map(totals -> {
          book.stored(totals);
          measured = true;
          return null;
        });
    return savingSpend;
  }

  /** An active check's answer: health only (a model listing's latency says nothing about a model's). */
  private void onProbe(Outcome outcome) {
    if (health.apply(outcome, System.currentTimeMillis())) {
      publish(snapshot.with(snapshot.version() + 1, health.benches(), book.freeze()));
    }
  }

  private Future<PoolSnapshot> reload() {
    RouteConfig declared = routes.get();
    return Future.all(store.channels(), store.clientKeys(), store.admin().groups(), store.admin().aliases()).map(all -> {
      List<Channel> channels = all.resultAt(0);
      channels.forEach(ch -> book.quota(ch.id(), declared.channel(ch.name()).quota(), declared.channel(ch.name()).costQuotaNanos()));
      RouteConfig config = StoredRoutes.merge(declared, all.resultAt(2), all.resultAt(3), channels);
      PoolSnapshot next = PoolSnapshot.of(snapshot.version() + 1, channels, all.resultAt(1), config, health.benches(), book.freeze());
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

  private void onPeer(BenchEvent event) {
    if (health.applyPeer(event, System.currentTimeMillis())) {
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
