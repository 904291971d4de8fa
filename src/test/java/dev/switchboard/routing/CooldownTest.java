package dev.switchboard.routing;

import static dev.switchboard.routing.Wire.attemptsOf;
import static dev.switchboard.routing.Wire.channelOf;
import static dev.switchboard.routing.Wire.chat;
import static dev.switchboard.routing.Wire.eventually;
import static dev.switchboard.routing.Wire.transitions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 429 cooldowns over real sockets: a credential that answered 429 with {@code retry-after} gets
 * nothing until that wait is over, then serves again; when every credential is cooling, the
 * client hears 429 with the remaining wait, and no upstream is asked.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CooldownTest {

  private static final String KEY = "sk-client-cooldown-000000000001";
  private static final String MODEL = "gpt-4o";

  private Vertx vertx;
  private MockUpstream a;
  private MockUpstream b;
  private TestGateway gateway;
  private final AtomicInteger conversations = new AtomicInteger();

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    a = MockUpstream.start(vertx).await();
    b = MockUpstream.start(vertx).await();
    gateway = TestGateway.builder(vertx)
        .channel(Wire.channel("a", a, MODEL, "sk-a"))
        .channel(Wire.channel("b", b, MODEL, "sk-b"))
        .group(new JsonObject().put("name", MODEL).put("strategy", "round_robin")
            .put("members", new JsonArray().add(new JsonObject().put("channel", "a")).add(new JsonObject().put("channel", "b"))))
        .clientKey("client", KEY)
        .routing("retries", 2).routing("maxCooldown", "1m")
        .start();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  /** A new conversation each time, so session affinity plays no part. */
  private Reply call() {
    return gateway.call(KEY, chat(MODEL, "conversation " + conversations.incrementAndGet()));
  }

  @Test
  void aCredentialThatAnswered429IsNotUsedUntilItsRetryAfterHasPassed() {
    a.enqueue(Behavior.rateLimited(2)); // then 200s
    long sentBefore429 = 0;
    for (int i = 0; i < 10 && a.requestCount() == 0; i++) {
      sentBefore429 = System.currentTimeMillis();
      Reply r = call();
      assertEquals(200, r.status(), r.text());
      if (a.requestCount() == 1) {
        assertEquals("b", channelOf(r), "the 429 is retried on the other credential");
        assertEquals(2, attemptsOf(r));
      }
    }
    assertEquals(1, a.requestCount(), "round robin reached credential a");
    assertTrue(eventually(vertx, () -> transitions(gateway, "cooling") == 1));

    // Every request answered before sentBefore429 + 2 s reached the gateway inside a's cooldown
    // (which began when the gateway heard the 429, after sentBefore429): none may go to a.
    long cooldownFloor = sentBefore429 + 2_000;
    int during = 0;
    while (true) {
      Reply r = call();
      long answered = System.currentTimeMillis();
      assertEquals(200, r.status(), r.text());
      if (answered >= cooldownFloor) break;
      during++;
      assertEquals("b", channelOf(r), "request " + during + " inside the cooldown");
      assertEquals(1, a.requestCount(), "a is not asked while it cools");
    }
    assertTrue(during > 0, "some requests fell inside the cooldown");

    // after the wait a serves again, by itself (a 429 is a cooldown, not a circuit: no probe)
    assertTrue(eventually(vertx, () -> "a".equals(channelOf(call()))), "a is back in rotation");
    assertEquals(2, a.requestCount(), "one 429, then the request it served");
    assertEquals(0.0, transitions(gateway, "open"));
  }

  @Test
  void whileEveryCredentialCoolsTheClientHears429WithTheRemainingWaitAndNoUpstreamIsAsked() {
    a.defaultBehavior(Behavior.rateLimited(30));
    b.defaultBehavior(Behavior.rateLimited(30));
    Reply first = call();
    assertEquals(429, first.status(), first.text());
    assertEquals(1, a.requestCount());
    assertEquals(1, b.requestCount(), "both credentials were tried");
    assertEquals("rate_limit_error", first.json().getJsonObject("error").getString("type"));
    assertEquals("upstream_rate_limited", first.json().getJsonObject("error").getString("code"));
    long wait = Long.parseLong(first.header("retry-after"));
    assertTrue(wait >= 1 && wait <= 30, "the upstream's retry-after: " + wait);
    assertTrue(eventually(vertx, () -> transitions(gateway, "cooling") == 2));

    for (int i = 0; i < 10; i++) {
      Reply r = call();
      assertEquals(429, r.status(), r.text());
      assertEquals("upstream_rate_limited", r.json().getJsonObject("error").getString("code"));
      assertNotNull(r.header("retry-after"));
      long left = Long.parseLong(r.header("retry-after"));
      assertTrue(left >= 1 && left <= 30, "the rest of the 30 s: " + left);
    }
    // Anthropic's clients get the same in their own envelope
    Reply messages = gateway.post("/v1/messages", KEY, new JsonObject().put("model", MODEL).put("max_tokens", 16)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hello")))).await();
    assertEquals(429, messages.status(), messages.text());
    assertEquals("error", messages.json().getString("type"));
    assertEquals("rate_limit_error", messages.json().getJsonObject("error").getString("type"));
    assertNotNull(messages.header("retry-after"));
    assertEquals(1, a.requestCount(), "nothing sent upstream while everything cools");
    assertEquals(1, b.requestCount());
  }
}
