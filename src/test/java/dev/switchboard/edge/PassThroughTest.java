package dev.switchboard.edge;

import static dev.switchboard.edge.Chat.CLIENT_KEY;
import static dev.switchboard.edge.Chat.MOCK_CONTENT;
import static dev.switchboard.edge.Chat.MODEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.RecordedRequest;
import dev.switchboard.testing.Sse;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The proxy path over real sockets: what the upstream receives and what the client gets back. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PassThroughTest {

  private static final String UPSTREAM_KEY = "sk-upstream-primary";
  private static final String UPSTREAM_MODEL = "gpt-4o-2024-08-06";

  private MockUpstream mock;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    mock = MockUpstream.start(vertx).await();
    gateway = TestGateway.builder(vertx)
        .channel(TestGateway.channel("primary", mock.baseUrl(), MODEL)
            .put("keys", new JsonArray().add(UPSTREAM_KEY))
            .put("modelMap", new JsonObject().put(MODEL, UPSTREAM_MODEL)))
        .clientKey("client", CLIENT_KEY)
        .start();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void nonStreamBodyReachesTheUpstreamUnchangedExceptTheMappedModelAndTheAuth() {
    String body = "{\"model\":\"gpt-4o\", \"messages\":[{\"role\":\"user\",\"content\":\"Hi \\u00e9\"}],"
        + "\"temperature\":0.25,\"user\":\"u-1\",\"metadata\":{\"a\":[1,2,{\"b\":null}]},\"n\":1}";
    Reply reply = gateway.send(HttpMethod.POST, "/v1/chat/completions", CLIENT_KEY,
        Buffer.buffer(body), null).await();

    assertEquals(200, reply.status());
    assertEquals(MOCK_CONTENT, reply.json().getJsonArray("choices").getJsonObject(0)
        .getJsonObject("message").getString("content"));
    assertNotNull(reply.header("x-request-id"));
    assertTrue(reply.header("x-switchboard-route").contains("channel=primary"), reply.header("x-switchboard-route"));

    RecordedRequest seen = mock.requests().get(0);
    assertEquals("Bearer " + UPSTREAM_KEY, seen.header("authorization"), "the channel's key, never the client's");
    JsonObject expected = new JsonObject(body).put("model", UPSTREAM_MODEL);
    assertEquals(expected, seen.body());
    String expectedBytes = body.replace("\"gpt-4o\"", "\"" + UPSTREAM_MODEL + "\"");
    assertEquals(String.valueOf(expectedBytes.getBytes(StandardCharsets.UTF_8).length),
        seen.header("content-length"), "every other byte is the client's");
  }

  @Test
  void nonStreamUsageIsStored() {
    mock.enqueue(Behavior.ok().usage(12, 5, 2, 1));
    assertEquals(200, gateway.call(CLIENT_KEY, Chat.request(MODEL)).status());

    assertEquals(1, gateway.awaitUsageCount(1));
    Map<String, Object> row = gateway.query("SELECT * FROM usage_records").get(0);
    assertEquals(12L, ((Number) row.get("input_tokens")).longValue());
    assertEquals(5L, ((Number) row.get("output_tokens")).longValue());
    assertEquals(200, ((Number) row.get("status")).intValue());
    assertEquals(UPSTREAM_MODEL, row.get("upstream_model"));
  }

  @Test
  void streamHasSseHeadersAndHidesTheUsageChunkTheGatewayAskedForButStoresItsTokens() {
    mock.enqueue(Behavior.ok().usage(11, 7, 3, 2));
    Reply reply = gateway.call(CLIENT_KEY, Chat.streamRequest(MODEL));

    assertEquals(200, reply.status());
    assertTrue(reply.header("content-type").startsWith("text/event-stream"), reply.header("content-type"));
    assertEquals("no-cache", reply.header("cache-control"));
    assertEquals("no", reply.header("x-accel-buffering"));
    assertNotNull(reply.header("x-request-id"));
    assertNotNull(reply.header("x-switchboard-route"));

    JsonObject upstreamOptions = mock.requests().get(0).body().getJsonObject("stream_options");
    assertEquals(Boolean.TRUE, upstreamOptions.getBoolean("include_usage"));

    List<JsonObject> chunks = Sse.chunks(reply.text());
    assertEquals(MOCK_CONTENT, Chat.content(chunks));
    assertFalse(reply.text().contains("\"usage\":{"), reply.text());
    for (JsonObject chunk : chunks) {
      assertFalse(chunk.getJsonArray("choices").isEmpty(), "no usage-only chunk: " + chunk);
    }

    assertEquals(1, gateway.awaitUsageCount(1));
    Map<String, Object> row = gateway.query("SELECT * FROM usage_records").get(0);
    assertEquals(11L, ((Number) row.get("input_tokens")).longValue());
    assertEquals(7L, ((Number) row.get("output_tokens")).longValue());
    assertEquals(3L, ((Number) row.get("cached_tokens")).longValue());
    assertEquals(2L, ((Number) row.get("reasoning_tokens")).longValue());
    assertTrue(gateway.metrics().registry().scrape().contains("switchboard_tokens_total"));
  }

  @Test
  void streamRelaysTheUsageChunkUntouchedWhenTheClientAskedForIt() {
    mock.enqueue(Behavior.ok().usage(11, 7, 3, 2));
    JsonObject request = Chat.streamRequest(MODEL).put("stream_options", new JsonObject().put("include_usage", true));
    Reply reply = gateway.call(CLIENT_KEY, request);

    assertEquals(200, reply.status());
    List<JsonObject> chunks = Sse.chunks(reply.text());
    JsonObject last = chunks.get(chunks.size() - 1);
    assertTrue(last.getJsonArray("choices").isEmpty());
    JsonObject usage = last.getJsonObject("usage");
    assertEquals(11, usage.getInteger("prompt_tokens"));
    assertEquals(7, usage.getInteger("completion_tokens"));
    assertEquals(18, usage.getInteger("total_tokens"));
    assertEquals(MOCK_CONTENT, Chat.content(chunks));
  }

  @Test
  void onlyTheTopLevelModelIsRenamedNeverAModelNameInsideTheConversation() {
    String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"\\\"model\\\":\\\"gpt-4o\\\" is what I use\"}],"
        + "\"metadata\":{\"model\":\"gpt-4o\"},\"model\" : \"gpt-4o\"}";
    Reply reply = gateway.send(HttpMethod.POST, "/v1/chat/completions", CLIENT_KEY, Buffer.buffer(body), null).await();

    assertEquals(200, reply.status(), reply.text());
    JsonObject seen = mock.requests().get(0).body();
    assertEquals(UPSTREAM_MODEL, seen.getString("model"));
    assertEquals("gpt-4o", seen.getJsonObject("metadata").getString("model"));
    assertEquals("\"model\":\"gpt-4o\" is what I use",
        seen.getJsonArray("messages").getJsonObject(0).getString("content"));
  }

  @Test
  void streamOptionsWithoutUsageAreKeptAndUsageIsSwitchedOnUpstreamOnly() {
    mock.enqueue(Behavior.ok().usage(4, 6, 0, 0));
    JsonObject request = Chat.streamRequest(MODEL)
        .put("stream_options", new JsonObject().put("include_usage", false).put("include_obfuscation", false));
    Reply reply = gateway.call(CLIENT_KEY, request);

    assertEquals(200, reply.status());
    JsonObject upstreamOptions = mock.requests().get(0).body().getJsonObject("stream_options");
    assertEquals(new JsonObject().put("include_usage", true).put("include_obfuscation", false), upstreamOptions);
    assertFalse(reply.text().contains("\"usage\":{"), reply.text());
    assertEquals(MOCK_CONTENT, Chat.streamedContent(reply.text()));
  }

  @Test
  void nullStreamOptionsAreReplacedUpstream() {
    JsonObject request = Chat.streamRequest(MODEL).putNull("stream_options");
    Reply reply = gateway.call(CLIENT_KEY, request);

    assertEquals(200, reply.status());
    assertEquals(Boolean.TRUE, mock.requests().get(0).body().getJsonObject("stream_options").getBoolean("include_usage"));
    assertFalse(reply.text().contains("\"usage\":{"), reply.text());
  }

  @Test
  void anUpstreamThatAlwaysSendsUsageHasItsUsageChunkHiddenFromAClientThatDidNotAsk() {
    mock.enqueue(Behavior.ok().alwaysUsage().usage(3, 2, 0, 0));
    Reply reply = gateway.call(CLIENT_KEY, Chat.streamRequest(MODEL).put("stream_options", new JsonObject()));

    assertEquals(200, reply.status());
    for (JsonObject chunk : Sse.chunks(reply.text())) {
      assertFalse(chunk.getJsonArray("choices").isEmpty(), "no usage-only chunk: " + chunk);
    }
  }
}
