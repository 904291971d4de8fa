package dev.switchboard.testing.wire;

import dev.switchboard.demo.OpenAiWire;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI Responses answers ({@code shared/protocols/openai-responses.md} sections 4 to 6): the
 * {@code response} object, and the named-event stream from {@code response.created} to
 * {@code response.completed}, every event with an increasing {@code sequence_number}. Output
 * items: reasoning, then the message, then one {@code function_call} per tool call.
 */
public final class ResponsesWire implements Wire {

  private final ChatWire errors = new ChatWire();

  @Override
  public Buffer message(Answer a) {
    return response(a, "completed", output(a)).toBuffer();
  }

  @Override
  public List<Buffer> stream(Answer a) {
    Events head = new Events(0);
    JsonObject pending = response(a, "in_progress", new JsonArray());
    pending.putNull("usage");
    head.add("response.created", new JsonObject().put("response", pending));
    head.add("response.in_progress", new JsonObject().put("response", pending.copy()));
    JsonArray done = output(a);
    boolean hasMessage = a.pieces().length > 0;
    int messageIndex = a.hasThinking() ? 1 : 0;
    String messageId = "msg_mock_" + a.id();
    if (a.hasThinking()) {
      reasoning(head, a, done.getJsonObject(0), 0);
    }
    if (hasMessage) {
      openMessage(head, done.getJsonObject(messageIndex), messageIndex);
    }
    int firstDelta = head.list.size();
    Events tail = new Events(firstDelta + a.pieces().length);
    if (hasMessage) {
      closeMessage(tail, a, done.getJsonObject(messageIndex), messageIndex);
    }
    int index = messageIndex + (hasMessage ? 1 : 0);
    for (ToolCall call : a.toolCalls()) {
      functionCall(tail, done.getJsonObject(index), call, index++);
    }
    tail.add("response.completed",
        new JsonObject().put("response", response(a, "completed", done)));
    return Wire.lazy(head.list, a.pieces(), i -> Events.stamp("response.output_text.delta",
        firstDelta + i, at(messageId, messageIndex).put("content_index", 0)
            .put("delta", a.pieces()[i]).put("logprobs", new JsonArray())), tail.list);
  }

  @Override
  public Buffer streamError(Answer a, int sent, int status, String message) {
    // Numbered after the events already sent: sent - 1 was the last sequence_number.
    JsonObject failed = response(a, "failed", new JsonArray()).putNull("usage")
        .put("error", new JsonObject()
            .put("code", status == 429 ? "rate_limit_exceeded" : "server_error")
            .put("message", message));
    return Wire.event("response.failed", new JsonObject().put("type", "response.failed")
        .put("sequence_number", sent).put("response", failed));
  }

  @Override
  public List<Buffer> malformedStream() {
    return List.of(
        Buffer.buffer("event: response.created\ndata: {not json\n\n"),
        Buffer.buffer("event: response.output_text.delta\ndata: {\"type\":\"response.out\n\n"));
  }

  @Override
  public Failure failure(int status, String message, int retryAfterSeconds) {
    return errors.failure(status, message, retryAfterSeconds);
  }

  /** Events stamped with the stream-wide sequence number, counting from {@code first}. */
  private static final class Events {
    final List<Buffer> list = new ArrayList<>();
    private final int first;

    Events(int first) {
      this.first = first;
    }

    void add(String type, JsonObject payload) {
      list.add(stamp(type, first + list.size(), payload));
    }

    static Buffer stamp(String type, int sequence, JsonObject payload) {
      JsonObject json = new JsonObject().put("type", type).put("sequence_number", sequence);
      return Wire.event(type, json.mergeIn(payload));
    }
  }

  private static void reasoning(Events events, Answer a, JsonObject item, int index) {
    String id = item.getString("id");
    events.add("response.output_item.added", added(index,
        new JsonObject().put("type", "reasoning").put("id", id).put("summary", new JsonArray())));
    JsonObject part = new JsonObject().put("type", "summary_text").put("text", "");
    events.add("response.reasoning_summary_part.added", at(id, index)
        .put("summary_index", 0).put("part", part));
    for (String piece : a.thinking()) {
      events.add("response.reasoning_summary_text.delta", at(id, index)
          .put("summary_index", 0).put("delta", piece));
    }
    events.add("response.reasoning_summary_text.done", at(id, index)
        .put("summary_index", 0).put("text", a.thinkingText()));
    events.add("response.reasoning_summary_part.done", at(id, index).put("summary_index", 0)
        .put("part", part.copy().put("text", a.thinkingText())));
    events.add("response.output_item.done", done(index, item));
  }

