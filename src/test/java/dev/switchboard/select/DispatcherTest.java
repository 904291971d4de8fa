package dev.switchboard.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.affinity.SessionAffinity;
import dev.switchboard.bus.Addresses;
import dev.switchboard.bus.LocalCodec;
import dev.switchboard.config.SwitchboardConfig.ChannelRules;
import dev.switchboard.config.SwitchboardConfig.KeyRules;
import dev.switchboard.config.SwitchboardConfig.Rates;
import dev.switchboard.limit.Limiter;
import dev.switchboard.store.Channel;
import dev.switchboard.store.ClientKey;
import dev.switchboard.store.Credential;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The calls an edge makes around a request: admission, leases, settlement. */
class DispatcherTest {

  private static final long NOW = 1_800_000_000_000L;
  private static final String MODEL = "m";

  private final Vertx vertx = Vertx.vertx();
  private final Dispatcher dispatcher = new Dispatcher(vertx, Limiter.local(), SessionAffinity.local(1_000), 60_000);
  private final java.util.concurrent.CompletableFuture<Spend> spent = new java.util.concurrent.CompletableFuture<>();

  DispatcherTest() {
    LocalCodec.register(vertx, Outcome.class, Spend.class);
    vertx.eventBus().localConsumer(Addresses.POOL_OUTCOME, msg -> dev.switchboard.bus.Batcher.forEach(msg.body(), body -> {
      if (body instanceof Spend s) spent.complete(s);
    }));
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static PoolSnapshot pool(KeyRules keyRules, Rates credentialLimits) {
    Channel ch = new Channel(1, "ch1", "openai", List.of("http://a"), List.of(MODEL), Map.of(), 0, 1, true, "config",
        List.of(new Credential(11, 1, "a", true), new Credential(12, 1, "b", true), new Credential(13, 1, "c", true)));
    RouteConfig config = new RouteConfig(Map.of("ch1", new ChannelRules(true, credentialLimits, -1, List.of(), null, 1)),
        Map.of("alice", keyRules), List.of(), Map.of(), RouteConfig.CostLookup.NONE);
    return PoolSnapshot.of(1, List.of(ch), List.of(), config, Map.of(), Telemetry.NONE);
  }

  private static final ClientKey ALICE = new ClientKey(5, "alice", "h", List.of(), true, "config");

  @Test
  void twoInstancesOnOneRedisAdmitExactlyTheKeysLimitAndShareSessions() throws Exception {
    String url = System.getenv("SWITCHBOARD_TEST_REDIS_URL");
    if (url == null) System.err.println("*** SKIPPED two-instance Dispatcher test: SWITCHBOARD_TEST_REDIS_URL is not set ***");
    org.junit.jupiter.api.Assumptions.assumeTrue(url != null);
    var config = dev.switchboard.config.ConfigLoader.parse(new io.vertx.core.json.JsonObject().put("redis",
        new io.vertx.core.json.JsonObject().put("url", url)).put("routing", new io.vertx.core.json.JsonObject().put("affinityTtl", "60s")), Map.of());
    Dispatcher one = Dispatcher.create(vertx, config);
    Dispatcher two = Dispatcher.create(vertx, config);
    // a key id of its own, so earlier runs in this minute do not count
    ClientKey key = new ClientKey(Math.abs(new java.util.Random().nextLong() % 1_000_000_000L) + 1_000, "alice", "h", List.of(), true, "config");
    PoolSnapshot pool = pool(new KeyRules(new Rates(40, 0, 0), 0, 0, 0, 0), Rates.NONE);
    long now = System.currentTimeMillis();
    List<Future<Dispatcher.Pass>> all = new java.util.ArrayList<>();
    for (int i = 0; i < 100; i++) {
      all.add(one.admit(pool, key, MODEL, now));
      all.add(two.admit(pool, key, MODEL, now));
    }
    await(Future.join(all));
    assertEquals(40, all.stream().filter(f -> f.result().admitted()).count());
    String session = "s-" + key.id();
    Lease lease = await(one.lease(pool, MODEL, Set.of(), session, now));
    await(one.finish(pool, Dispatcher.Pass.ok(dev.switchboard.limit.LimitSet.NONE), MODEL, session, lease, true, 0, 0, now));
    for (int i = 0; i < 20; i++) assertEquals(lease.target(), await(two.lease(pool, MODEL, Set.of(), session, now)).target());
    await(one.close());
    await(two.close());
  }

  @Test
  void anExpiredKeyAndAModelOutsideItsListAreRefused() throws Exception {
    PoolSnapshot pool = pool(new KeyRules(Rates.NONE, 0, 0, 0, NOW), Rates.NONE);
    Dispatcher.Pass expired = await(dispatcher.admit(pool, ALICE, MODEL, NOW));
    assertEquals(401, expired.status());
    assertEquals("key_expired", expired.code());
    assertTrue(await(dispatcher.admit(pool, ALICE, MODEL, NOW - 1)).admitted());
    ClientKey narrow = new ClientKey(6, "bob", "h2", List.of("other"), true, "config");
    assertEquals(404, await(dispatcher.admit(pool, narrow, MODEL, NOW)).status());
  }

  @Test
  void aKeyOverItsRateLimitGets429WithRetryAfter() throws Exception {
    PoolSnapshot pool = pool(new KeyRules(new Rates(2, 0, 0), 0, 0, 0, 0), Rates.NONE);
    long minuteStart = NOW - NOW % 60_000;
    for (int i = 0; i < 2; i++) assertTrue(await(dispatcher.admit(pool, ALICE, MODEL, minuteStart + 10_000)).admitted());
    Dispatcher.Pass over = await(dispatcher.admit(pool, ALICE, MODEL, minuteStart + 10_000));
    assertEquals(429, over.status());
    assertEquals("rate_limit_exceeded", over.code());
    assertEquals(50_000, over.retryAfterMs());
  }

  @Test
  void theConcurrencySlotIsFreedWhenTheRequestFinishes() throws Exception {
    PoolSnapshot pool = pool(new KeyRules(Rates.NONE, 1, 0, 0, 0), Rates.NONE);
    Dispatcher.Pass first = await(dispatcher.admit(pool, ALICE, MODEL, NOW));
    assertTrue(first.admitted());
    assertFalse(await(dispatcher.admit(pool, ALICE, MODEL, NOW)).admitted());
    await(dispatcher.finish(pool, first, MODEL, null, null, false, 0, 0, NOW));
    assertTrue(await(dispatcher.admit(pool, ALICE, MODEL, NOW)).admitted());
  }

  @Test
  void aSpentDailyBudgetRefusesUntilTomorrow() throws Exception {
    PoolSnapshot pool = pool(new KeyRules(Rates.NONE, 0, 1.0, 0, 0), Rates.NONE);
    Dispatcher.Pass pass = await(dispatcher.admit(pool, ALICE, MODEL, NOW));
    Lease lease = await(dispatcher.lease(pool, MODEL, Set.of(), null, NOW));
    await(dispatcher.finish(pool, pass, MODEL, null, lease, true, 1_000, 1_000_000_000L, NOW));
    Dispatcher.Pass broke = await(dispatcher.admit(pool, ALICE, MODEL, NOW));
    assertEquals("budget_exceeded", broke.code());
    assertEquals(86_400_000 - NOW % 86_400_000, broke.retryAfterMs());
  }

  @Test
  void aCredentialOverItsOwnLimitIsSkippedWithoutCountingAsAnAttempt() throws Exception {
    PoolSnapshot pool = pool(KeyRules.NONE, new Rates(1, 0, 0));
    Set<Long> used = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      Lease lease = await(dispatcher.lease(pool, MODEL, Set.of(), null, NOW));
      assertTrue(used.add(lease.target()), "each credential once a minute: " + used);
    }
    assertNull(await(dispatcher.lease(pool, MODEL, Set.of(), null, NOW)));
    assertEquals(Set.of(11L, 12L, 13L), used);
  }

