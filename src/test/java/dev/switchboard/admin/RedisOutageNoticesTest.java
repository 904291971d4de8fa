package dev.switchboard.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import dev.switchboard.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Instance B reaches Redis through a TCP relay the test can cut: a change made on A while B's
 * subscription is cut is missed by B, and B picks it up by itself once Redis is reachable again
 * (it reloads after subscribing again), without any further change.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisOutageNoticesTest {

  private Vertx vertxA;
  private Vertx vertxB;
  private Path dir;
  private AdminFixture a;
  private TestGateway b;
  private NetServer relay;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;

  @BeforeEach
  void start() throws Exception {
    String redisUrl = TestServers.redisUrl();
    if (redisUrl == null) System.err.println("*** SKIPPED RedisOutageNoticesTest: no Redis (set SWITCHBOARD_TEST_REDIS_URL) ***");
    assumeTrue(redisUrl != null, "no Redis");
    URI redis = URI.create(redisUrl);
    vertxA = Vertx.vertx();
    vertxB = Vertx.vertx();
    dir = Files.createTempDirectory("switchboard-outage-");
    NetClient client = vertxA.createNetClient();
    relay = vertxA.createNetServer().connectHandler(in -> {
      if (cut) {
        in.close();
        return;
      }
      in.pause();
      client.connect(redis.getPort() < 0 ? 6379 : redis.getPort(), redis.getHost()).onComplete(ar -> {
        if (ar.failed() || cut) {
          in.close();
          if (ar.succeeded()) ar.result().close();
          return;
        }
        NetSocket out = ar.result();
        open.add(in);
        open.add(out);
        in.handler(out::write);
        out.handler(in::write);
        in.closeHandler(v -> out.close());
        out.closeHandler(v -> in.close());
        in.resume();
      });
    }).listen(0, "127.0.0.1").await();
    String path = redis.getPath() == null ? "" : redis.getPath();
    a = AdminFixture.start(instance(vertxA, redisUrl));
    b = instance(vertxB, "redis://127.0.0.1:" + relay.actualPort() + path).start();
  }

  private TestGateway.Builder instance(Vertx vertx, String redisUrl) {
    return TestGateway.builder(vertx).database("sqlite", dir.resolve("shared.db").toString())
        .masterKeyFile(dir.resolve("master.key")).redis(redisUrl);
  }

  @AfterEach
  void stop() {
    if (vertxA == null) return;
    try {
      if (a != null) a.close();
      if (b != null) b.close();
    } finally {
      vertxA.close().await();
      vertxB.close().await();
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (Exception e) {
        // a leftover temp dir is harmless
      }
    }
  }

  @Test
  void aChangeMissedDuringAnOutageIsPickedUpOnceRedisIsBack() {
    String operator = a.token("oper");
    cut = true;
    open.forEach(NetSocket::close);

    Reply key = a.post("/keys", operator, new JsonObject().put("name", "made-during-outage"));
    assertEquals(201, key.status(), key.text());
    String secret = key.json().getString("key");
    assertEquals(401, b.get("/v1/models", secret).status(), "B missed the notice: it was not subscribed");

    cut = false;
    long deadline = System.currentTimeMillis() + 15_000;
    while (b.get("/v1/models", secret).status() != 200) {
      assertTrue(System.currentTimeMillis() < deadline, "B never reloaded after subscribing again");
      TestGateway.delay(vertxA, 50).await();
    }
  }
}