  private static void openMessage(Events events, JsonObject item, int index) {
    events.add("response.output_item.added", added(index, item.copy()
        .put("status", "in_progress").put("content", new JsonArray())));
    events.add("response.content_part.added", at(item.getString("id"), index)
        .put("content_index", 0).put("part", textPart("")));
  }

  private static void closeMessage(Events events, Answer a, JsonObject item, int index) {
    String id = item.getString("id");
    events.add("response.output_text.done", at(id, index).put("content_index", 0)
        .put("text", a.text()).put("logprobs", new JsonArray()));
    events.add("response.content_part.done", at(id, index).put("content_index", 0)
        .put("part", textPart(a.text())));
    events.add("response.output_item.done", done(index, item));
  }

  private static JsonObject textPart(String text) {
    return new JsonObject().put("type", "output_text").put("text", text)
        .put("annotations", new JsonArray());
  }

  private static void functionCall(Events events, JsonObject item, ToolCall call, int index) {
    String id = item.getString("id");
    events.add("response.output_item.added", added(index, item.copy()
        .put("arguments", "").put("status", "in_progress")));
    for (String piece : call.argumentPieces()) {
      events.add("response.function_call_arguments.delta", at(id, index).put("delta", piece));
    }
    events.add("response.function_call_arguments.done", at(id, index)
        .put("name", call.name()).put("arguments", call.argumentsJson()));
    events.add("response.output_item.done", done(index, item));
  }

  private static JsonObject added(int index, JsonObject item) {
    return new JsonObject().put("output_index", index).put("item", item);
  }

  private static JsonObject done(int index, JsonObject item) {
    return new JsonObject().put("output_index", index).put("item", item.copy());
  }

  private static JsonObject at(String itemId, int index) {
    return new JsonObject().put("item_id", itemId).put("output_index", index);
  }

  /** The finished output items. */
  private static JsonArray output(Answer a) {
    JsonArray output = new JsonArray();
    if (a.hasThinking()) {
      output.add(new JsonObject().put("type", "reasoning").put("id", "rs_mock_" + a.id())
          .put("summary", new JsonArray().add(
              new JsonObject().put("type", "summary_text").put("text", a.thinkingText()))));
    }
    if (a.pieces().length > 0) {
      output.add(new JsonObject().put("type", "message").put("id", "msg_mock_" + a.id())
          .put("role", "assistant").put("status", "completed")
          .put("content", new JsonArray().add(new JsonObject().put("type", "output_text")
              .put("text", a.text()).put("annotations", new JsonArray()))));
    }
    for (int i = 0; i < a.toolCalls().size(); i++) {
      ToolCall call = a.toolCalls().get(i);
      output.add(new JsonObject().put("type", "function_call")
          .put("id", "fc_mock_" + a.id() + "_" + i).put("call_id", "call_mock_" + a.id() + "_" + i)
          .put("name", call.name()).put("arguments", call.argumentsJson())
          .put("status", "completed"));
    }
    return output;
  }

  private static JsonObject response(Answer a, String status, JsonArray output) {
    OpenAiWire.Usage u = a.usage();
    return new JsonObject().put("id", "resp_mock_" + a.id()).put("object", "response")
        .put("created_at", a.created()).put("status", status).put("model", a.model())
        .put("output", output).putNull("incomplete_details").putNull("error")
        .put("parallel_tool_calls", true).put("tool_choice", "auto").put("tools", new JsonArray())
        .put("usage", new JsonObject()
            .put("input_tokens", u.promptTokens())
            .put("input_tokens_details", new JsonObject().put("cached_tokens", u.cachedTokens()))
            .put("output_tokens", u.completionTokens())
            .put("output_tokens_details",
                new JsonObject().put("reasoning_tokens", u.reasoningTokens()))
            .put("total_tokens", u.totalTokens()));
  }
}
