package dev.switchboard.stats;

import dev.switchboard.bus.Addresses;
import dev.switchboard.bus.Batcher;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.metrics.GatewayMetrics;
import dev.switchboard.pricing.Cost;
import dev.switchboard.pricing.Pricing;
import dev.switchboard.store.Store;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers usage records in a bounded queue and writes them in batches, on an interval or when
 * a batch is full. A failed write is retried with backoff while the records stay queued; what
 * a full queue cannot hold is dropped and counted. Stopping flushes everything still queued.
 *
 * <p>A record is priced as it arrives (unless the edge already priced it) with the prices in
 * effect at its time, and fed to the GenAI meters. With {@code stats.retentionDays} set, records
 * older than that are deleted every hour; with {@code stats.rollupRetentionDays}, the hourly
 * rollups of hours older than that.
 */
public final class StatsVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(StatsVerticle.class);
  private static final long MAX_BACKOFF_MS = 30_000;
  private static final long RETENTION_EVERY_MS = 3_600_000;
  private static final long DAY_MS = 86_400_000;

  private final Store store;
  private final SwitchboardConfig.Stats config;
  private final Pricing pricing;
  private final GatewayMetrics metrics;
  private final ArrayDeque<UsageRecord> queue = new ArrayDeque<>();
  private final Counter written;
  private final Counter dropped;
  private final Counter failedWrites;
  private Future<Void> writing = Future.succeededFuture();
  private boolean flushing;
  private long backoffMs;
  private long timer = -1;
  private long retentionTimer = -1;

  /** Without pricing or GenAI meters: records are written as they come. */
  public StatsVerticle(Store store, SwitchboardConfig.Stats config, MeterRegistry registry) {
    this(store, config, registry, Pricing.NONE, null);
  }

  public StatsVerticle(Store store, SwitchboardConfig.Stats config, GatewayMetrics metrics, Pricing pricing) {
    this(store, config, metrics.registry(), pricing, metrics);
  }

  private StatsVerticle(Store store, SwitchboardConfig.Stats config, MeterRegistry registry, Pricing pricing,
      GatewayMetrics metrics) {
    this.store = store;
    this.config = config;
    this.pricing = pricing;
    this.metrics = metrics;
    this.written = Counter.builder("switchboard_usage_records_written_total").register(registry);
    this.dropped = Counter.builder("switchboard_usage_records_dropped_total")
        .description("Usage records dropped because the queue was full").register(registry);
    this.failedWrites = Counter.builder("switchboard_usage_write_failures_total").register(registry);
    Gauge.builder("switchboard_usage_queue_size", queue, ArrayDeque::size).register(registry);
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().<Object>localConsumer(Addresses.USAGE, msg -> Batcher.forEach(msg.body(), r -> offer((UsageRecord) r)));
    vertx.eventBus().<Object>localConsumer(Addresses.USAGE_FLUSH, msg -> flushAll().onComplete(ar -> {
      if (ar.succeeded()) msg.reply(ar.result());
      else msg.fail(500, "flush failed");
    }));
    schedule(config.flushIntervalMs());
    if (config.retentionDays() > 0 || config.rollupRetentionDays() > 0) {
      vertx.runOnContext(v -> applyRetention());
      retentionTimer = vertx.setPeriodic(RETENTION_EVERY_MS, id -> applyRetention());
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    vertx.cancelTimer(retentionTimer);
    return flushAll().onSuccess(n -> log.info("stats flushed on stop: {} records written in total", (long) written.count()));
  }

  private void offer(UsageRecord reported) {
    if (queue.size() >= config.queueCapacity()) {
      dropped.increment();
      return;
    }
    UsageRecord record = price(reported);
    queue.add(record);
    // only a request some channel served has a configured model: labels stay bounded
    if (metrics != null && record.channelId() != 0 && record.model() != null) {
      metrics.genAiUsage(operation(record.route()), record.model(), record.status() < 400, record.inputTokens(),
          record.outputTokens(), record.latencyMs(), record.streamed() ? record.ttftMs() : -1,
          record.priced() ? record.costNanos() : 0);
    }
    if (queue.size() >= config.batchSize() && backoffMs == 0) {
      writeBatch();
    }
  }

  /** The GenAI operation name of a route: a fixed, small set. */
  private static String operation(String route) {
    return route != null && route.contains("embed") ? "embeddings" : "chat";
  }

  /** Prices by the upstream's model name, else the client's; a record no level prices stays unpriced. */
  private UsageRecord price(UsageRecord r) {
    if (r.priced() || r.channelId() == 0) return r;
    try {
      Usage usage = r.usage();
      Optional<Cost> cost = pricing.cost(r.channelId(), r.pricedModel(), usage, r.timestampMs());
      if (cost.isEmpty() && r.model() != null && !r.model().equals(r.pricedModel())) {
        cost = pricing.cost(r.channelId(), r.model(), usage, r.timestampMs());
      }
      return cost.map(c -> r.withCost(c.nanos(), c.priceVersion())).orElse(r);
    } catch (RuntimeException e) {
      log.warn("pricing request {} failed, stored without a cost: {}", r.requestId(), e.toString());
      return r;
    }
  }

  private void applyRetention() {
    if (config.rollupRetentionDays() > 0) {
      long before = System.currentTimeMillis() - config.rollupRetentionDays() * DAY_MS;
      store.deleteRollupsBefore(before).onComplete(ar -> {
        if (ar.failed()) {
          log.warn("deleting usage rollups older than {} days failed: {}", config.rollupRetentionDays(), ar.cause().getMessage());
        } else if (ar.result() > 0) {
          log.info("deleted {} hourly usage rollups older than {} days", ar.result(), config.rollupRetentionDays());
        }
      });
    }
    if (config.retentionDays() <= 0) return;
    long cutoff = System.currentTimeMillis() - config.retentionDays() * DAY_MS;
    store.deleteUsageBefore(cutoff).onComplete(ar -> {
      if (ar.failed()) {
        log.warn("deleting usage records older than {} days failed: {}", config.retentionDays(), ar.cause().getMessage());
      } else if (ar.result() > 0) {
        log.info("deleted {} usage records older than {} days", ar.result(), config.retentionDays());
      }
    });
  }

  private void schedule(long delayMs) {
    timer = vertx.setTimer(delayMs, id -> {
      if (!queue.isEmpty()) writeBatch();
      schedule(backoffMs > 0 ? backoffMs : config.flushIntervalMs());
    });
  }

  /** Starts one batch write if none is running; the chain keeps writes in order. */
  private Future<Void> writeBatch() {
    if (flushing) return writing;
    flushing = true;
    List<UsageRecord> batch = new ArrayList<>(Math.min(queue.size(), config.batchSize()));
    for (UsageRecord r : queue) {
      if (batch.size() == config.batchSize()) break;
      batch.add(r);
    }
    writing = store.insertUsage(batch).andThen(ar -> {
      flushing = false;
      if (ar.succeeded()) {
        for (int i = 0; i < batch.size(); i++) queue.poll();
        written.increment(batch.size());
        backoffMs = 0;
        if (queue.size() >= config.batchSize()) writeBatch();
      } else {
        failedWrites.increment();
        backoffMs = backoffMs == 0 ? 250 : Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        log.warn("writing {} usage records failed, retrying in {} ms: {}", batch.size(), backoffMs, ar.cause().getMessage());
      }
    });
    return writing;
  }

  /** Writes until the queue is empty; gives up after repeated failures so stop cannot hang forever. */
  private Future<Long> flushAll() {
    Promise<Long> done = Promise.promise();
    flushLoop(done, 0, (long) written.count());
    return done.future();
  }

  private void flushLoop(Promise<Long> done, int failures, long before) {
    if (queue.isEmpty() && !flushing) {
      done.complete((long) written.count() - before);
      return;
    }
    (flushing ? writing : writeBatch()).onComplete(ar -> {
      int f = ar.succeeded() ? 0 : failures + 1;
      if (f >= 5) {
        log.error("giving up flushing {} usage records after {} failed writes", queue.size(), f);
        dropped.increment(queue.size());
        queue.clear();
        done.complete((long) written.count() - before);
      } else if (f > 0) {
        vertx.setTimer(backoffMs, id -> flushLoop(done, f, before));
      } else {
        flushLoop(done, 0, before);
      }
    });
  }
}
