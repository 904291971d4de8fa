package dev.switchboard.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Anthropic Messages routes of {@link MockUpstream}, as {@code anthropic-messages.md} says. */
@ExtendWith(VertxExtension.class)
class MockUpstreamAnthropicTest {

  private static final String[] HEADERS = {
      "content-type", "application/json", "x-api-key", "sk-ant", "anthropic-version", "2023-06-01"};

  private MockUpstream mock;
  private WireCalls calls;

  @BeforeEach
  void start(Vertx vertx) {
    mock = WireCalls.await(MockUpstream.start(vertx));
    calls = new WireCalls(vertx, mock);
  }

  @AfterEach
  void stop() {
    WireCalls.await(mock.close());
  }

  @Test
  void messageCarriesTextEndTurnAndUsageWithTheCacheReadApart() {
    mock.enqueue(Behavior.ok().usage(10, 5, 4, 2));
    WireCalls.Reply reply = calls.generate(Protocol.ANTHROPIC, false);
    JsonObject json = reply.json();
    assertEquals("message", json.getString("type"));
    assertTrue(json.getString("id").startsWith("msg_"));
    assertEquals("assistant", json.getString("role"));
    assertEquals("claude-test", json.getString("model"));
    assertEquals(new JsonArray().add(new JsonObject().put("type", "text")
        .put("text", Behavior.DEFAULT_CONTENT)), json.getJsonArray("content"));
    assertEquals("end_turn", json.getString("stop_reason"));
    assertTrue(json.containsKey("stop_sequence"));
    JsonObject usage = json.getJsonObject("usage");
    assertEquals(6, usage.getInteger("input_tokens"), "prompt minus the cache read");
    assertEquals(4, usage.getInteger("cache_read_input_tokens"));
    assertEquals(0, usage.getInteger("cache_creation_input_tokens"));
    assertEquals(5, usage.getInteger("output_tokens"));
    assertFalse(usage.containsKey("total_tokens"));

    RecordedRequest recorded = mock.requests().get(0);
    assertEquals(Protocol.ANTHROPIC, recorded.protocol());
    assertEquals("sk-ant", recorded.header("x-api-key"));
    assertEquals("2023-06-01", recorded.header("anthropic-version"));
    assertNull(recorded.query());
  }

  @Test
  void streamFollowsTheMessageEventOrderWithNamedEvents() {
    mock.enqueue(Behavior.ok().content("one two").usage(10, 5, 4, 0));
    WireCalls.Reply reply = calls.generate(Protocol.ANTHROPIC, true);
    assertEquals("text/event-stream", reply.headers().get("content-type"));
    List<Sse.Event> events = reply.events();
    assertEquals(List.of("message_start", "content_block_start", "ping", "content_block_delta",
        "content_block_delta", "content_block_stop", "message_delta", "message_stop"),
        names(events));
    events.forEach(e -> assertEquals(e.name(), e.json().getString("type"), e.data()));
    JsonObject start = events.get(0).json().getJsonObject("message");
    assertEquals(new JsonArray(), start.getJsonArray("content"));
    assertEquals(6, start.getJsonObject("usage").getInteger("input_tokens"));
    assertEquals(4, start.getJsonObject("usage").getInteger("cache_read_input_tokens"));
    assertEquals(List.of("one", " two"), WireCalls.streamedText(Protocol.ANTHROPIC, events));
    JsonObject delta = events.get(6).json();
    assertEquals("end_turn", delta.getJsonObject("delta").getString("stop_reason"));
    assertEquals(5, delta.getJsonObject("usage").getInteger("output_tokens"));
    assertFalse(reply.body().contains("[DONE]"));
  }

  @Test
  void toolCallsAndThinkingStreamAsThinkingThenToolUseBlocks() {
    mock.enqueue(Behavior.ok().thinking("User wants weather.")
        .toolCall("get_weather", "{\"city\":\"Oslo\"}").toolCall("get_time", "{\"tz\":\"CET\"}"));
    List<Sse.Event> events = calls.generate(Protocol.ANTHROPIC, true).events();
    List<JsonObject> blocks = new ArrayList<>();
    StringBuilder[] inputs = {new StringBuilder(), new StringBuilder(), new StringBuilder()};
    StringBuilder thinking = new StringBuilder();
    String signature = null;
    for (Sse.Event event : events) {
      JsonObject json = event.json();
      switch (event.name()) {
        case "content_block_start" -> {
          assertEquals(blocks.size(), json.getInteger("index"), "dense indexes in start order");
          blocks.add(json.getJsonObject("content_block"));
        }
        case "content_block_delta" -> {
          JsonObject delta = json.getJsonObject("delta");
          switch (delta.getString("type")) {
            case "thinking_delta" -> thinking.append(delta.getString("thinking"));
            case "signature_delta" -> signature = delta.getString("signature");
            case "input_json_delta" ->
                inputs[json.getInteger("index")].append(delta.getString("partial_json"));
            default -> throw new AssertionError(delta.encode());
          }
        }
        default -> { }
      }
    }
    assertEquals("ping", events.get(2).name(), "one ping, after the first block opens");
    assertEquals(1, names(events).stream().filter("ping"::equals).count());
    assertEquals(List.of("thinking", "tool_use", "tool_use"),
        blocks.stream().map(b -> b.getString("type")).toList());
    assertEquals("User wants weather.", thinking.toString());
    assertTrue(signature != null && !signature.isEmpty());
    assertEquals("get_weather", blocks.get(1).getString("name"));
    assertTrue(blocks.get(1).getString("id").startsWith("toolu_"));
    assertEquals(new JsonObject(), blocks.get(1).getJsonObject("input"));
    assertEquals(new JsonObject().put("city", "Oslo"), new JsonObject(inputs[1].toString()));
    assertEquals(new JsonObject().put("tz", "CET"), new JsonObject(inputs[2].toString()));
    long fragments = events.stream().filter(e -> e.data().contains("input_json_delta")).count();
    assertTrue(fragments > 4, "arguments arrive in several fragments");
    JsonObject messageDelta = events.get(events.size() - 2).json();
    assertEquals("tool_use", messageDelta.getJsonObject("delta").getString("stop_reason"));
  }

