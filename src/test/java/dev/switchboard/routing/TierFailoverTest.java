package dev.switchboard.routing;

import static dev.switchboard.routing.Wire.attemptsOf;
import static dev.switchboard.routing.Wire.channelOf;
import static dev.switchboard.routing.Wire.chat;
import static dev.switchboard.routing.Wire.eventually;
import static dev.switchboard.routing.Wire.transitions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.select.Explanation;
import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A group with two tiers over real sockets: tier 2 serves only while tier 1 is out (500s or a
 * refused connection), tier 1's half-open circuit lets exactly one probe through, and traffic
 * returns to tier 1 once a probe is answered. (One credential's circuit on its own, open → 503 →
 * probe → closed, is {@code select.CircuitOverSocketsTest}.)
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TierFailoverTest {

  private static final String KEY = "sk-client-tiers-00000000000001";
  private static final String MODEL = "gpt-4o";

  private Vertx vertx;
  private MockUpstream tier1;
  private MockUpstream tier2;
  private TestGateway gateway;
  private final AtomicInteger conversations = new AtomicInteger();

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    tier1 = MockUpstream.start(vertx).await();
    tier2 = MockUpstream.start(vertx).await();
  }

  @AfterEach
  void stop() {
    if (gateway != null) gateway.close();
  }

  private TestGateway gateway(String tier1BaseUrl) {
    return TestGateway.builder(vertx)
        .channel(Wire.channel("primary", tier1BaseUrl, MODEL, "sk-tier1"))
        .channel(Wire.channel("backup", tier2, MODEL, "sk-tier2"))
        .group(new JsonObject().put("name", MODEL).put("tiers", new JsonArray()
            .add(new JsonObject().put("strategy", "round_robin").put("members", new JsonArray().add(new JsonObject().put("channel", "primary"))))
            .add(new JsonObject().put("strategy", "round_robin").put("members", new JsonArray().add(new JsonObject().put("channel", "backup"))))))
        .clientKey("client", KEY)
        .routing("retries", 2).routing("maxErrorCount", 3).routing("circuitOpen", "1s").routing("maxCooldown", "1m")
        .start();
  }

  /**
   * Every request is its own conversation: session affinity (on by default) would otherwise keep
   * one conversation on tier 2 after it failed over there, which is what affinity is for.
   */
  private JsonObject request() {
    return chat(MODEL, "conversation " + conversations.incrementAndGet());
  }

  private Reply call() {
    Reply r = gateway.call(KEY, request());
    assertEquals(200, r.status(), r.text());
    return r;
  }

  /** The skip reason explain gives for the primary channel now (null = usable, or its probe is due). */
  private String primarySkip() {
    Explanation e = gateway.pool().explain(MODEL, null, System.currentTimeMillis());
    return e.candidates().stream().filter(s -> s.channel().equals("primary")).findFirst().orElseThrow().skipped();
  }

  /**
   * After the circuit opened: the edge hears of the new snapshot just after the selector's
   * metric moved, so a request in between may still try tier 1 once (and still be served by
   * tier 2 on its retry). Returns once a request went straight to tier 2.
   */
  private void settleOnTier2() {
    for (int i = 0; i < 5; i++) {
      Reply r = call();
      assertEquals("backup", channelOf(r));
      if (attemptsOf(r) == 1) return;
    }
    throw new AssertionError("tier 1 is still tried after its circuit opened");
  }

  @Test
  void tier1Failing500sIsServedByTier2ThenOneProbeThenTrafficReturns() {
    gateway = gateway(tier1.baseUrl());

    // healthy: only tier 1 serves
    for (int i = 0; i < 10; i++) assertEquals("primary", channelOf(call()));
    assertEquals(10, tier1.requestCount());
    assertEquals(0, tier2.requestCount());

    // tier 1 fails: every client still gets 200, from tier 2 on the retry
    tier1.defaultBehavior(Behavior.status(500));
    for (int i = 0; i < 3; i++) {
      Reply r = call();
      assertEquals("backup", channelOf(r));
      assertEquals(2, attemptsOf(r), "tier 1 tried first, then tier 2");
    }
    assertTrue(eventually(vertx, () -> transitions(gateway, "open") == 1), "3 errors open tier 1's circuit");
    settleOnTier2();

    // open: tier 1 gets nothing at all
    int sentToTier1 = tier1.requestCount();
    int sentToTier2 = tier2.requestCount();
    for (int i = 0; i < 20; i++) {
      Reply r = call();
      assertEquals("backup", channelOf(r));
      assertEquals(1, attemptsOf(r));
    }
    assertEquals(sentToTier1, tier1.requestCount(), "an open circuit sends nothing to tier 1");
    assertEquals(sentToTier2 + 20, tier2.requestCount());

    // half-open while tier 1 still fails: of 20 concurrent requests exactly one probes tier 1
    assertTrue(eventually(vertx, () -> primarySkip() == null), "tier 1 becomes half-open");
    List<Future<Reply>> burst = new ArrayList<>();
    for (int i = 0; i < 20; i++) burst.add(gateway.post("/v1/chat/completions", KEY, request()));
    Future.join(burst).await();
    for (Future<Reply> f : burst) {
      assertEquals(200, f.result().status(), f.result().text());
      assertEquals("backup", channelOf(f.result()));
    }
    assertEquals(sentToTier1 + 1, tier1.requestCount(), "one probe, no more");
    assertTrue(eventually(vertx, () -> transitions(gateway, "open") == 2), "the failed probe reopens the circuit");

    // tier 1 recovers: after the (doubled) open period the next request probes it and is served there
    tier1.defaultBehavior(Behavior.ok());
    assertTrue(eventually(vertx, () -> primarySkip() == null), "tier 1 half-open again");
    Reply probe = call();
    assertEquals("primary", channelOf(probe), "the probe goes to tier 1");
    assertEquals(1, attemptsOf(probe));
    assertTrue(eventually(vertx, () -> transitions(gateway, "closed") == 1), "the answered probe closes the circuit");

    // closed: all traffic back on tier 1 (after at most a short hand-over while the edge hears of it)
    assertTrue(eventually(vertx, () -> "primary".equals(channelOf(call()))));
    sentToTier2 = tier2.requestCount();
    for (int i = 0; i < 20; i++) assertEquals("primary", channelOf(call()));
    assertEquals(sentToTier2, tier2.requestCount(), "tier 2 idle again");
  }

  @Test
  void tier1RefusingConnectionsIsServedByTier2AndComesBackWhenItListensAgain() {
    int port = tier1.port();
    tier1.close().await(); // nothing listens on tier 1's port now: connect refused
    gateway = gateway("http://127.0.0.1:" + port + "/v1");

    for (int i = 0; i < 3; i++) {
      Reply r = call();
      assertEquals("backup", channelOf(r));
      assertEquals(2, attemptsOf(r), "connect refused on tier 1, then tier 2");
    }
    assertTrue(eventually(vertx, () -> transitions(gateway, "open") == 1), "3 refused connections open the circuit");
    settleOnTier2();
    int sentToTier2 = tier2.requestCount();
    for (int i = 0; i < 20; i++) assertEquals(1, attemptsOf(call()), "no attempt on tier 1 while open");
    assertEquals(sentToTier2 + 20, tier2.requestCount());

    // tier 1 listens again on the same port
    tier1 = MockUpstream.start(vertx, port).await();
    assertTrue(eventually(vertx, () -> primarySkip() == null), "tier 1 half-open");
    Reply probe = call();
    assertEquals("primary", channelOf(probe));
    assertTrue(eventually(vertx, () -> transitions(gateway, "closed") == 1));
    assertTrue(eventually(vertx, () -> "primary".equals(channelOf(call()))));
    sentToTier2 = tier2.requestCount();
    int sentToTier1 = tier1.requestCount();
    for (int i = 0; i < 20; i++) assertEquals("primary", channelOf(call()));
    assertEquals(sentToTier2, tier2.requestCount());
    assertEquals(sentToTier1 + 20, tier1.requestCount());
  }
}
