package dev.switchboard.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import dev.switchboard.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two gateway instances (each its own Vert.x, as two processes would be) on one database and one
 * Redis: a change made through A's management API is in force on B without a restart, and a
 * login lockout earned on either holds on both. Login counters live under {@code sb:login:};
 * the test deletes exactly those before and after.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MultiInstanceManagementTest {

  /** This run's keys and channels only: another run on the same Redis (or any other gateway) shares nothing. */
  private static final String PREFIX = "sbfan" + Long.toHexString(System.nanoTime()) + ":";

  private static final String MODEL = "fanout-model";
  private static final long WAIT_MS = 10_000;

  private static String redisUrl;
  private static Path dir;
  private static Vertx vertxA;
  private static Vertx vertxB;
  private static MockUpstream mock;
  private static AdminFixture a;
  private static TestGateway b;
  private static String operator;

  @BeforeAll
  static void start() throws IOException {
    redisUrl = TestServers.redisUrl();
    if (redisUrl == null) System.err.println("*** SKIPPED MultiInstanceManagementTest: no Redis (set SWITCHBOARD_TEST_REDIS_URL) ***");
    assumeTrue(redisUrl != null, "no Redis");
    dir = Files.createTempDirectory("switchboard-fanout-");
    vertxA = Vertx.vertx();
    vertxB = Vertx.vertx();
    mock = MockUpstream.start(vertxA).await();
    cleanLoginCounters();
    a = AdminFixture.start(instance(vertxA));
    b = instance(vertxB).start();
    operator = a.token("oper");
  }

  private static TestGateway.Builder instance(Vertx vertx) {
    return TestGateway.builder(vertx)
        .database("sqlite", dir.resolve("shared.db").toString())
        .masterKeyFile(dir.resolve("master.key"))
        .redis(redisUrl)
        .redisPrefix(PREFIX)
        .management("loginMaxAttempts", 4);
  }

  @AfterAll
  static void stop() {
    if (redisUrl == null) return;
    try {
      cleanLoginCounters();
      if (a != null) a.close();
      if (b != null) b.close();
      mock.close().await();
    } finally {
      vertxA.close().await();
      vertxB.close().await();
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a leftover temp dir is harmless
      }
    }
  }

  private static void cleanLoginCounters() {
    Redis raw = Redis.createClient(vertxA, redisUrl);
    try {
      Response keys = raw.send(Request.cmd(Command.KEYS).arg(PREFIX + "login:*")).await();
      for (Response k : keys) raw.send(Request.cmd(Command.DEL).arg(k.toString())).await();
    } finally {
      raw.close();
    }
  }

  /** Polls on Vert.x timers until {@code condition} holds, failing after {@link #WAIT_MS}. */
  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (!condition.getAsBoolean()) {
      assertTrue(System.currentTimeMillis() < deadline, "instance B never saw: " + what);
      TestGateway.delay(vertxA, 25).await();
    }
  }

  private static int chatOnB(String clientKey) {
    return b.call(clientKey, new JsonObject().put("model", MODEL)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")))).status();
  }

  private static JsonObject channel(String name) {
    return new JsonObject().put("name", name).put("baseUrls", new JsonArray().add(mock.baseUrl()))
        .put("models", new JsonArray().add(MODEL)).put("keys", new JsonArray().add("upstream-secret-" + name + "-0123456789"));
  }

  private static String createKey(String name) {
    Reply key = a.post("/keys", operator, new JsonObject().put("name", name));
    assertEquals(201, key.status(), key.text());
    return key.json().getString("key");
  }

  @Test
  void aKeyCreatedOnAIsAcceptedByB() {
    String secret = createKey("made-on-a");
    await("the new key", () -> b.get("/v1/models", secret).status() == 200);
  }

  @Test
  void aChannelDisabledOnAIsNoLongerRoutedByB() {
    Reply created = a.post("/channels", operator, channel("fanout-channel"));
    assertEquals(201, created.status(), created.text());
    String secret = createKey("router");
    await("the new channel", () -> chatOnB(secret) == 200);

    long id = created.json().getLong("id");
    Reply off = a.call(HttpMethod.PATCH, "/channels/" + id, operator, new JsonObject().put("enabled", false));
    assertEquals(200, off.status(), off.text());
    await("the channel disabled", () -> chatOnB(secret) != 200);
    int before = mock.requestCount();
    assertTrue(chatOnB(secret) >= 400, "B answers from no channel");
    assertEquals(before, mock.requestCount(), "B sent nothing to the disabled channel's upstream");
  }

  @Test
  void aCredentialQuotaSpentOnBAndResetOnAIsWholeAgainOnB() {
    mock.defaultBehavior(dev.switchboard.testing.Behavior.ok().usage(40, 12, 8, 0));
    String model = "quota-fanout-model";
    Reply created = a.post("/channels", operator, new JsonObject().put("name", "fanout-quota")
        .put("baseUrls", new JsonArray().add(mock.baseUrl())).put("models", new JsonArray().add(model))
        .put("keys", new JsonArray().add(new JsonObject().put("key", "upstream-secret-quota-0123456789").put("quota", 1))));
    assertEquals(201, created.status(), created.text());
    long credential = created.json().getJsonArray("credentials").getJsonObject(0).getLong("id");
    String secret = createKey("quota-router");
    JsonObject chat = new JsonObject().put("model", model)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
    await("the new channel", () -> b.call(secret, chat).status() == 200);
    await("the credential spent on B", () -> b.call(secret, chat).status() != 200);
    // B's batch is stored before the reset, so nothing it counted earlier comes back after it
    await("B's spend stored", () -> b.store().credentialSpend().await().stream().anyMatch(s -> s.credentialId() == credential));

    Reply reset = a.post("/credentials/" + credential + "/quota/reset", operator, new JsonObject());
    assertEquals(200, reset.status(), reset.text());
    await("the reset", () -> b.call(secret, chat).status() == 200);
  }

  @Test
  void aKeyRevokedOnAIsRefusedByB() {
    Reply key = a.post("/keys", operator, new JsonObject().put("name", "revoked-on-a"));
    String secret = key.json().getString("key");
    await("the new key", () -> b.get("/v1/models", secret).status() == 200);
    assertEquals(200, a.post("/keys/" + key.json().getLong("id") + "/revoke", operator, null).status());
    await("the key revoked", () -> b.get("/v1/models", secret).status() == 401);
  }

  @Test
  void failedLoginsOnBothInstancesAddUpToOneLockout() {
    for (int i = 0; i < 2; i++) {
      assertEquals(401, a.login("view", "guess on a " + i).status());
      assertEquals(401, loginOnB("view", "guess on b " + i).status());
    }
    Reply onA = a.login("view", AdminFixture.PASSWORD);
    assertEquals(429, onA.status(), "four failures across two instances lock the user out: " + onA.text());
    Reply onB = loginOnB("view", AdminFixture.PASSWORD);
    assertEquals(429, onB.status(), "and the lockout holds on the other instance");
    long retryAfter = Long.parseLong(onB.header("retry-after"));
    assertTrue(retryAfter > 0 && retryAfter <= 900, "retry-after " + retryAfter);
  }

  private static Reply loginOnB(String username, String password) {
    return b.post("/api/v1/auth/login", null, new JsonObject().put("username", username).put("password", password)).await();
  }

}
