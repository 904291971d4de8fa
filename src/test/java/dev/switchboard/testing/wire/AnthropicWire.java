package dev.switchboard.testing.wire;

import dev.switchboard.demo.OpenAiWire;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Anthropic Messages answers ({@code shared/protocols/anthropic-messages.md} sections 4 to 7):
 * the {@code message} body, the named-event stream from {@code message_start} to
 * {@code message_stop}, {@code {"type":"error",...}} envelopes, model list and token count.
 */
public final class AnthropicWire implements Wire {

  @Override
  public Buffer message(Answer a) {
    JsonArray content = new JsonArray();
    if (a.hasThinking()) {
      content.add(new JsonObject().put("type", "thinking").put("thinking", a.thinkingText())
          .put("signature", a.signature()));
    }
    if (a.pieces().length > 0) {
      content.add(new JsonObject().put("type", "text").put("text", a.text()));
    }
    for (int i = 0; i < a.toolCalls().size(); i++) {
      ToolCall call = a.toolCalls().get(i);
      content.add(new JsonObject().put("type", "tool_use").put("id", toolId(a, i))
          .put("name", call.name()).put("input", call.arguments()));
    }
    return head(a).put("content", content).put("stop_reason", stopReason(a))
        .put("usage", usage(a.usage()).put("output_tokens", a.usage().completionTokens()))
        .toBuffer();
  }

  @Override
  public List<Buffer> stream(Answer a) {
    List<Buffer> head = new ArrayList<>();
    JsonObject start = head(a).put("content", new JsonArray()).putNull("stop_reason")
        .put("usage", usage(a.usage()).put("output_tokens", 1));
    head.add(Wire.event("message_start",
        new JsonObject().put("type", "message_start").put("message", start)));
    int index = 0;
    if (a.hasThinking()) {
      blockStart(head, index, new JsonObject().put("type", "thinking").put("thinking", "")
          .put("signature", ""));
      for (String piece : a.thinking()) {
        delta(head, index, new JsonObject().put("type", "thinking_delta").put("thinking", piece));
      }
      delta(head, index,
          new JsonObject().put("type", "signature_delta").put("signature", a.signature()));
      blockStop(head, index++);
    }
    List<Buffer> tail = new ArrayList<>();
    int textIndex = index;
    if (a.pieces().length > 0) {
      blockStart(head, index, new JsonObject().put("type", "text").put("text", ""));
      blockStop(tail, index++);
    }
    for (int i = 0; i < a.toolCalls().size(); i++) {
      ToolCall call = a.toolCalls().get(i);
      blockStart(tail, index, new JsonObject().put("type", "tool_use").put("id", toolId(a, i))
          .put("name", call.name()).put("input", new JsonObject()));
      delta(tail, index, new JsonObject().put("type", "input_json_delta").put("partial_json", ""));
      for (String piece : call.argumentPieces()) {
        delta(tail, index,
            new JsonObject().put("type", "input_json_delta").put("partial_json", piece));
      }
      blockStop(tail, index++);
    }
    // The real API sends one ping early, after the first block opens.
    Buffer ping = Wire.event("ping", new JsonObject().put("type", "ping"));
    if (head.size() > 1) {
      head.add(2, ping);
    } else if (!tail.isEmpty() && index > 0) {
      tail.add(1, ping);
    } else {
      head.add(ping);
    }
    tail.add(Wire.event("message_delta", new JsonObject().put("type", "message_delta")
        .put("delta", new JsonObject().put("stop_reason", stopReason(a)).putNull("stop_sequence"))
        .put("usage", new JsonObject().put("output_tokens", a.usage().completionTokens()))));
    tail.add(Wire.event("message_stop", new JsonObject().put("type", "message_stop")));
    return Wire.lazy(head, a.pieces(), i -> textDelta(textIndex, a.pieces()[i]), tail);
  }

