package dev.switchboard.stats;

import dev.switchboard.bus.Addresses;
import dev.switchboard.config.SwitchboardConfig;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers usage records in a bounded queue and writes them in batches, on an interval or when
 * a batch is full. A failed write is retried with backoff while the records stay queued; what
 * a full queue cannot hold is dropped and counted. Stopping flushes everything still queued.
 */
public final class StatsVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(StatsVerticle.class);
  private static final long MAX_BACKOFF_MS = 30_000;

  private final Store store;
  private final SwitchboardConfig.Stats config;
  private final ArrayDeque<UsageRecord> queue = new ArrayDeque<>();
  private final Counter written;
  private final Counter dropped;
  private final Counter failedWrites;
  private Future<Void> writing = Future.succeededFuture();
  private boolean flushing;
  private long backoffMs;
  private long timer = -1;

  public StatsVerticle(Store store, SwitchboardConfig.Stats config, MeterRegistry registry) {
    this.store = store;
    this.config = config;
    this.written = Counter.builder("switchboard_usage_records_written_total").register(registry);
    this.dropped = Counter.builder("switchboard_usage_records_dropped_total")
        .description("Usage records dropped because the queue was full").register(registry);
    this.failedWrites = Counter.builder("switchboard_usage_write_failures_total").register(registry);
    Gauge.builder("switchboard_usage_queue_size", queue, ArrayDeque::size).register(registry);
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().<UsageRecord>localConsumer(Addresses.USAGE, msg -> offer(msg.body()));
    vertx.eventBus().<Object>localConsumer(Addresses.USAGE_FLUSH, msg -> flushAll().onComplete(ar -> {
      if (ar.succeeded()) msg.reply(ar.result());
      else msg.fail(500, "flush failed");
    }));
    schedule(config.flushIntervalMs());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return flushAll().onSuccess(n -> log.info("stats flushed on stop: {} records written in total", (long) written.count()));
  }

  private void offer(UsageRecord record) {
    if (queue.size() >= config.queueCapacity()) {
      dropped.increment();
      return;
    }
    queue.add(record);
    if (queue.size() >= config.batchSize() && backoffMs == 0) {
      writeBatch();
    }
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
