package dev.switchboard.affinity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.limit.Limiter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SessionAffinityTest {

  private static final long NOW = 1_000_000;

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aLocalBindingLivesItsTtlAndARebindMovesIt() throws Exception {
    SessionAffinity a = SessionAffinity.local(100);
    assertEquals(0L, await(a.target("m", "s1", NOW)));
    await(a.bind("m", "s1", 11, 1_000, NOW));
    assertEquals(11L, await(a.target("m", "s1", NOW + 999)));
    assertEquals(0L, await(a.target("other-model", "s1", NOW)), "bindings are per model");
    await(a.bind("m", "s1", 12, 1_000, NOW + 500));
    assertEquals(12L, await(a.target("m", "s1", NOW + 1_499)));
    assertEquals(0L, await(a.target("m", "s1", NOW + 1_500)));
  }

  @Test
  void aFullLocalStoreBindsNoNewSessionsButKeepsRenewingOldOnes() throws Exception {
    SessionAffinity a = SessionAffinity.local(2);
    await(a.bind("m", "s1", 1, 10_000, NOW));
    await(a.bind("m", "s2", 2, 10_000, NOW));
    await(a.bind("m", "s3", 3, 10_000, NOW));
    assertEquals(0L, await(a.target("m", "s3", NOW)));
    await(a.bind("m", "s1", 4, 10_000, NOW));
    assertEquals(4L, await(a.target("m", "s1", NOW)));
    await(a.bind("m", "s3", 3, 10_000, NOW + 10_000));
    assertEquals(3L, await(a.target("m", "s3", NOW + 10_000)), "expired entries make room");
  }

  @Test
  void twoInstancesShareRedisBindingsWithTheirTtl() throws Exception {
    String url = System.getenv("SWITCHBOARD_TEST_REDIS_URL");
    if (url == null) System.err.println("*** SKIPPED Redis session affinity: SWITCHBOARD_TEST_REDIS_URL is not set ***");
    assumeTrue(url != null);
    Vertx vertx = Vertx.vertx();
    String prefix = "sbtest:" + UUID.randomUUID() + ":";
    SessionAffinity one = SessionAffinity.redis(Redis.createClient(vertx, Limiter.redisOptions(url)), prefix);
    SessionAffinity two = SessionAffinity.redis(Redis.createClient(vertx, Limiter.redisOptions(url)), prefix);
    try {
      await(one.bind("m", "s1", -7, 60_000, NOW));
      assertEquals(-7L, await(two.target("m", "s1", NOW)));
      await(two.bind("m", "s1", 21, 1, NOW));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      long seen = -1;
      while (System.nanoTime() < deadline && (seen = await(one.target("m", "s1", NOW))) != 0) {
        await(vertx.timer(5));
      }
      assertEquals(0L, seen, "a 1 ms binding expires in Redis");
    } finally {
      await(one.close());
      await(two.close());
      await(vertx.close());
    }
  }
}
