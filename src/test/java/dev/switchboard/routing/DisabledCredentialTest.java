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
import io.vertx.core.Future;
import io.vertx.core.Vertx;
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
 * A credential the upstream rejects with 401 is disabled after that one answer, with the reason
 * shown by explain; the channel's other credential serves everything after it. After
 * {@code maxCooldown} exactly one request probes it: another 401 keeps it disabled, an answer
 * enables it.
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
    mock.defaultBehavior(ONLY_GOOD);
  }

  private static final Behavior ONLY_GOOD = Behavior.ok().requireHeader("authorization", "Bearer sk-good");

  private void startGateway(String maxCooldown) {
    gateway = TestGateway.builder(vertx)
        .channel(Wire.channel("pool", mock, MODEL, "sk-good", "sk-bad")) // weighted: each key half the traffic
        .clientKey("client", KEY)
        .routing("retries", 2).routing("maxCooldown", maxCooldown)
        .start();
  }

  @AfterEach
  void stop() {
    if (gateway != null) gateway.close();
  }

  private String badKeySkip() {
    Explanation why = gateway.pool().explain(MODEL, null, System.currentTimeMillis());
    return why.candidates().stream().filter(s -> s.credentialId() == badCredentialId).findFirst().orElseThrow().skipped();
  }

  private long badCredentialId;

  private Reply call() {
    Reply r = gateway.call(KEY, chat(MODEL, "conversation " + conversations.incrementAndGet()));
    assertEquals(200, r.status(), r.text());
    return r;
  }

  @Test
  void a401DisablesTheCredentialWithItsReasonAndTheOtherServesEverything() {
    startGateway("10m");
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

  @Test
  void afterMaxCooldownOneProbeDecidesStillRejectedStaysDisabledAnAnswerEnablesIt() {
    startGateway("2s"); // the burst below must finish within one disabled period (2 s) to see exactly one probe
    for (int i = 0; i < 60 && !keysSeen(mock).containsKey("Bearer sk-bad"); i++) call();
    assertTrue(eventually(vertx, () -> transitions(gateway, "disabled") == 1));
    badCredentialId = gateway.pool().explain(MODEL, null, System.currentTimeMillis()).candidates().stream()
        .filter(s -> s.skipped() != null).findFirst().orElseThrow().credentialId();

    // the wait is over, the key is still bad: of 20 concurrent requests exactly one probes it
    assertTrue(eventually(vertx, () -> badKeySkip() == null), "probe due");
    List<Future<Reply>> burst = new ArrayList<>();
    for (int i = 0; i < 20; i++) burst.add(gateway.post("/v1/chat/completions", KEY, chat(MODEL, "burst " + i)));
    Future.join(burst).await();
    burst.forEach(f -> assertEquals(200, f.result().status(), f.result().text()));
    assertEquals(2, keysSeen(mock).get("Bearer sk-bad"), "one probe");
    assertTrue(eventually(vertx, () -> transitions(gateway, "disabled") == 2), "still rejected: disabled again");
    assertEquals(0.0, transitions(gateway, "enabled"));

    // the upstream accepts the key now: the next probe enables it, and it takes its share again
    mock.defaultBehavior(Behavior.ok());
    assertTrue(eventually(vertx, () -> badKeySkip() == null), "probe due again");
    for (int i = 0; i < 60 && keysSeen(mock).get("Bearer sk-bad") == 2; i++) call();
    assertEquals(3, keysSeen(mock).get("Bearer sk-bad"), "the probe");
    assertTrue(eventually(vertx, () -> transitions(gateway, "enabled") == 1), "enabled by the answered probe");
    assertTrue(eventually(vertx, () -> badKeySkip() == null && gateway.pool().explain(MODEL, null, System.currentTimeMillis())
        .candidates().stream().allMatch(s -> s.skipped() == null)));
    int bad = keysSeen(mock).get("Bearer sk-bad");
    for (int i = 0; i < 40; i++) call();
    // both keys in rotation again: none of 40 on it would be 2^-40
    assertTrue(keysSeen(mock).get("Bearer sk-bad") > bad, keysSeen(mock).toString());
  }
}
