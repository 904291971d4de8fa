package dev.switchboard.routing;

import static dev.switchboard.routing.Wire.attemptsOf;
import static dev.switchboard.routing.Wire.chat;
import static dev.switchboard.routing.Wire.eventually;
import static dev.switchboard.routing.Wire.keysSeen;
import static dev.switchboard.routing.Wire.transitions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.select.Explanation;
import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A credential the upstream rejects with 401 is disabled after that one answer, with the reason
 * shown by explain; the channel's other credential serves everything after it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DisabledCredentialTest {

  private static final String KEY = "sk-client-disabled-000000000001";
  private static final String MODEL = "gpt-4o";

  private Vertx vertx;
  private MockUpstream mock;
  private TestGateway gateway;
  private final AtomicInteger conversations = new AtomicInteger();

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    mock = MockUpstream.start(vertx).await();
    // the upstream knows only sk-good: sk-bad gets 401 in OpenAI's envelope
    mock.defaultBehavior(Behavior.ok().requireHeader("authorization", "Bearer sk-good"));
    gateway = TestGateway.builder(vertx)
        .channel(Wire.channel("pool", mock, MODEL, "sk-good", "sk-bad")) // weighted: each key half the traffic
        .clientKey("client", KEY)
        .routing("retries", 2).routing("maxCooldown", "10m")
        .start();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private Reply call() {
    Reply r = gateway.call(KEY, chat(MODEL, "conversation " + conversations.incrementAndGet()));
    assertEquals(200, r.status(), r.text());
    return r;
  }

  @Test
  void a401DisablesTheCredentialWithItsReasonAndTheOtherServesEverything() {
    // until the bad key is picked once (each pick 1/2: 60 misses in a row ~ 1e-18)
    for (int i = 0; i < 60 && !keysSeen(mock).containsKey("Bearer sk-bad"); i++) call();
    assertEquals(1, keysSeen(mock).get("Bearer sk-bad"), "the bad key was tried once");
    assertTrue(eventually(vertx, () -> transitions(gateway, "disabled") == 1), "disabled once");

    Explanation why = gateway.pool().explain(MODEL, null, System.currentTimeMillis());
    List<Explanation.Step> skipped = why.candidates().stream().filter(s -> s.skipped() != null).toList();
    assertEquals(1, skipped.size(), why.toString());
    assertTrue(skipped.get(0).skipped().startsWith("disabled for "), skipped.get(0).skipped());
    assertTrue(skipped.get(0).skipped().contains("credential rejected (401)"), skipped.get(0).skipped());
    assertNull(why.candidates().stream().filter(s -> s.skipped() == null).findFirst().orElseThrow().skipped());

    // 40 more: with the bad key still in rotation, 40 misses in a row would be ~1e-12
    int good = keysSeen(mock).get("Bearer sk-good");
    for (int i = 0; i < 40; i++) assertEquals(1, attemptsOf(call()), "straight to the good key");
    assertEquals(1, keysSeen(mock).get("Bearer sk-bad"), "the disabled key is not used again");
    assertEquals(good + 40, keysSeen(mock).get("Bearer sk-good"));
  }
}
