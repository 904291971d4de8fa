package dev.switchboard.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.stats.RequestQuery;
import dev.switchboard.stats.RouteTrail;
import dev.switchboard.stats.UsageRecord;
import dev.switchboard.store.AdminStore;
import dev.switchboard.store.SecretBox;
import dev.switchboard.store.Store;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The request log on every database: a record's trail round-trips, filters and pages select the right rows. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
abstract class RequestLogStoreContractTest {

  /** A database of this suite's own on the shared servers. */
  static final String DATABASE = "_reqlog_it";
  private static final long T0 = 1_700_000_000_000L;

  private Store store;

  protected abstract SwitchboardConfig.Database database(Vertx vertx);

  @BeforeEach
  void open(Vertx vertx) {
    SwitchboardConfig.Database db = database(vertx);
    assumeTrue(db != null, "database not configured for " + getClass().getSimpleName());
    store = Store.open(vertx, db, SecretBox.of(new byte[32])).await();
  }

  @AfterEach
  void close() {
    if (store != null) store.close().await();
  }

  private static RouteTrail failover() {
    return new RouteTrail("gpt-4o", "broken",
        List.of(new RouteTrail.Attempt(0, "round_robin", true, 1, "primary", 11, "gpt-4o-2024", "http://a.example/v1", 500,
                "server_error", -1, 42),
            new RouteTrail.Attempt(1, "weighted", false, 2, "backup", 0, "gpt-4o", "http://b.example/v1", 200, "success", -1, 7)),
        List.of(new RouteTrail.Skip(2, "primary", 11, "gpt-4o-2024", "already tried"),
            new RouteTrail.Skip(1, "spare", 12, null, "cooling for 800 ms: 429 from upstream")),
        0);
  }

  /** Key 2's requests went to channel 8, the others' to channel 7. */
  private static UsageRecord record(String id, long ts, long key, String model, boolean streamed, int status,
      String errorClass, RouteTrail trail) {
    return new UsageRecord(id, ts, key, model, key == 2 ? 8 : 7, 5, model + "-up", "openai-chat", streamed, status, errorClass, 2,
        1000, 100, 400, 10, 200, streamed ? 80 : -1, 10, 20, "u-" + key, "grp", "anthropic-messages", "openai-chat", 30, 20,
        status < 400 ? 1_234_000 : UsageRecord.UNPRICED, status < 400 ? 77 : UsageRecord.UNPRICED, false, trail);
  }

  private List<String> ids(RequestQuery q) {
    return store.requests(q).await().items().stream().map(UsageRecord::requestId).toList();
  }

  private RequestQuery all() {
    return RequestQuery.between(T0, T0 + 3_600_000, 500);
  }

  @Test
  void aRecordAndItsTrailComeBackAsWritten() {
    UsageRecord written = record("req_a", T0, 3, "gpt-4o", true, 200, null, failover());
    store.insertUsage(List.of(written)).await();

    assertEquals(written, store.request("req_a").await(), "every field and the whole trail");
    AdminStore.Page<UsageRecord> page = store.requests(all()).await();
    assertEquals(1, page.total());
    assertEquals(written.withTrail(null), page.items().get(0), "a page leaves the trail out");
    assertNull(store.request("req_missing").await());
  }

  @Test
  void recordsWithoutATrailAndHostileTextAreStoredAsText() {
    String hostile = "x'; DROP TABLE usage_records; -- \"名前\" 🚀";
    RouteTrail odd = new RouteTrail(hostile, null, List.of(),
        List.of(new RouteTrail.Skip(1, hostile, 0, hostile, hostile)), 3);
    store.insertUsage(List.of(record("req_old", T0, 1, "m", false, 200, null, null),
        record("req_odd", T0 + 1, 1, hostile, false, 502, "upstream_unreachable", odd))).await();
    assertNull(store.request("req_old").await().trail());
    UsageRecord back = store.request("req_odd").await();
    assertEquals(odd, back.trail());
    assertEquals(hostile, back.model());
    assertEquals(List.of("req_odd"), ids(filter(null, null, hostile, null, null, null, null)));
  }