  @Test
  void nonStreamToolCallCarriesThinkingWithSignatureAndAnInputObject() {
    mock.enqueue(Behavior.ok().thinking("Need weather.").content("Let me check.")
        .toolCall("get_weather", "{\"city\":\"Oslo\"}"));
    JsonObject json = calls.generate(Protocol.ANTHROPIC, false).json();
    JsonArray content = json.getJsonArray("content");
    assertEquals("thinking", content.getJsonObject(0).getString("type"));
    assertEquals("Need weather.", content.getJsonObject(0).getString("thinking"));
    assertFalse(content.getJsonObject(0).getString("signature").isEmpty());
    assertEquals("Let me check.", content.getJsonObject(1).getString("text"));
    JsonObject toolUse = content.getJsonObject(2);
    assertEquals("tool_use", toolUse.getString("type"));
    assertEquals(new JsonObject().put("city", "Oslo"), toolUse.getJsonObject("input"));
    assertEquals("tool_use", json.getString("stop_reason"));
  }

  @Test
  void overloadedIs529AndRateLimitCarriesRetryAfter() {
    mock.enqueue(Behavior.status(529), Behavior.rateLimited(3), Behavior.status(401));
    WireCalls.Reply overloaded = calls.generate(Protocol.ANTHROPIC, true);
    assertEquals(529, overloaded.status());
    assertEquals(new JsonObject().put("type", "error").put("error", new JsonObject()
        .put("type", "overloaded_error").put("message", "mock failure 529")), overloaded.json());
    WireCalls.Reply limited = calls.generate(Protocol.ANTHROPIC, true);
    assertEquals("3", limited.headers().get("retry-after"));
    assertEquals("rate_limit_error",
        limited.json().getJsonObject("error").getString("type"));
    assertEquals("authentication_error", calls.generate(Protocol.ANTHROPIC, false).json()
        .getJsonObject("error").getString("type"));
  }

  @Test
  void midStreamFailureIsAnErrorEvent() {
    mock.enqueue(Behavior.ok().failAfter(3, 529));
    List<Sse.Event> events = calls.generate(Protocol.ANTHROPIC, true).events();
    Sse.Event last = events.get(events.size() - 1);
    assertEquals("error", last.name());
    assertEquals("overloaded_error", last.json().getJsonObject("error").getString("type"));
    assertFalse(names(events).contains("message_stop"));
  }

  @Test
  void missingVersionHeaderIs400AndKeepsTheQueue() {
    mock.enqueue(Behavior.status(503));
    WireCalls.Reply reply = calls.post("/v1/messages",
        WireCalls.body(Protocol.ANTHROPIC, false), "x-api-key", "sk-ant");
    assertEquals(400, reply.status());
    assertEquals("invalid_request_error", reply.json().getJsonObject("error").getString("type"));
    assertEquals(503, calls.generate(Protocol.ANTHROPIC, false).status());
  }

  @Test
  void countTokensAnswersInputTokens() {
    WireCalls.Reply reply = calls.post("/v1/messages/count_tokens",
        new JsonObject().put("model", "claude-test").put("messages", WireCalls.MESSAGES), HEADERS);
    assertEquals(200, reply.status());
    assertEquals(1, reply.json().size());
    assertTrue(reply.json().getInteger("input_tokens") > 0);
    assertEquals("/v1/messages/count_tokens", mock.requests().get(0).path());
  }

  @Test
  void modelsAreInAnthropicShapeWhenTheVersionHeaderIsPresent() {
    JsonObject anthropic = calls.get("/v1/models", "anthropic-version", "2023-06-01").json();
    assertEquals(false, anthropic.getBoolean("has_more"));
    JsonObject model = anthropic.getJsonArray("data").getJsonObject(0);
    assertEquals("model", model.getString("type"));
    assertEquals("mock-model", model.getString("id"));
    assertEquals("mock-model", anthropic.getString("first_id"));
    JsonObject openAi = calls.get("/v1/models").json();
    assertEquals("list", openAi.getString("object"));
  }

  private static List<String> names(List<Sse.Event> events) {
    return events.stream().map(Sse.Event::name).toList();
  }
}
