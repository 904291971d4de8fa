package dev.switchboard.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The OpenAI Responses route of {@link MockUpstream}, as {@code openai-responses.md} says. */
@ExtendWith(VertxExtension.class)
class MockUpstreamResponsesTest {

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
  void responseObjectCarriesAMessageItemAndUsage() {
    mock.enqueue(Behavior.ok().usage(10, 5, 4, 2));
    JsonObject json = calls.generate(Protocol.OPENAI_RESPONSES, false).json();
    assertEquals("response", json.getString("object"));
    assertTrue(json.getString("id").startsWith("resp_"));
    assertEquals("completed", json.getString("status"));
    assertEquals("gpt-test", json.getString("model"));
    JsonObject message = json.getJsonArray("output").getJsonObject(0);
    assertEquals("message", message.getString("type"));
    assertEquals("assistant", message.getString("role"));
    assertEquals(Behavior.DEFAULT_CONTENT, WireCalls.messageText(Protocol.OPENAI_RESPONSES, json));
    assertUsage(json.getJsonObject("usage"), 10, 5, 4, 2);
    assertEquals("Bearer sk-test", mock.requests().get(0).header("authorization"));
    assertEquals(Protocol.OPENAI_RESPONSES, mock.requests().get(0).protocol());
  }

  @Test
  void streamRunsFromCreatedToCompletedWithIncreasingSequenceNumbers() {
    mock.enqueue(Behavior.ok().content("one two").usage(10, 5, 0, 0));
    List<Sse.Event> events = calls.generate(Protocol.OPENAI_RESPONSES, true).events();
    assertEquals(List.of("response.created", "response.in_progress",
        "response.output_item.added", "response.content_part.added",
        "response.output_text.delta", "response.output_text.delta", "response.output_text.done",
        "response.content_part.done", "response.output_item.done", "response.completed"),
        events.stream().map(Sse.Event::name).toList());
    for (int i = 0; i < events.size(); i++) {
      JsonObject json = events.get(i).json();
      assertEquals(events.get(i).name(), json.getString("type"));
      assertEquals(i, json.getInteger("sequence_number"));
    }
    JsonObject created = events.get(0).json().getJsonObject("response");
    assertEquals("in_progress", created.getString("status"));
    assertEquals(new JsonArray(), created.getJsonArray("output"));
    assertEquals(List.of("one", " two"),
        WireCalls.streamedText(Protocol.OPENAI_RESPONSES, events));
    JsonObject completed = events.get(events.size() - 1).json().getJsonObject("response");
    assertEquals("completed", completed.getString("status"));
    assertEquals("one two", WireCalls.messageText(Protocol.OPENAI_RESPONSES, completed));
    assertUsage(completed.getJsonObject("usage"), 10, 5, 0, 0);
  }

  @Test
  void toolCallsAndThinkingStreamAsReasoningAndFunctionCallItems() {
    mock.enqueue(Behavior.ok().thinking("Need weather.")
        .toolCall("get_weather", "{\"city\":\"Oslo\"}").toolCall("get_time", "{\"tz\":\"CET\"}"));
    List<Sse.Event> events = calls.generate(Protocol.OPENAI_RESPONSES, true).events();
    StringBuilder summary = new StringBuilder();
    StringBuilder[] arguments = {new StringBuilder(), new StringBuilder(), new StringBuilder()};
    int added = 0;
    for (int i = 0; i < events.size(); i++) {
      Sse.Event event = events.get(i);
      JsonObject json = event.json();
      assertEquals(i, json.getInteger("sequence_number"));
      switch (event.name()) {
        case "response.output_item.added" ->
            assertEquals(added++, json.getInteger("output_index"), "dense output indexes");
        case "response.reasoning_summary_text.delta" -> summary.append(json.getString("delta"));
        case "response.function_call_arguments.delta" ->
            arguments[json.getInteger("output_index")].append(json.getString("delta"));
        default -> { }
      }
    }
    assertEquals(3, added);
    assertEquals("Need weather.", summary.toString());
    assertEquals("{\"city\":\"Oslo\"}", arguments[1].toString());
    assertEquals("{\"tz\":\"CET\"}", arguments[2].toString());
    JsonArray output = events.get(events.size() - 1).json().getJsonObject("response")
        .getJsonArray("output");
    assertEquals("reasoning", output.getJsonObject(0).getString("type"));
    JsonObject call = output.getJsonObject(1);
    assertEquals("function_call", call.getString("type"));
    assertTrue(call.getString("id").startsWith("fc_"));
    assertTrue(call.getString("call_id").startsWith("call_"));
    assertEquals("get_weather", call.getString("name"));
    assertEquals("{\"city\":\"Oslo\"}", call.getString("arguments"));
    assertFalse(events.stream().anyMatch(e -> e.name().startsWith("response.output_text")),
        "no message item with tool calls only");
  }

  @Test
  void nonStreamReasoningAndFunctionCallItems() {
    mock.enqueue(Behavior.ok().thinking("Hmm.").toolCall("f", "{}"));
    JsonArray output = calls.generate(Protocol.OPENAI_RESPONSES, false).json()
        .getJsonArray("output");
    assertEquals(2, output.size());
    assertEquals("Hmm.", output.getJsonObject(0).getJsonArray("summary").getJsonObject(0)
        .getString("text"));
    assertEquals("function_call", output.getJsonObject(1).getString("type"));
  }

  @Test
  void errorsUseTheOpenAiEnvelope() {
    mock.enqueue(Behavior.rateLimited(5));
    WireCalls.Reply reply = calls.generate(Protocol.OPENAI_RESPONSES, true);
    assertEquals(429, reply.status());
    assertEquals("5", reply.headers().get("retry-after"));
    JsonObject error = reply.json().getJsonObject("error");
    assertEquals("rate_limit_exceeded", error.getString("code"));
    assertNull(error.getValue("param"));
  }

  static void assertUsage(JsonObject usage, int input, int output, int cached, int reasoning) {
    assertEquals(input, usage.getInteger("input_tokens"));
    assertEquals(cached, usage.getJsonObject("input_tokens_details").getInteger("cached_tokens"));
    assertEquals(output, usage.getInteger("output_tokens"));
    assertEquals(reasoning,
        usage.getJsonObject("output_tokens_details").getInteger("reasoning_tokens"));
    assertEquals(input + output, usage.getInteger("total_tokens"));
  }
}