  @Test
  void aSessionSticksToItsCredentialAndMovesWhenThatOneIsUnhealthy() throws Exception {
    PoolSnapshot pool = pool(KeyRules.NONE, Rates.NONE);
    Dispatcher.Pass pass = await(dispatcher.admit(pool, ALICE, MODEL, NOW));
    Lease first = await(dispatcher.lease(pool, MODEL, Set.of(), "s1", NOW));
    await(dispatcher.finish(pool, pass, MODEL, "s1", first, true, 10, 0, NOW));
    for (int i = 0; i < 50; i++) assertEquals(first.target(), await(dispatcher.lease(pool, MODEL, Set.of(), "s1", NOW)).target());
    PoolSnapshot benched = pool.withBenched(2, Map.of(first.target(), NOW + 60_000));
    Lease moved = await(dispatcher.lease(benched, MODEL, Set.of(), "s1", NOW));
    assertNotEquals(first.target(), moved.target());
    await(dispatcher.finish(benched, pass, MODEL, "s1", moved, true, 10, 0, NOW));
    for (int i = 0; i < 50; i++) assertEquals(moved.target(), await(dispatcher.lease(pool, MODEL, Set.of(), "s1", NOW)).target(),
        "re-bound: the session stays on its new credential even once the old one is back");
    assertEquals(10, spent.get(10, TimeUnit.SECONDS).tokens(), "spend goes to the selector");
  }
}
