package dev.switchboard.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.store.ClientKey;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import dev.switchboard.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two gateway instances (each its own Vert.x, database and edges, as two processes would be)
 * sharing one Redis: a key's limit of N admits exactly N in total under concurrent load split
 * between them, concurrency slots are shared the same way, and a session bound through one
 * instance is kept by the other. The gateway's counters live under {@code <prefix>lim:key:<id>:} and
 * bindings under {@code <prefix>aff:<model>:}: the test uses Redis database {@value #DB}, a prefix
 * of its own per run (so a concurrent run of it elsewhere shares nothing), and deletes exactly
 * those keys before and after.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TwoInstancesRedisTest {

  private static final int DB = 13;
  private static final String KEY = "sk-client-redis-pair-00000000001";
  private static final String MODEL = "routing-e2e-redis-model";
  private static String redisUrl;
  private final String prefix = "sbpair" + Long.toHexString(System.nanoTime()) + ":";

  private Vertx vertx;
  private Vertx other;
  private MockUpstream mock;
  private TestGateway one;
  private TestGateway two;

  @BeforeAll
  static void findRedis() {
    String url = TestServers.redisUrl();
    if (url == null) System.err.println("*** SKIPPED TwoInstancesRedisTest: no Redis (set SWITCHBOARD_TEST_REDIS_URL) ***");
    assumeTrue(url != null, "no Redis");
    redisUrl = url.replaceFirst("/\\d+$", "") + "/" + DB;
  }

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    other = Vertx.vertx();
    mock = MockUpstream.start(vertx).await();
  }

  @AfterEach
  void stop() {
    mock.release();
    try {
      if (one != null) {
        cleanRedis();
        one.close();
      }
      if (two != null) two.close();
    } finally {
      other.close().await();
    }
  }

  private TestGateway gateway(Vertx on, JsonObject limits) {
    return TestGateway.builder(on)
        .channel(Wire.channel("pool", mock, MODEL, "sk-up-1", "sk-up-2"))
        .group(new JsonObject().put("name", MODEL).put("strategy", "random")
            .put("members", new JsonArray().add(new JsonObject().put("channel", "pool"))))
        .apiKey(new JsonObject().put("name", "shared").put("key", KEY).put("limits", limits))
        .routing("retries", 0)
        .redis(redisUrl)
        .redisPrefix(prefix)
        .start();
  }

  /** Both instances, the same configuration; their key ids agree (in production they share a database). */
  private void startBoth(JsonObject limits) {
    one = gateway(vertx, limits);
    two = gateway(other, limits);
    assertEquals(keyId(one), keyId(two));
    cleanRedis(); // counters a previous run left in the current window
  }

  private static long keyId(TestGateway g) {
    return g.store().clientKeys().await().stream().filter(k -> k.name().equals("shared")).mapToLong(ClientKey::id)
        .findFirst().orElseThrow();
  }

  private void cleanRedis() {
    Redis raw = Redis.createClient(vertx, redisUrl);
    try {
      for (String pattern : List.of(prefix + "lim:key:" + keyId(one) + ":*", prefix + "aff:" + MODEL + ":*")) {
        Response keys = raw.send(Request.cmd(Command.KEYS).arg(pattern)).await();
        for (Response k : keys) raw.send(Request.cmd(Command.DEL).arg(k.toString())).await();
      }
    } finally {
      raw.close();
    }
  }

  private List<Future<Reply>> burst(int perInstance) {
    List<Future<Reply>> all = new ArrayList<>();
    for (int i = 0; i < perInstance; i++) {
      all.add(one.post("/v1/chat/completions", KEY, Wire.chat(MODEL, "one " + i)));
      all.add(two.post("/v1/chat/completions", KEY, Wire.chat(MODEL, "two " + i)));
    }
    return all;
  }

  @Test
  void aLimitOfNAdmitsExactlyNAcrossBothInstances() {
    startBoth(new JsonObject().put("rpm", 40));
    Wire.awayFromWindowEnd(vertx, 60_000, 20_000);
    List<Future<Reply>> all = burst(100);
    Future.join(all).await();
    int ok = 0;
    for (Future<Reply> f : all) {
      Reply r = f.result();
      if (r.status() == 200) {
        ok++;
        continue;
      }
      assertEquals(429, r.status(), r.text());
      assertEquals("rate_limit_exceeded", r.json().getJsonObject("error").getString("code"));
      assertNotNull(r.header("retry-after"));
    }
    assertEquals(40, ok, "40 of 200, wherever they arrived");
    assertEquals(40, mock.requestCount());
  }

  @Test
  void concurrencySlotsAreSharedByBothInstances() {
    startBoth(new JsonObject().put("maxConcurrent", 10));
    mock.hold();
    List<Future<Reply>> all = burst(50);
    // every request ends up either refused (complete) or held upstream: wait for all 100 to be one or the other
    assertTrue(Wire.eventually(vertx, () -> all.stream().filter(Future::isComplete).count() + mock.requestCount() == 100));
    assertEquals(10, mock.requestCount(), "10 in flight across both instances");
    assertEquals(90, all.stream().filter(Future::isComplete).count(), "90 refused");
    mock.release();
    Future.join(all).await();
    assertEquals(10, all.stream().filter(f -> f.result().status() == 200).count());
  }

  @Test
  void aSessionBoundThroughOneInstanceIsKeptByTheOther() {
    startBoth(new JsonObject());
    MultiMap session = MultiMap.caseInsensitiveMultiMap().add("x-session-id", "shared-session");
    for (int i = 0; i < 20; i++) {
      TestGateway via = i % 2 == 0 ? one : two;
      Reply r = via.send(HttpMethod.POST, "/v1/chat/completions", KEY, Wire.chat(MODEL, "turn " + i).toBuffer(), session).await();
      assertEquals(200, r.status(), r.text());
    }
    // two credentials picked at random: one only by chance 2^-19
    assertEquals(1, Wire.keysSeen(mock).size(), "one credential for the whole session: " + Wire.keysSeen(mock));
  }
}
