package dev.switchboard.edge;

import static dev.switchboard.edge.Chat.CLIENT_KEY;
import static dev.switchboard.edge.Chat.MOCK_CONTENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.RecordedRequest;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An Anthropic Messages client (as Claude Code talks) in front of an OpenAI-compatible
 * channel, over real sockets: the request is translated, the answer comes back in Anthropic's
 * shape, streamed or not, and every failure in Anthropic's envelope.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AnthropicClientTest {

  static final String MODEL = "claude-sonnet-4-5";
  private static final String UPSTREAM_MODEL = "gpt-4o-mini";

  private MockUpstream mock;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    mock = MockUpstream.start(vertx).await();
    gateway = TestGateway.builder(vertx)
        .channel(TestGateway.channel("compatible", mock.baseUrl(), MODEL)
            .put("keys", new JsonArray().add("sk-upstream"))
            .put("modelMap", new JsonObject().put(MODEL, UPSTREAM_MODEL)))
        .clientKey("client", CLIENT_KEY)
        .routing("retries", 1)
        .routing("retryBackoff", "0ms")
        .server("keepAlive", "150ms")
        .start();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  static JsonObject request(boolean stream) {
    return new JsonObject().put("model", MODEL).put("max_tokens", 256).put("stream", stream)
        .put("system", "Be brief.")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi")));
  }

  private Reply messages(JsonObject body) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("x-api-key", CLIENT_KEY).add("anthropic-version", "2023-06-01");
    return gateway.send(HttpMethod.POST, "/v1/messages", null, body.toBuffer(), headers).await();
  }

  /** Events of an Anthropic stream as (name, data) pairs, checking each names its own type. */
  static List<Map.Entry<String, JsonObject>> events(String body) {
    List<Map.Entry<String, JsonObject>> out = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      if (block.isBlank()) continue;
      String name = null;
      JsonObject data = null;
      for (String line : block.split("\n")) {
        if (line.startsWith("event: ")) name = line.substring(7);
        if (line.startsWith("data: ")) data = new JsonObject(line.substring(6));
      }
      assertEquals(name, data.getString("type"), block);
      out.add(Map.entry(name, data));
    }
    return out;
  }

  @Test
  void aWholeAnswerComesBackAsAnAnthropicMessage() {
    mock.enqueue(Behavior.ok().usage(21, 6, 0, 0));
    Reply reply = messages(request(false));

    assertEquals(200, reply.status(), reply.text());
    JsonObject message = reply.json();
    assertEquals("message", message.getString("type"));
    assertEquals("assistant", message.getString("role"));
    assertEquals(MODEL, message.getString("model"));
    assertEquals("end_turn", message.getString("stop_reason"));
    assertEquals(MOCK_CONTENT, message.getJsonArray("content").getJsonObject(0).getString("text"));
    assertEquals(21, message.getJsonObject("usage").getInteger("input_tokens"));
    assertEquals(6, message.getJsonObject("usage").getInteger("output_tokens"));

    RecordedRequest seen = mock.requests().get(0);
    assertEquals("/v1/chat/completions", seen.path());
    assertEquals("Bearer sk-upstream", seen.header("authorization"));
    assertNull(seen.header("x-api-key"), "the client's key never travels on");
    assertEquals(UPSTREAM_MODEL, seen.body().getString("model"));
    JsonArray sent = seen.body().getJsonArray("messages");
    assertEquals("system", sent.getJsonObject(0).getString("role"));
    assertEquals("Be brief.", sent.getJsonObject(0).getString("content"));
    assertEquals("user", sent.getJsonObject(1).getString("role"));

    assertEquals(1, gateway.awaitUsageCount(1));
    Map<String, Object> row = gateway.query("SELECT * FROM usage_records").get(0);
    assertEquals(21L, ((Number) row.get("input_tokens")).longValue());
    assertEquals("messages", row.get("route"));
  }

  @Test
  void aStreamComesBackAsAnthropicEventsInOrderWithUsage() {
    mock.enqueue(Behavior.ok().chunks(4).usage(30, 9, 4, 0));
    Reply reply = messages(request(true));

    assertEquals(200, reply.status(), reply.text());
    assertTrue(reply.header("content-type").startsWith("text/event-stream"));
    List<Map.Entry<String, JsonObject>> events = events(reply.text());
    List<String> names = events.stream().map(Map.Entry::getKey).filter(n -> !n.equals("ping")).toList();
    assertEquals("message_start", names.get(0));
    assertEquals("content_block_start", names.get(1));
    assertEquals("message_stop", names.get(names.size() - 1));
    assertEquals("message_delta", names.get(names.size() - 2));
    assertEquals("content_block_stop", names.get(names.size() - 3));
    StringBuilder text = new StringBuilder();
    for (var e : events) {
      if (e.getKey().equals("content_block_delta")) {
        assertEquals(0, e.getValue().getInteger("index"));
        text.append(e.getValue().getJsonObject("delta").getString("text"));
      }
    }
    assertEquals(MOCK_CONTENT, text.toString());
    JsonObject delta = events.get(events.size() - 2).getValue();
    assertEquals("end_turn", delta.getJsonObject("delta").getString("stop_reason"));
    assertEquals(9, delta.getJsonObject("usage").getInteger("output_tokens"));

    assertTrue(mock.requests().get(0).body().getJsonObject("stream_options").getBoolean("include_usage"),
        "usage is always asked of a Chat upstream");
    assertEquals(1, gateway.awaitUsageCount(1));
    Map<String, Object> row = gateway.query("SELECT * FROM usage_records").get(0);
    assertEquals(30L, ((Number) row.get("input_tokens")).longValue());
    assertEquals(9L, ((Number) row.get("output_tokens")).longValue());
    assertEquals(4L, ((Number) row.get("cached_tokens")).longValue());
    assertEquals(200, ((Number) row.get("status")).intValue());
  }

  @Test
  void longUpstreamSilencesGetAnthropicPingsBetweenEvents() {
    mock.enqueue(Behavior.ok().chunks(3).tokenDelayMs(500));
    Reply reply = messages(request(true));

    assertEquals(200, reply.status());
    List<Map.Entry<String, JsonObject>> events = events(reply.text());
    long pings = events.stream().filter(e -> e.getKey().equals("ping")).count();
    assertTrue(pings >= 2, "three silences of 500 ms with a 150 ms keep-alive: " + reply.text());
    assertEquals("message_stop", events.get(events.size() - 1).getKey());
    assertTrue(gateway.metrics().registry().scrape().contains("switchboard_stream_keepalives_total"));
  }

  @Test
  void anUpstreamThatDiesMidStreamEndsInAnAnthropicErrorEvent() {
    mock.enqueue(Behavior.ok().chunks(6).dropAfter(2));
    Reply reply = messages(request(true));

    assertEquals(200, reply.status());
    List<Map.Entry<String, JsonObject>> events = events(reply.text());
    assertEquals("message_start", events.get(0).getKey());
    Map.Entry<String, JsonObject> last = events.get(events.size() - 1);
    assertEquals("error", last.getKey(), reply.text());
    assertFalse(reply.text().contains("message_stop"), "a cut stream never claims to be complete");
    assertEquals(1, gateway.awaitUsageCount(1));
    assertEquals(502, ((Number) gateway.query("SELECT status FROM usage_records").get(0).get("status")).intValue());
  }

  @Test
  void upstreamErrorsAreRewrappedInAnthropicsEnvelope() {
    mock.enqueue(Behavior.status(400));
    Reply bad = messages(request(false));
    assertEquals(400, bad.status());
    assertEquals("error", bad.json().getString("type"));
    assertEquals("invalid_request_error", bad.json().getJsonObject("error").getString("type"));

    // one attempt per credential: the retry finds no other lease and answers with the first failure
    mock.enqueue(Behavior.status(503));
    Reply overloaded = messages(request(false));
    assertEquals(529, overloaded.status(), "Anthropic's SDKs know overload as 529");
    assertEquals("overloaded_error", overloaded.json().getJsonObject("error").getString("type"));

    mock.enqueue(Behavior.rateLimited(7));
    Reply limited = messages(request(false));
    assertEquals(429, limited.status());
    assertEquals("rate_limit_error", limited.json().getJsonObject("error").getString("type"));
    assertEquals("7", limited.header("retry-after"));
  }

  @Test
  void gatewayErrorsUseAnthropicsEnvelopeToo() {
    Reply missing = gateway.send(HttpMethod.POST, "/v1/messages", null, request(false).toBuffer(), null).await();
    assertEquals(401, missing.status());
    assertEquals("authentication_error", missing.json().getJsonObject("error").getString("type"));

    Reply malformed = gateway.send(HttpMethod.POST, "/v1/messages", null, Buffer.buffer("{\"model\":"),
        MultiMap.caseInsensitiveMultiMap().add("x-api-key", CLIENT_KEY)).await();
    assertEquals(400, malformed.status());
    assertEquals("invalid_request_error", malformed.json().getJsonObject("error").getString("type"));

    Reply noMessages = messages(new JsonObject().put("model", MODEL).put("max_tokens", 5));
    assertEquals(400, noMessages.status());
    assertTrue(noMessages.json().getJsonObject("error").getString("message").contains("messages"));

    Reply unknown = messages(request(false).put("model", "claude-nope"));
    assertEquals(404, unknown.status());
    assertEquals("not_found_error", unknown.json().getJsonObject("error").getString("type"));

    Reply untranslatable = messages(request(false).put("messages", "not a list"));
    assertEquals(400, untranslatable.status(), untranslatable.text());
    assertEquals("invalid_request_error", untranslatable.json().getJsonObject("error").getString("type"));
    assertEquals(0, mock.requestCount(), "nothing bad reached the upstream");
  }

  @Test
  void countTokensIsEstimatedWhenTheUpstreamCannotCount() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("x-api-key", CLIENT_KEY);
    JsonObject body = request(false).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "The quick brown fox jumps over the lazy dog.")));
    Reply reply = gateway.send(HttpMethod.POST, "/v1/messages/count_tokens", null, body.toBuffer(), headers).await();
    assertEquals(200, reply.status(), reply.text());
    assertEquals("estimated", reply.header("x-switchboard-token-count"));
    int tokens = reply.json().getInteger("input_tokens");
    assertTrue(tokens >= 10 && tokens <= 30, "system + one sentence + framing: " + tokens);
    assertEquals(0, mock.requestCount());
  }

  @Test
  void theModelListHasAnthropicsShapeForAnthropicClients() {
    Reply reply = gateway.send(HttpMethod.GET, "/v1/models", null, null,
        MultiMap.caseInsensitiveMultiMap().add("x-api-key", CLIENT_KEY).add("anthropic-version", "2023-06-01")).await();
    assertEquals(200, reply.status());
    JsonObject first = reply.json().getJsonArray("data").getJsonObject(0);
    assertEquals("model", first.getString("type"));
    assertEquals(MODEL, first.getString("id"));
    assertEquals(false, reply.json().getBoolean("has_more"));
  }
}