  @Test
  void theLargestTrailFitsOnEveryDatabase() {
    // three UTF-8 bytes per character: the worst case for the column's size
    String wide = "名".repeat(RouteTrail.MAX_TEXT);
    List<RouteTrail.Attempt> attempts = new ArrayList<>();
    for (int i = 0; i < RouteTrail.MAX_ATTEMPTS; i++) {
      attempts.add(new RouteTrail.Attempt(i, "least_latency", false, i, wide, i, wide, wide, 503, "server_error", 60_000, 1));
    }
    List<RouteTrail.Skip> skips = new ArrayList<>();
    for (int i = 0; i < RouteTrail.MAX_SKIPPED; i++) skips.add(new RouteTrail.Skip(i, wide, i, wide, wide));
    RouteTrail big = new RouteTrail(wide, "broken", attempts, skips, 99);
    store.insertUsage(List.of(record("req_big", T0, 1, "m", false, 503, "upstream_503", big))).await();
    assertEquals(big, store.request("req_big").await().trail());
  }

  private RequestQuery filter(Long key, Long channel, String model, Integer status, Integer statusClass, String error,
      Boolean streamed) {
    return new RequestQuery(T0, T0 + 3_600_000, key, channel, model, status, statusClass, error, streamed, 500, 0);
  }

  @Test
  void filtersSelectAndPagesAreNewestFirst() {
    store.insertUsage(List.of(
        record("r1", T0 + 1_000, 1, "m1", false, 200, null, null),
        record("r2", T0 + 2_000, 1, "m2", true, 429, "rate_limit_exceeded", null),
        record("r3", T0 + 3_000, 2, "m1", true, 200, null, null),
        record("r4", T0 + 4_000, 2, "m1", false, 502, "upstream_unreachable", null),
        record("r5", T0 + 4_000, 1, "m1", false, 500, "upstream_500", null),
        record("r0", T0 - 1, 1, "m1", false, 200, null, null),
        record("r9", T0 + 3_600_000, 1, "m1", false, 200, null, null))).await();

    assertEquals(List.of("r5", "r4", "r3", "r2", "r1"), ids(all()), "the hour, newest first; a tie in time by insertion");
    assertEquals(List.of("r5", "r2", "r1"), ids(filter(1L, null, null, null, null, null, null)));
    assertEquals(List.of("r5", "r4", "r3", "r1"), ids(filter(null, null, "m1", null, null, null, null)));
    assertEquals(List.of("r2"), ids(filter(null, null, null, 429, null, null, null)));
    assertEquals(List.of("r5", "r4"), ids(filter(null, null, null, null, 5, null, null)));
    assertEquals(List.of("r2"), ids(filter(null, null, null, null, 4, null, null)));
    assertEquals(List.of("r4"), ids(filter(null, null, null, null, null, "upstream_unreachable", null)));
    assertEquals(List.of("r3", "r2"), ids(filter(null, null, null, null, null, null, true)));
    assertEquals(List.of("r3"), ids(filter(2L, null, "m1", null, 2, null, true)));
    assertEquals(List.of(), ids(filter(null, 99L, null, null, null, null, null)));
    assertEquals(List.of("r5", "r2", "r1"), ids(filter(null, 7L, null, null, null, null, null)));
    assertEquals(List.of("r4", "r3"), ids(filter(null, 8L, null, null, null, null, null)));
    assertEquals(List.of("r3", "r2"), ids(new RequestQuery(T0 + 2_000, T0 + 4_000, null, null, null, null, null, null, null, 10, 0)));

    AdminStore.Page<UsageRecord> second = store.requests(new RequestQuery(T0, T0 + 3_600_000, null, null, null, null, null,
        null, null, 2, 2)).await();
    assertEquals(5, second.total());
    assertEquals(List.of("r3", "r2"), second.items().stream().map(UsageRecord::requestId).toList());
  }

  @Test
  void retentionDeletesTheTrailWithItsRecord() {
    store.insertUsage(List.of(record("req_gone", T0, 1, "m", false, 200, null, failover()),
        record("req_kept", T0 + 10, 1, "m", false, 200, null, failover()))).await();
    assertEquals(1, store.deleteUsageBefore(T0 + 5).await());
    assertNull(store.request("req_gone").await());
    assertEquals(failover(), store.request("req_kept").await().trail());
  }
}
