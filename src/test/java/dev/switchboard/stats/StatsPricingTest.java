package dev.switchboard.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.bus.Addresses;
import dev.switchboard.bus.LocalCodec;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.metrics.GatewayMetrics;
import dev.switchboard.pricing.ModelPrice;
import dev.switchboard.pricing.PriceService;
import dev.switchboard.store.SecretBox;
import dev.switchboard.store.Store;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The stats verticle prices what it writes, rolls it up, meters it and applies retention. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class StatsPricingTest {

  private static final long HOUR = 3_600_000L;

  @TempDir
  Path dir;

  private Vertx vertx;
  private Store store;
  private PriceService prices;
  private final GatewayMetrics metrics = GatewayMetrics.standalone();

  @BeforeEach
  void open(Vertx vertx) {
    this.vertx = vertx;
    LocalCodec.register(vertx, UsageRecord.class);
    store = Store.open(vertx, new SwitchboardConfig.Database("sqlite", dir.resolve("sb.db").toString(), 1),
        SecretBox.of(new byte[32])).await();
    prices = new PriceService(store, () -> 0L);
    // effective from time 0: every record below is priced with it
    prices.applyCatalogue(Map.of("up-m", ModelPrice.of("3", "15").withCacheRead("0.3"))).await();
  }

  @AfterEach
  void close() {
    if (store != null) store.close().await();
  }

  private void deploy(int retentionDays) {
    vertx.deployVerticle(new StatsVerticle(store, new SwitchboardConfig.Stats(20, 500, 1000, retentionDays), metrics,
        prices)).await();
  }

  private static UsageRecord record(String id, long ts, long key, long channel, String model, String upstream,
      long input, long output, long cached) {
    return new UsageRecord(id, ts, key, model, channel, 1, upstream, "openai-chat", true, 200, null, 1, input, output,
        cached, 0, 1_000, 200, 10, 10);
  }

  @Test
  void pricesRecordsAsTheyArriveAndRollsUpTheirCost() {
    deploy(0);
    long now = System.currentTimeMillis();
    var bus = vertx.eventBus();
    // 10,000 prompt tokens of which 8,000 cached, 500 output: 2,000 × 3 + 8,000 × 0.3 + 500 × 15 = 15,900 per million
    bus.send(Addresses.USAGE, record("served", now, 1, 4, "m", "up-m", 10_000, 500, 8_000));
    bus.send(Addresses.USAGE, record("no-channel", now, 2, 0, "garbage-model", null, 10, 0, 0));
    bus.send(Addresses.USAGE, record("no-price", now, 3, 4, "m2", "up-m2", 10, 10, 0));
    bus.send(Addresses.USAGE, record("edge-priced", now, 4, 4, "m", "up-m", 10, 10, 0).withCost(123, 99));
    bus.send(Addresses.USAGE, record("client-name", now, 5, 4, "up-m", "unknown-upstream", 1_000_000, 0, 0));
    assertEquals(5L, bus.<Long>request(Addresses.USAGE_FLUSH, "flush").await().body());

    Map<Long, UsageTotals> byKey = store.usageBreakdown(UsageQuery.between(now - HOUR, now + HOUR),
        UsageQuery.By.KEY).await().stream().collect(Collectors.toMap(UsageTotals::clientKeyId, Function.identity()));
    assertEquals(15_900_000L, byKey.get(1L).costNanos());
    assertEquals(0L, byKey.get(1L).unpriced());
    assertEquals(1L, byKey.get(2L).unpriced(), "a request no channel served is not priced");
    assertEquals(1L, byKey.get(3L).unpriced(), "a model without a price stays unpriced, not free");
    assertEquals(123L, byKey.get(4L).costNanos(), "a cost the edge worked out is kept");
    assertEquals(3_000_000_000L, byKey.get(5L).costNanos(), "the client's model name when the upstream's has no price");

    String scrape = metrics.registry().scrape();
    assertTrue(scrape.contains("gen_ai_client_token_usage_bucket{gen_ai_operation_name=\"chat\","
        + "gen_ai_request_model=\"m\",gen_ai_token_type=\"input\""), scrape);
    assertTrue(scrape.contains("gen_ai_client_token_usage_sum{gen_ai_operation_name=\"chat\","
        + "gen_ai_request_model=\"m\",gen_ai_token_type=\"output\"} 510.0"), "500 + 10 output tokens");
    assertTrue(scrape.contains("gen_ai_server_request_duration_seconds_count{error_type=\"none\","
        + "gen_ai_operation_name=\"chat\",gen_ai_request_model=\"m\"} 2"), scrape);
    assertTrue(scrape.contains("gen_ai_server_time_to_first_token_seconds_bucket{"), scrape);
    assertTrue(scrape.contains("gen_ai_server_time_per_output_token_seconds_count{"), scrape);
    assertTrue(scrape.contains("switchboard_cost_total{model=\"m\"} 0.015900123"), scrape);
    assertFalse(scrape.contains("garbage-model"), "labels only carry models a channel served");
  }

  @Test
  void deletesHourlyRollupsOlderThanTheirOwnRetention() {
    long now = System.currentTimeMillis();
    store.insertUsage(List.of(record("ancient", now - 40 * 24 * HOUR, 1, 4, "m", "up-m", 1, 1, 0),
        record("recent", now - 2 * HOUR, 1, 4, "m", "up-m", 1, 1, 0))).await();
    vertx.deployVerticle(new StatsVerticle(store, new SwitchboardConfig.Stats(20, 500, 1000, 0, 30), metrics, prices)).await();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (rollupRequests(now - 41 * 24 * HOUR, now - 39 * 24 * HOUR) != 0 && System.nanoTime() < deadline) {
      vertx.timer(20).await();
    }
    assertEquals(0L, rollupRequests(now - 41 * 24 * HOUR, now - 39 * 24 * HOUR), "the 40-day-old hour is gone");
    assertEquals(1L, rollupRequests(now - 3 * HOUR, now), "the recent hour stays");
    assertEquals(2L, store.countUsage().await(), "records have their own retention (here: forever)");
  }

  private long rollupRequests(long from, long to) {
    return store.usageSeries(UsageQuery.between(from, to)).await().stream().mapToLong(UsageTotals::requests).sum();
  }

  @Test
  void deletesRecordsOlderThanTheRetentionAndKeepsTheRollups() {
    long now = System.currentTimeMillis();
    store.insertUsage(List.of(record("old", now - 3 * 24 * HOUR, 1, 4, "m", "up-m", 1, 1, 0),
        record("recent", now - HOUR, 1, 4, "m", "up-m", 1, 1, 0))).await();
    deploy(2);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (store.countUsage().await() != 1 && System.nanoTime() < deadline) {
      vertx.timer(20).await();
    }
    assertEquals(1L, store.countUsage().await());
    assertEquals(2L, store.usageBreakdown(UsageQuery.between(now - 4 * 24 * HOUR, now), UsageQuery.By.MODEL)
        .await().get(0).requests(), "rollups outlive the records");
  }
}
