package dev.switchboard.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A key's concurrency slots never leak: requests that end any way at all (a client leaving
 * mid-stream, a client leaving before the upstream answered, an upstream failure) give their
 * slot back, so the key is served again at its full concurrency afterwards.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConcurrencySlotsTest {

  private static final String KEY = "sk-client-slots-00000000000001";
  private static final String MODEL = "gpt-4o";
  private static final int SLOTS = 3;

  private Vertx vertx;
  private MockUpstream mock;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    mock = MockUpstream.start(vertx).await();
    gateway = TestGateway.builder(vertx)
        .channel(Wire.channel("only", mock, MODEL, "sk-upstream"))
        .apiKey(new JsonObject().put("name", "slots").put("key", KEY).put("limits", new JsonObject().put("maxConcurrent", SLOTS)))
        .routing("retries", 0).routing("maxErrorCount", 1000) // failures here are about slots, not circuits
        .start();
  }

  @AfterEach
  void stop() {
    mock.release();
    gateway.close();
  }

  /** SLOTS requests held upstream are admitted, one more is refused: the key has exactly SLOTS free slots. */
  private void assertAllSlotsFree() {
    int before = mock.requestCount();
    mock.hold();
    List<Future<Reply>> held = new ArrayList<>();
    for (int i = 0; i < SLOTS; i++) held.add(gateway.post("/v1/chat/completions", KEY, Wire.chat(MODEL, "probe " + i)));
    assertTrue(Wire.eventually(vertx, () -> mock.requestCount() == before + SLOTS), "all " + SLOTS + " slots free");
    Reply extra = gateway.call(KEY, Wire.chat(MODEL, "one too many"));
    assertEquals(429, extra.status(), extra.text());
    mock.release();
    Future.join(held).await();
    held.forEach(f -> assertEquals(200, f.result().status()));
  }

  @Test
  void clientsLeavingMidStreamGiveTheirSlotsBack() {
    mock.defaultBehavior(Behavior.ok().content("one two three four five six seven eight nine ten").tokenDelayMs(200));
    List<HttpClientResponse> streams = new ArrayList<>();
    for (int i = 0; i < SLOTS; i++) {
      streams.add(gateway.open(KEY, Wire.chat(MODEL, "stream " + i).put("stream", true)).await());
    }
    streams.forEach(r -> assertEquals(200, r.statusCode()));
    assertEquals(429, gateway.call(KEY, Wire.chat(MODEL, "while streaming")).status(), "all slots taken");
    for (HttpClientResponse r : streams) {
      r.exceptionHandler(err -> { }); // the test closes these on purpose
      r.request().connection().close();
    }
    // each stream ends in a usage record, written when its request settles (slot released)
    assertEquals(SLOTS + 1, gateway.awaitUsageCount(SLOTS + 1));
    mock.defaultBehavior(Behavior.ok());
    assertAllSlotsFree();
  }

  @Test
  void clientsLeavingBeforeTheUpstreamAnsweredGiveTheirSlotsBack() {
    mock.hold();
    List<HttpClientRequest> waiting = new ArrayList<>();
    for (int i = 0; i < SLOTS; i++) {
      HttpClientRequest req = gateway.request("/v1/chat/completions").await();
      req.putHeader("authorization", "Bearer " + KEY).putHeader("content-type", "application/json");
      req.send(Wire.chat(MODEL, "waiting " + i).toBuffer());
      waiting.add(req);
    }
    assertTrue(Wire.eventually(vertx, () -> mock.requestCount() == SLOTS));
    for (HttpClientRequest req : waiting) req.connection().close();
    assertEquals(SLOTS, gateway.awaitUsageCount(SLOTS));
    mock.release();
    assertAllSlotsFree();
  }

  @Test
  void upstreamFailuresGiveTheirSlotsBack() {
    mock.defaultBehavior(Behavior.status(500));
    for (int i = 0; i < 10; i++) assertEquals(502, gateway.call(KEY, Wire.chat(MODEL, "failing " + i)).status());
    mock.defaultBehavior(Behavior.ok().dropAfter(2));
    for (int i = 0; i < 5; i++) {
      Reply r = gateway.send(io.vertx.core.http.HttpMethod.POST, "/v1/chat/completions", KEY,
          Wire.chat(MODEL, "dropped " + i).put("stream", true).toBuffer(), null).await();
      assertEquals(200, r.status(), "the head went out before the upstream dropped");
    }
    assertEquals(15, gateway.awaitUsageCount(15));
    mock.defaultBehavior(Behavior.ok());
    assertAllSlotsFree();
  }
}
