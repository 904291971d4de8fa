package dev.switchboard.select;

import dev.switchboard.bus.Addresses;
import dev.switchboard.bus.Batcher;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.metrics.GatewayMetrics;
import dev.switchboard.store.Channel;
import dev.switchboard.store.ChannelSpend;
import dev.switchboard.store.CredentialSpend;
import dev.switchboard.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
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
 * channels and credentials with a quota spend is added to the store in one batch every
 * {@link #SPEND_SAVE_MS} (and on stop), then the sums of every instance are read back, so quotas
 * survive a restart and are shared; a reload reads them back too, so a quota reset on another
 * instance applies here with its change notice. A reset ({@code POOL_QUOTA_RESET}) goes through
 * here, the one writer of spend, so no batch in flight brings back what it forgot.
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
    bus.<JsonObject>localConsumer(Addresses.POOL_QUOTA_RESET, msg -> resetQuota(msg.body()).onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(snapshot);
      } else {
        log.warn("quota reset failed: {}", String.valueOf(ar.cause()));
        msg.fail(500, "reset failed");
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
    Future<PoolSnapshot> spend = reload();
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
    // a deleted channel's or credential's spend goes with it
    List<ChannelSpend> batch = book.takeUnsaved().stream().filter(s -> snapshot.hasChannel(s.channelId())).toList();
    List<CredentialSpend> credentials = book.takeUnsavedCredentials().stream()
        .filter(s -> snapshot.hasCredential(s.credentialId())).toList();
    if (batch.isEmpty() && credentials.isEmpty()) return savingSpend = Future.succeededFuture();
    savingSpend = store.addChannelSpend(batch)
        .onFailure(err -> {
          book.unsavedAgain(batch);
          book.unsavedCredentialsAgain(credentials);
        })
        .compose(v -> store.addCredentialSpend(credentials).onFailure(err -> book.unsavedCredentialsAgain(credentials)))
        .onFailure(err -> {
          if (!spendFailing) log.warn("saving channel and credential spend failed, retrying: {}", err.getMessage());
          spendFailing = true;
        })
        .compose(v -> {
          spendFailing = false;
          return readSpend();
        })
        .map(v -> {
          measured = true;
          return null;
        });
    return savingSpend;
  }

  /** Everyone's sums into the book (nothing to read while nothing has a quota). */
  private Future<Void> readSpend() {
    if (!book.hasQuotas()) return Future.succeededFuture();
    return Future.all(store.channelSpend(), store.credentialSpend()).map(all -> {
      book.stored(all.resultAt(0));
      book.storedCredentials(all.resultAt(1));
      return null;
    });
  }

  /**
   * Zeroes what a channel ({@code {"channel": id}}) or credential ({@code {"credential": id}})
   * has used: here at once, in the store after the batch in flight, then everyone's sums again.
   */
  private Future<Void> resetQuota(JsonObject which) {
    Long channel = which.getLong("channel");
    Long credential = which.getLong("credential");
    if (channel != null) book.resetChannel(channel);
    if (credential != null) book.resetCredential(credential);
    publish(snapshot.with(snapshot.version() + 1, health.benches(), book.freeze()));
    // no batch starts until the store has forgotten too
    Future<Void> reset = savingSpend.transform(ar -> {
      if (channel != null) book.resetChannel(channel); // what a failed batch gave back, or its read-back brought
      if (credential != null) book.resetCredential(credential);
      return channel != null ? store.resetChannelSpend(channel) : store.resetCredentialSpend(credential);
    }).compose(v -> readSpend()).onSuccess(v -> publish(snapshot.with(snapshot.version() + 1, health.benches(), book.freeze())));
    savingSpend = reset;
    return reset;
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
      book.clearQuotas();
      for (Channel ch : channels) {
        // a YAML channel's rules, else what was set over the API
        var rules = declared.channel(ch.name());
        book.quota(ch.id(), rules.quota() >= 0 ? rules.quota() : ch.quota(),
            rules.costQuotaNanos() >= 0 ? rules.costQuotaNanos() : ch.costQuotaNanos());
        ch.credentials().forEach(cred -> book.credentialQuota(cred.id(), cred.quota(), cred.costQuotaNanos()));
      }
      RouteConfig config = StoredRoutes.merge(declared, all.resultAt(2), all.resultAt(3), channels);
      PoolSnapshot next = PoolSnapshot.of(snapshot.version() + 1, channels, all.resultAt(1), config, health.benches(), book.freeze());
      publish(next);
      log.debug("pool loaded: {} channels, {} keys, {} models", next.channelCount(), next.keyCount(), next.models().size());
      return next;
    }).compose(next -> savingSpend.transform(ar -> readSpend()).recover(err -> {
      log.warn("reading channel and credential spend failed, quotas count this instance's only until the next batch: {}",
          err.getMessage());
      return Future.succeededFuture();
    }).map(v -> {
      // what is left as every instance stored it (a reset elsewhere included)
      publish(snapshot.with(snapshot.version() + 1, health.benches(), book.freeze()));
      return snapshot;
    }));
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
