package dev.switchboard.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Redis limiter against {@code SWITCHBOARD_TEST_REDIS_URL}: the contract, two instances
 * sharing one Redis, and counters that outlive a restart. Counters go under a random prefix.
 */
class RedisLimiterTest extends LimiterContract {

  private static final String URL = System.getenv("SWITCHBOARD_TEST_REDIS_URL");
  private static Vertx vertx;
  private final List<Limiter> opened = new ArrayList<>();
  private Limiter limiter;

  @BeforeAll
  static void start() {
    if (URL == null) System.err.println("*** SKIPPED RedisLimiterTest: SWITCHBOARD_TEST_REDIS_URL is not set ***");
    assumeTrue(URL != null, "SWITCHBOARD_TEST_REDIS_URL is not set");
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopAll() throws Exception {
    if (vertx != null) await(vertx.close());
  }

  @AfterEach
  void stop() throws Exception {
    for (Limiter l : opened) await(l.close());
    Redis raw = Redis.createClient(vertx, URL);
    try {
      var keys = await(raw.send(Request.cmd(Command.KEYS).arg("sbtest:" + id + ":*")));
      for (var k : keys) await(raw.send(Request.cmd(Command.DEL).arg(k.toString())));
    } finally {
      raw.close();
    }
  }

  /** A new connection, as another gateway instance would have. */
  private Limiter instance() {
    Limiter l = Limiter.redis(vertx, URL, "sbtest:" + id + ":");
    opened.add(l);
    return l;
  }

  @Override
  Limiter limiter() {
    if (limiter == null) limiter = instance();
    return limiter;
  }

  @Override
  List<Admission> concurrently(Limiter l, List<Limit> limits, int count) throws Exception {
    List<Future<Admission>> all = fire(l, limits, count);
    await(Future.join(all));
    return all.stream().map(Future::result).toList();
  }

  @Test
  void twoInstancesSharingOneRedisAdmitExactlyNInTotal() throws Exception {
    List<Limit> limits = List.of(Limit.requests(id + ":shared", N, Limit.Window.MINUTE));
    List<Future<Admission>> all = new ArrayList<>(fire(instance(), limits, CONCURRENT / 2));
    all.addAll(fire(instance(), limits, CONCURRENT / 2));
    await(Future.join(all));
    assertEquals(N, admitted(all.stream().map(Future::result).toList()));
  }

  @Test
  void countersOutliveAGatewayRestart() throws Exception {
    List<Limit> limits = List.of(Limit.requests(id + ":rpd", 3, Limit.Window.DAY));
    Limiter before = instance();
    for (int i = 0; i < 3; i++) assertTrue(await(before.acquire(limits, NOW)).admitted());
    await(before.close());
    opened.remove(before);
    Admission after = await(instance().acquire(limits, NOW));
    assertFalse(after.admitted(), "the restarted instance sees the day's count");
  }

  @Test
  void countersExpireWithTheirWindow() throws Exception {
    Limit rpm = Limit.requests(id + ":ttl", 5, Limit.Window.MINUTE);
    long now = System.currentTimeMillis();
    await(limiter().acquire(List.of(rpm), now));
    Redis raw = Redis.createClient(vertx, URL);
    try {
      long ttl = await(raw.send(Request.cmd(Command.PTTL).arg("sbtest:" + id + ":" + rpm.counter(now)))).toLong();
      assertTrue(ttl > 0 && ttl <= 60_000, "expires at the end of the minute, ttl " + ttl);
    } finally {
      raw.close();
    }
  }
}
