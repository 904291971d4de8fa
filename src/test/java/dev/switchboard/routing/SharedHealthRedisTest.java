package dev.switchboard.routing;

import static dev.switchboard.routing.Wire.chat;
import static dev.switchboard.routing.Wire.channelOf;
import static dev.switchboard.routing.Wire.eventually;
import static dev.switchboard.routing.Wire.keysSeen;
import static dev.switchboard.routing.Wire.transitions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.select.Explanation;
import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import dev.switchboard.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Health shared by gateway instances through one Redis (each instance its own Vert.x and
 * database, as separate processes would be): a 429 cooldown, a credential disabled by a 401 and
 * an open circuit on one instance are in force on the other at once and on an instance started
 * later; an answered probe clears the bench everywhere; a half-open credential is probed once
 * across instances; an instance cut off from Redis serves on its own and catches up when it is back.
 * Each test has a {@code redis.prefix} of its own (pub/sub channels are shared
 * by every database of a Redis server) and deletes its keys afterwards.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SharedHealthRedisTest {

  private static final String KEY = "sk-client-shared-health-000000001";
  private static final String MODEL = "gpt-4o";
  private static String redisUrl;

  private final String prefix = "sbt-" + UUID.randomUUID().toString().substring(0, 8) + ":";
  private final AtomicInteger conversations = new AtomicInteger();
  private final List<Vertx> others = new ArrayList<>();
  private final List<TestGateway> gateways = new ArrayList<>();
  private Vertx vertx;
  private MockUpstream x;
  private MockUpstream y;
  private Relay relay;

  @BeforeAll
  static void findRedis() {
    redisUrl = TestServers.redisUrl();
    if (redisUrl == null) System.err.println("*** SKIPPED SharedHealthRedisTest: no Redis (set SWITCHBOARD_TEST_REDIS_URL) ***");
    assumeTrue(redisUrl != null, "no Redis");
  }

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    x = MockUpstream.start(vertx).await();
    y = MockUpstream.start(vertx).await();
  }

  @AfterEach
  void stop() {
    try {
      for (String k : keys("*")) redis(Request.cmd(Command.DEL).arg(k));
      gateways.forEach(TestGateway::close);
      if (relay != null) relay.close();
    } finally {
      others.forEach(v -> v.close().await());
    }
  }

  /** An instance on a Vert.x of its own, configured by {@code config} over the shared Redis and prefix. */
  private TestGateway instance(UnaryOperator<TestGateway.Builder> config) {
    return instance(redisUrl, prefix, config);
  }

  private TestGateway instance(String url, String keyPrefix, UnaryOperator<TestGateway.Builder> config) {
    Vertx own = Vertx.vertx();
    others.add(own);
    TestGateway g = config.apply(TestGateway.builder(own).clientKey("client", KEY).redis(url).redisPrefix(keyPrefix)).start();
    gateways.add(g);
    return g;
  }

  /** Channels x and y (one credential each), taken in turn. */
  private TestGateway.Builder twoChannels(TestGateway.Builder b) {
    return b.channel(Wire.channel("x", x, MODEL, "sk-x")).channel(Wire.channel("y", y, MODEL, "sk-y"))
        .group(new JsonObject().put("name", MODEL).put("strategy", "round_robin")
            .put("members", new JsonArray().add(new JsonObject().put("channel", "x")).add(new JsonObject().put("channel", "y"))))
        .routing("retries", 2).routing("maxCooldown", "1m");
  }

  private Reply call(TestGateway via) {
    return via.call(KEY, chat(MODEL, "conversation " + conversations.incrementAndGet()));
  }

  /** Why the gateway would skip channel {@code channel}'s credential now, or null. */
  private static String skipped(TestGateway g, String channel) {
    Explanation why = g.pool().explain(MODEL, null, System.currentTimeMillis());
    return why.candidates().stream().filter(s -> s.channel().equals(channel)).findFirst().orElseThrow().skipped();
  }

  private static double peerTransitions(TestGateway g, String to) {
    var c = g.metrics().registry().find("switchboard_health_peer_transitions_total").tag("to", to).counter();
    return c == null ? 0 : c.count();
  }

  private Response redis(Request request) {
    Redis raw = Redis.createClient(vertx, redisUrl);
    try {
      return raw.send(request).await();
    } finally {
      raw.close();
    }
  }

  private List<String> keys(String pattern) {
    List<String> out = new ArrayList<>();
    for (Response k : redis(Request.cmd(Command.KEYS).arg(prefix + pattern))) out.add(k.toString());
    return out;
  }

  @Test
  void a429OnOneInstanceKeepsTheOtherOffTheCredentialUntilItsRetryAfterHasPassed() {
    TestGateway a = instance(this::twoChannels);
    TestGateway b = instance(this::twoChannels);
    TestGateway elsewhere = instance(redisUrl, prefix + "other:", this::twoChannels); // another deployment, same Redis
    x.enqueue(Behavior.rateLimited(3)); // then 200s
    long sentBefore429 = 0;
    for (int i = 0; i < 10 && x.requestCount() == 0; i++) {
      sentBefore429 = System.currentTimeMillis();
      assertEquals(200, call(a).status());
    }
    assertEquals(1, x.requestCount(), "a reached x once, and heard 429");
    assertTrue(eventually(vertx, () -> peerTransitions(b, "cooling") == 1), "b heard of the cooldown");
    assertEquals(0.0, transitions(b, "cooling"), "counted once, where it happened");
    assertEquals(1.0, transitions(a, "cooling"));
    assertEquals(1, keys("health:bench:cooling:*").size(), "stored under the prefix");
    assertFalse(keys("aff:*").isEmpty(), "session bindings under the prefix too");
    assertEquals(0.0, peerTransitions(elsewhere, "cooling"), "a deployment with another prefix hears nothing");
    assertNull(skipped(elsewhere, "x"));

    // every request b answers before sentBefore429 + 3 s is inside the cooldown: none may go to x
    long cooldownFloor = sentBefore429 + 3_000;
    int during = 0;
    while (true) {
      Reply r = call(b);
      long answered = System.currentTimeMillis();
      assertEquals(200, r.status(), r.text());
      if (answered >= cooldownFloor) break;
      during++;
      assertEquals("y", channelOf(r), "request " + during + " inside the cooldown");
      assertEquals(1, x.requestCount(), "x is not asked while it cools");
    }
    assertTrue(during > 0, "some requests fell inside the cooldown");
    assertTrue(eventually(vertx, () -> "x".equals(channelOf(call(b)))), "x is back in b's rotation");
  }

  private static final Behavior ONLY_GOOD = Behavior.ok().requireHeader("authorization", "Bearer sk-good");

  private TestGateway.Builder goodAndBad(TestGateway.Builder b, String maxCooldown) {
    return b.channel(Wire.channel("pool", x, MODEL, "sk-good", "sk-bad")).routing("retries", 2).routing("maxCooldown", maxCooldown);
  }

  private String badSkip(TestGateway g, long badId) {
    return g.pool().explain(MODEL, null, System.currentTimeMillis()).candidates().stream()
        .filter(s -> s.credentialId() == badId).findFirst().orElseThrow().skipped();
  }

  private long disableBadKeyThrough(TestGateway a) {
    x.defaultBehavior(ONLY_GOOD);
    for (int i = 0; i < 60 && !keysSeen(x).containsKey("Bearer sk-bad"); i++) assertEquals(200, call(a).status());
    assertEquals(1, keysSeen(x).get("Bearer sk-bad"));
    assertTrue(eventually(vertx, () -> transitions(a, "disabled") == 1));
    return a.pool().explain(MODEL, null, System.currentTimeMillis()).candidates().stream()
        .filter(s -> s.skipped() != null).findFirst().orElseThrow().credentialId();
  }

  @Test
  void a401OnOneInstanceDisablesTheCredentialOnTheOtherWithItsReason() {
    TestGateway a = instance(b -> goodAndBad(b, "10m"));
    TestGateway b = instance(g -> goodAndBad(g, "10m"));
    long bad = disableBadKeyThrough(a);
    assertTrue(eventually(vertx, () -> badSkip(b, bad) != null), "b benched the credential");
    String why = badSkip(b, bad);
    assertTrue(why.startsWith("disabled for ") && why.contains("credential rejected (401)"), why);
    assertEquals(1.0, peerTransitions(b, "disabled"));
    assertEquals(0.0, transitions(b, "disabled"));

    // the pool status an operator reads on b says the same
    var status = b.pool().status(System.currentTimeMillis()).stream().flatMap(c -> c.targets().stream())
        .filter(t -> t.credentialId() == bad).findFirst().orElseThrow();
    assertEquals("disabled", status.benches().get(0).state());
    assertEquals("credential rejected (401)", status.benches().get(0).reason());

    for (int i = 0; i < 30; i++) assertEquals(200, call(b).status());
    assertEquals(1, keysSeen(x).get("Bearer sk-bad"), "b never sends the rejected key");
  }

  @Test
  void aHalfOpenCredentialIsProbedOnceAcrossInstancesAndAnAnswerEnablesItEverywhere() {
    TestGateway a = instance(b -> goodAndBad(b, "2s"));
    TestGateway b = instance(g -> goodAndBad(g, "2s"));
    long bad = disableBadKeyThrough(a);
    assertTrue(eventually(vertx, () -> badSkip(b, bad) != null));

    // its time is up and the key is still bad: of 20 concurrent requests on both instances, one probes it
    assertTrue(eventually(vertx, () -> badSkip(a, bad) == null && badSkip(b, bad) == null), "probe due on both");
    List<Future<Reply>> burst = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      burst.add(a.post("/v1/chat/completions", KEY, chat(MODEL, "burst a " + i)));
      burst.add(b.post("/v1/chat/completions", KEY, chat(MODEL, "burst b " + i)));
    }
    Future.join(burst).await();
    burst.forEach(f -> assertEquals(200, f.result().status(), f.result().text()));
    assertEquals(2, keysSeen(x).get("Bearer sk-bad"), "one probe across both instances");

    // the upstream takes the key now: whichever instance probes it, both put it back
    x.defaultBehavior(Behavior.ok());
    assertTrue(eventually(vertx, () -> badSkip(a, bad) == null && badSkip(b, bad) == null), "probe due again");
    for (int i = 0; i < 60 && keysSeen(x).get("Bearer sk-bad") == 2; i++) assertEquals(200, call(i % 2 == 0 ? a : b).status());
    assertEquals(3, keysSeen(x).get("Bearer sk-bad"), "the probe");
    assertTrue(eventually(vertx, () -> transitions(a, "enabled") + transitions(b, "enabled") == 1), "enabled by its probe");
    assertTrue(eventually(vertx, () -> a.pool().status(System.currentTimeMillis()).stream().flatMap(c -> c.targets().stream())
        .allMatch(t -> t.benches().isEmpty()) && b.pool().status(System.currentTimeMillis()).stream()
        .flatMap(c -> c.targets().stream()).allMatch(t -> t.benches().isEmpty())), "no bench left anywhere");
    assertTrue(keys("health:bench:*").isEmpty(), "nor in Redis");
  }

  private TestGateway.Builder failing(TestGateway.Builder b, String circuitOpen) {
    return b.channel(Wire.channel("only", x, MODEL, "sk-only"))
        .routing("retries", 0).routing("maxErrorCount", 2).routing("circuitOpen", circuitOpen);
  }

  @Test
  void aCircuitOpenedOnOneInstanceIsOpenOnTheOtherAndOnAnInstanceStartedLater() {
    TestGateway a = instance(g -> failing(g, "30s"));
    TestGateway b = instance(g -> failing(g, "30s"));
    x.defaultBehavior(Behavior.status(500));
    assertEquals(502, call(a).status());
    assertEquals(502, call(a).status());
    assertTrue(eventually(vertx, () -> peerTransitions(b, "open") == 1), "b heard of the open circuit");
    assertEquals(0.0, transitions(b, "open"));
    String why = skipped(b, "only");
    assertTrue(why != null && why.startsWith("open for "), why);
    int sent = x.requestCount();
    Reply refused = call(b);
    assertEquals(503, refused.status(), refused.text());
    assertEquals("no_upstream_available", refused.json().getJsonObject("error").getString("code"));
    assertEquals(sent, x.requestCount(), "b sends nothing to an open circuit");

    // an instance started now has the bench from its first snapshot on
    TestGateway c = instance(g -> failing(g, "30s"));
    String later = skipped(c, "only");
    assertTrue(later != null && later.startsWith("open for ") && later.contains("2 errors"), later);
    assertEquals(503, call(c).status());
    assertEquals(sent, x.requestCount());
  }

  @Test
  void anAnsweredProbeOnOneInstanceClosesTheCircuitOnTheOther() {
    TestGateway a = instance(g -> failing(g, "1s"));
    TestGateway b = instance(g -> failing(g, "1s"));
    x.defaultBehavior(Behavior.status(500));
    assertEquals(502, call(a).status());
    assertEquals(502, call(a).status());
    assertTrue(eventually(vertx, () -> skipped(b, "only") != null));
    x.defaultBehavior(Behavior.ok());
    assertTrue(eventually(vertx, () -> skipped(b, "only") == null), "half-open on b");
    Reply probe = call(b);
    assertEquals(200, probe.status(), probe.text());
    assertTrue(eventually(vertx, () -> peerTransitions(a, "closed") == 1), "a heard the circuit closed");
    assertEquals(1.0, transitions(b, "closed"));
    assertNull(skipped(a, "only"));
    for (int i = 0; i < 5; i++) assertEquals(200, call(a).status());
    assertFalse(keys("health:bench:*").stream().anyMatch(k -> k.contains(":open:")), "cleared in Redis");
  }

  @Test
  void anInstanceCutOffFromRedisServesOnItsOwnAndCatchesUpWhenRedisIsBack() {
    URI redis = URI.create(redisUrl);
    relay = Relay.start(vertx, redis.getHost(), redis.getPort());
    TestGateway a = instance(this::twoChannels);
    TestGateway b = instance("redis://127.0.0.1:" + relay.port + redis.getPath(), prefix, this::twoChannels);
    relay.cut();

    x.enqueue(Behavior.rateLimited(30)); // then 200s
    for (int i = 0; i < 10 && x.requestCount() == 0; i++) assertEquals(200, call(a).status());
    assertEquals(1, x.requestCount());
    assertTrue(eventually(vertx, () -> keys("health:bench:cooling:*").size() == 1), "a stored the cooldown");
    for (int i = 0; i < 10; i++) {
      Reply r = call(b);
      assertEquals(200, r.status(), "Redis out of reach fails nothing: " + r.text());
    }
    assertEquals(0.0, peerTransitions(b, "cooling"), "b heard nothing");

    relay.restore();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45); // b retries after 0.5 s, doubling
    while (peerTransitions(b, "cooling") == 0 && System.nanoTime() < deadline) TestGateway.delay(vertx, 50).await();
    assertEquals(1.0, peerTransitions(b, "cooling"), "b read the stored cooldown once it was back");
    String why = skipped(b, "x");
    assertTrue(why != null && why.startsWith("cooling for "), why);
    int sent = x.requestCount();
    for (int i = 0; i < 10; i++) assertEquals("y", channelOf(call(b)));
    assertEquals(sent, x.requestCount());
  }

  /** A TCP relay to Redis that can be cut (listener closed, connections reset) and restored on the same port. */
  private static final class Relay {
    private final Vertx vertx;
    private final NetClient client;
    private final String host;
    private final int targetPort;
    private final List<NetSocket> open = new CopyOnWriteArrayList<>();
    private NetServer server;
    private int port;

    private Relay(Vertx vertx, String host, int targetPort) {
      this.vertx = vertx;
      this.client = vertx.createNetClient();
      this.host = host;
      this.targetPort = targetPort;
    }

    static Relay start(Vertx vertx, String host, int targetPort) {
      Relay r = new Relay(vertx, host, targetPort);
      r.listen(0);
      return r;
    }

    private void listen(int at) {
      server = vertx.createNetServer().connectHandler(in -> {
        in.pause();
        open.add(in);
        client.connect(targetPort, host).onSuccess(out -> {
          open.add(out);
          in.pipeTo(out);
          out.pipeTo(in);
          in.resume();
        }).onFailure(err -> in.close());
      });
      port = server.listen(at, "127.0.0.1").await().actualPort();
    }

    void cut() {
      server.close().await();
      open.forEach(NetSocket::close);
      open.clear();
    }

    void restore() {
      listen(port);
    }

    void close() {
      cut();
      client.close().await();
    }
  }
}