  private static Buffer textDelta(int index, String text) {
    JsonObject delta = new JsonObject().put("type", "text_delta").put("text", text);
    return Wire.event("content_block_delta", new JsonObject().put("type", "content_block_delta")
        .put("index", index).put("delta", delta));
  }

  @Override
  public Buffer streamError(Answer a, int sent, int status, String message) {
    return Wire.event("error", envelope(status, message));
  }

  @Override
  public List<Buffer> malformedStream() {
    return List.of(
        Buffer.buffer("event: message_start\ndata: {not json\n\n"),
        Buffer.buffer("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\n\n"),
        Buffer.buffer("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
  }

  @Override
  public Failure failure(int status, String message, int retryAfterSeconds) {
    String retryAfter = retryAfterSeconds >= 0 ? String.valueOf(retryAfterSeconds) : null;
    return new Failure(status, envelope(status, message).toBuffer(), retryAfter);
  }

  /** Anthropic's {@code error.type} for an HTTP status. */
  public static String errorType(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 504 -> "timeout_error";
      case 529 -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }

  /** {@code GET /v1/models} in Anthropic's shape. */
  public static Buffer models(List<String> ids) {
    return models(ids, null, ids.size());
  }

  /** One page of {@code GET /v1/models}: up to {@code limit} models after {@code afterId}, and whether more follow. */
  public static Buffer models(List<String> all, String afterId, int limit) {
    int from = afterId == null ? 0 : all.indexOf(afterId) + 1;
    List<String> ids = all.subList(Math.min(from, all.size()), Math.min(all.size(), from + limit));
    boolean more = from + ids.size() < all.size();
    if (ids.isEmpty()) return new JsonObject().put("data", new JsonArray()).put("has_more", false).toBuffer();
    JsonArray data = new JsonArray();
    for (String id : ids) {
      data.add(new JsonObject().put("type", "model").put("id", id).put("display_name", id)
          .put("created_at", "2025-01-01T00:00:00Z"));
    }
    return new JsonObject().put("data", data).put("has_more", more)
        .put("first_id", ids.get(0)).put("last_id", ids.get(ids.size() - 1)).toBuffer();
  }

  /** {@code POST /v1/messages/count_tokens}: {@code {"input_tokens": N}}. */
  public static Buffer countTokens(int inputTokens) {
    return new JsonObject().put("input_tokens", inputTokens).toBuffer();
  }

  private static JsonObject envelope(int status, String message) {
    return new JsonObject().put("type", "error").put("error",
        new JsonObject().put("type", errorType(status)).put("message", message));
  }

  private static JsonObject head(Answer a) {
    return new JsonObject().put("id", "msg_mock_" + a.id()).put("type", "message")
        .put("role", "assistant").put("model", a.model()).putNull("stop_sequence");
  }

  /** Input usage; {@code input_tokens} excludes the cache read, as Anthropic reports it. */
  private static JsonObject usage(OpenAiWire.Usage u) {
    return new JsonObject()
        .put("input_tokens", Math.max(0, u.promptTokens() - u.cachedTokens()))
        .put("cache_creation_input_tokens", 0)
        .put("cache_read_input_tokens", u.cachedTokens());
  }

  private static String stopReason(Answer a) {
    return a.toolCalls().isEmpty() ? "end_turn" : "tool_use";
  }

  private static String toolId(Answer a, int i) {
    return "toolu_mock_" + a.id() + "_" + i;
  }

  private static void blockStart(List<Buffer> events, int index, JsonObject block) {
    events.add(Wire.event("content_block_start", new JsonObject()
        .put("type", "content_block_start").put("index", index).put("content_block", block)));
  }

  private static void delta(List<Buffer> events, int index, JsonObject delta) {
    events.add(Wire.event("content_block_delta", new JsonObject()
        .put("type", "content_block_delta").put("index", index).put("delta", delta)));
  }

  private static void blockStop(List<Buffer> events, int index) {
    events.add(Wire.event("content_block_stop",
        new JsonObject().put("type", "content_block_stop").put("index", index)));
  }
}
