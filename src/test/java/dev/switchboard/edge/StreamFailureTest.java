package dev.switchboard.edge;

import static dev.switchboard.edge.Chat.CLIENT_KEY;
import static dev.switchboard.edge.Chat.MODEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.Sse;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A stream that fails after its head was sent: the client keeps what was relayed, gets one SSE
 * error event and a clean end. A client that leaves cancels the upstream.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StreamFailureTest {

  private Vertx vertx;
  private MockUpstream mock;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    mock = MockUpstream.start(vertx).await();
    gateway = TestGateway.builder(vertx)
        .channel(TestGateway.channel("primary", mock.baseUrl(), MODEL))
        .clientKey("client", CLIENT_KEY)
        .routing("idleTimeout", "300ms")
        .limits("maxSseEventBytes", "16KiB")
        .start();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void upstreamDroppedMidStreamEndsWithAnErrorEventAfterTheChunksSoFar() {
    mock.enqueue(Behavior.ok().dropAfter(3));

    Reply reply = gateway.call(CLIENT_KEY, Chat.streamRequest(MODEL));

    assertEquals(200, reply.status());
    List<String> events = Sse.payloads(reply.text());
    assertEquals(4, events.size(), reply.text());
    assertEquals("Hello from", Chat.content(events.subList(0, 3).stream().map(JsonObject::new).toList()));
    assertErrorEvent(events.get(3), "upstream_");
    assertEquals(1, gateway.awaitUsageCount(1));
    assertEquals(502, status(gateway.query("SELECT status FROM usage_records").get(0).get("status")));
  }

  @Test
  void upstreamStalledMidStreamEndsWithAnErrorEventAfterTheIdleTimeout() {
    mock.enqueue(Behavior.ok().stallAfter(3));

    Reply reply = gateway.call(CLIENT_KEY, Chat.streamRequest(MODEL));

    assertEquals(200, reply.status());
    List<String> events = Sse.payloads(reply.text());
    assertEquals(4, events.size(), reply.text());
    assertEquals("Hello from", Chat.content(events.subList(0, 3).stream().map(JsonObject::new).toList()));
    assertErrorEvent(events.get(3), "upstream_idle_timeout");
    mock.awaitAborted(1).await();
    assertEquals(1, truncations("upstream_idle_timeout"));
  }

  @Test
  void aNonStreamBodyCutByTheUpstreamIs502() {
    mock.enqueue(Behavior.ok().dropAfter(0));

    Reply reply = gateway.call(CLIENT_KEY, Chat.request(MODEL));

    ErrorEnvelopeTest.assertEnvelope(reply, 502, "upstream_error");
  }

  @Test
  void aNonStreamBodyStalledByTheUpstreamIs502AfterTheIdleTimeout() {
    mock.enqueue(Behavior.ok().stallAfter(0));

    Reply reply = gateway.call(CLIENT_KEY, Chat.request(MODEL));

    ErrorEnvelopeTest.assertEnvelope(reply, 502, "upstream_error");
    mock.awaitAborted(1).await();
  }

  @Test
  void malformedSseIsRelayedAsItCame() {
    mock.enqueue(Behavior.malformedSse());

    Reply reply = gateway.call(CLIENT_KEY, Chat.streamRequest(MODEL));

    assertEquals(200, reply.status());
    assertEquals("data: {not json\n\n"
        + "data: {\"id\":\"chatcmpl-mock\",\"choices\":[{\"delta\":\n\n"
        + "data: [DONE]\n\n", reply.text());
    assertEquals(200, gateway.call(CLIENT_KEY, Chat.request(MODEL)).status(), "the gateway carries on");
  }

  @Test
  void anEventLargerThanTheLimitStopsTheStreamWithAnErrorEvent() {
    mock.enqueue(Behavior.oversizedEvent(64 * 1024));

    Reply reply = gateway.call(CLIENT_KEY, Chat.streamRequest(MODEL));

    assertEquals(200, reply.status());
    List<String> events = Sse.payloads(reply.text());
    assertTrue(events.size() >= 1, reply.text());
    assertErrorEvent(events.get(events.size() - 1), "event_too_large");
    assertFalse(reply.text().contains("x".repeat(16 * 1024)), "the oversized event was not relayed");
    assertEquals(1, truncations("event_too_large"));
  }

  @Test
  void clientDisconnectCancelsTheUpstreamAtOnce() {
    mock.enqueue(Behavior.ok().content("word ".repeat(500).trim()).tokenDelayMs(20));
    Promise<Void> gotChunks = Promise.promise();

    gateway.open(CLIENT_KEY, Chat.streamRequest(MODEL)).compose(resp -> {
      Buffer seen = Buffer.buffer();
      resp.handler(chunk -> {
        seen.appendBuffer(chunk);
        if (Sse.payloads(complete(seen)).size() >= 3 && gotChunks.tryComplete()) {
          resp.request().reset();
        }
      });
      return gotChunks.future();
    }).await();

    mock.awaitAborted(1).timeout(10, TimeUnit.SECONDS).await();
    assertEquals(1, gateway.awaitUsageCount(1));
    assertEquals(499, status(gateway.query("SELECT status FROM usage_records").get(0).get("status")));
    assertEquals(1, truncations("client_closed"));
    assertEquals(0, gateway.metrics().registry().get("switchboard_active_streams").gauge().value());
  }

  @Test
  void clientsLeavingHeldStreamsTogetherLeaveNoUnhandledErrorBehind() {
    // what the upstream still delivers after its client left must reach nobody, not an ended response
    List<Throwable> unhandled = new java.util.concurrent.CopyOnWriteArrayList<>();
    vertx.exceptionHandler(unhandled::add);
    int streams = 200;
    mock.defaultBehavior(Behavior.ok().content("word ".repeat(100).trim()).tokenDelayMs(50));
    List<io.vertx.core.http.HttpClientResponse> open = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<io.vertx.core.Future<Void>> started = new java.util.ArrayList<>();
    for (int i = 0; i < streams; i++) {
      Promise<Void> first = Promise.promise();
      started.add(gateway.open(CLIENT_KEY, Chat.streamRequest(MODEL)).compose(resp -> {
        open.add(resp);
        resp.handler(chunk -> first.tryComplete());
        return first.future();
      }));
    }
    io.vertx.core.Future.all(started).await();
    open.forEach(resp -> resp.request().connection().close());
    assertEquals(streams, gateway.awaitUsageCount(streams));
    TestGateway.delay(vertx, 300).await(); // several more upstream events' worth of time
    assertEquals(List.of(), unhandled, "exceptions no handler took");
    assertEquals(0, gateway.metrics().registry().get("switchboard_active_streams").gauge().value());
  }

  @Test
  void clientDisconnectWhileWaitingForTheUpstreamCancelsTheUpstream() {
    mock.enqueue(Behavior.hang());
    HttpClientRequest request = gateway.request("/v1/chat/completions").await();
    request.putHeader("authorization", "Bearer " + CLIENT_KEY).putHeader("content-type", "application/json");
    request.end(Chat.request(MODEL).toBuffer());
    for (int i = 0; i < 200 && mock.requestCount() == 0; i++) {
      TestGateway.delay(vertx, 10).await();
    }
    assertEquals(1, mock.requestCount());

    request.reset();

    // Far sooner than the 10 s first-byte timeout that would end the attempt anyway.
    mock.awaitAborted(1).timeout(3, TimeUnit.SECONDS).await();
  }

  /** The complete events of a partly received stream. */
  private static String complete(Buffer seen) {
    String text = seen.toString();
    int end = text.lastIndexOf("\n\n");
    return end < 0 ? "" : text.substring(0, end + 2);
  }

  private double truncations(String reason) {
    var counter = gateway.metrics().registry().find("switchboard_stream_truncations_total").tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  private static int status(Object value) {
    return ((Number) value).intValue();
  }

  private static void assertErrorEvent(String payload, String codePrefix) {
    JsonObject error = new JsonObject(payload).getJsonObject("error");
    assertEquals("upstream_error", error.getString("type"), payload);
    assertTrue(error.getString("code").startsWith(codePrefix), payload);
    assertFalse(payload.contains("Exception") || payload.contains("at dev."), payload);
  }
}
