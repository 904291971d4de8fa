package dev.switchboard.testing.wire;

import dev.switchboard.demo.OpenAiWire;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI Chat Completions answers (also Azure OpenAI, whose bodies are the same). Plain text
 * answers go through {@link OpenAiWire} unchanged; reasoning ({@code reasoning_content}) and
 * tool-call deltas are added as extra chunks in the same shape.
 */
public final class ChatWire implements Wire {

  private static final String[] MALFORMED = {
      "data: {not json\n\n",
      "data: {\"id\":\"chatcmpl-mock\",\"choices\":[{\"delta\":\n\n",
      "data: [DONE]\n\n"};

  @Override
  public Buffer message(Answer a) {
    String finish = a.toolCalls().isEmpty() ? "stop" : "tool_calls";
    Buffer plain =
        OpenAiWire.completion(id(a), a.created(), a.model(), a.text(), finish, a.usage());
    if (a.toolCalls().isEmpty() && !a.hasThinking()) {
      return plain;
    }
    JsonObject body = plain.toJsonObject();
    JsonObject message = body.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    if (a.pieces().length == 0) {
      message.putNull("content");
    }
    if (a.hasThinking()) {
      message.put("reasoning_content", a.thinkingText());
    }
    if (!a.toolCalls().isEmpty()) {
      JsonArray calls = new JsonArray();
      for (int i = 0; i < a.toolCalls().size(); i++) {
        ToolCall call = a.toolCalls().get(i);
        calls.add(new JsonObject().put("id", callId(a, i)).put("type", "function")
            .put("function", new JsonObject()
                .put("name", call.name()).put("arguments", call.argumentsJson())));
      }
      message.put("tool_calls", calls);
    }
    return body.toBuffer();
  }

  @Override
  public List<Buffer> stream(Answer a) {
    OpenAiWire.Chunks chunks = OpenAiWire.chunks(id(a), a.created(), a.model(), a.includeUsage());
    List<Buffer> head = new ArrayList<>();
    head.add(chunks.role());
    for (String piece : a.thinking()) {
      head.add(delta(a, new JsonObject().put("reasoning_content", piece)));
    }
    List<Buffer> tail = new ArrayList<>();
    for (int i = 0; i < a.toolCalls().size(); i++) {
      ToolCall call = a.toolCalls().get(i);
      JsonObject first = new JsonObject().put("index", i).put("id", callId(a, i))
          .put("type", "function")
          .put("function", new JsonObject().put("name", call.name()).put("arguments", ""));
      tail.add(delta(a, new JsonObject().put("tool_calls", new JsonArray().add(first))));
      for (String piece : call.argumentPieces()) {
        JsonObject next = new JsonObject().put("index", i)
            .put("function", new JsonObject().put("arguments", piece));
        tail.add(delta(a, new JsonObject().put("tool_calls", new JsonArray().add(next))));
      }
    }
    tail.add(chunks.finish(a.toolCalls().isEmpty() ? "stop" : "tool_calls"));
    if (a.includeUsage()) {
      tail.add(chunks.usage(a.usage()));
    }
    tail.add(OpenAiWire.done());
    return Wire.lazy(head, a.pieces(), i -> chunks.content(a.pieces()[i]), tail);
  }

  @Override
  public Buffer streamError(Answer a, int sent, int status, String message) {
    return OpenAiWire.errorEvent(message, errorType(status), null);
  }

  @Override
  public List<Buffer> malformedStream() {
    List<Buffer> events = new ArrayList<>();
    for (String event : MALFORMED) {
      events.add(Buffer.buffer(event));
    }
    return events;
  }

  @Override
  public Failure failure(int status, String message, int retryAfterSeconds) {
    String retryAfter = retryAfterSeconds >= 0 ? String.valueOf(retryAfterSeconds) : null;
    if (status == 429) {
      return new Failure(429, OpenAiWire.error(message, "requests", "rate_limit_exceeded"),
          retryAfter);
    }
    return new Failure(status, OpenAiWire.error(message, errorType(status), null), retryAfter);
  }

  /** Azure's own envelope for gateway-level refusals: {@code {"error":{"code":"401",...}}}. */
  public static Buffer azureError(int status, String message) {
    return new JsonObject().put("error", new JsonObject()
        .put("code", String.valueOf(status)).put("message", message)).toBuffer();
  }

  /** {@code POST /v1/embeddings}: one small deterministic vector per input. */
  public static Buffer embeddings(JsonObject request) {
    Object input = request.getValue("input");
    // A list of strings is several inputs; a string or a token array is one.
    List<Object> inputs = input instanceof JsonArray array && !array.isEmpty()
        && !(array.getValue(0) instanceof Number)
        ? array.getList() : List.of(String.valueOf(input));
    JsonArray data = new JsonArray();
    int tokens = 0;
    for (int i = 0; i < inputs.size(); i++) {
      String text = String.valueOf(inputs.get(i));
      tokens += OpenAiWire.estimateTokens(text);
      data.add(new JsonObject().put("object", "embedding").put("index", i)
          .put("embedding", vector(text)));
    }
    return new JsonObject().put("object", "list").put("data", data)
        .put("model", request.getString("model", "mock-embedding"))
        .put("usage", new JsonObject().put("prompt_tokens", tokens).put("total_tokens", tokens))
        .toBuffer();
  }

  /** Eight floats derived from the text's hash, so equal inputs embed equally. */
  static JsonArray vector(String text) {
    JsonArray values = new JsonArray();
    int hash = text.hashCode();
    for (int i = 0; i < 8; i++) {
      values.add(((hash >>> (i * 4)) & 0xF) / 16.0 - 0.5);
    }
    return values;
  }

  private static String errorType(int status) {
    return status >= 500 ? "server_error" : "invalid_request_error";
  }

  private static String id(Answer a) {
    return "chatcmpl-mock-" + a.id();
  }

  private static String callId(Answer a, int i) {
    return "call_mock_" + a.id() + "_" + i;
  }

  /** A chunk with a delta {@link OpenAiWire.Chunks} has no method for. */
  private static Buffer delta(Answer a, JsonObject delta) {
    JsonObject chunk = new JsonObject().put("id", id(a)).put("object", "chat.completion.chunk")
        .put("created", a.created()).put("model", a.model())
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta)
            .putNull("logprobs").putNull("finish_reason")));
    if (a.includeUsage()) {
      chunk.putNull("usage");
    }
    return Wire.data(chunk);
  }
}
