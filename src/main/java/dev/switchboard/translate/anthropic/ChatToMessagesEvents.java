package dev.switchboard.translate.anthropic;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Anthropic stream events as the API sends them: an {@code event:} line naming the type (the
 * SDK dispatches on it, pitfall P1) and a {@code data:} line whose {@code type} repeats it.
 */
final class ChatToMessagesEvents {

  private ChatToMessagesEvents() {}

  /**
   * The first event. {@code usage} is what the upstream reported so far, usually nothing yet: then
   * zeros, which the final {@code message_delta} overwrites (pitfall P7).
   */
  static Buffer messageStart(String id, String model, JsonObject usage) {
    JsonObject message = new JsonObject()
        .put("id", id)
        .put("type", "message")
        .put("role", "assistant")
        .put("model", model)
        .put("content", new JsonArray())
        .put("stop_reason", null)
        .put("stop_sequence", null)
        .put("usage", usage != null ? usage : new JsonObject().put("input_tokens", 0).put("output_tokens", 0));
    return frame("message_start", new JsonObject().put("type", "message_start").put("message", message));
  }

  static Buffer blockStart(int index, JsonObject block) {
    return frame("content_block_start",
        new JsonObject().put("type", "content_block_start").put("index", index).put("content_block", block));
  }

  static Buffer blockDelta(int index, JsonObject delta) {
    return frame("content_block_delta",
        new JsonObject().put("type", "content_block_delta").put("index", index).put("delta", delta));
  }

  static Buffer blockStop(int index) {
    return frame("content_block_stop", new JsonObject().put("type", "content_block_stop").put("index", index));
  }

  static Buffer messageDelta(String stopReason, JsonObject usage) {
    return frame("message_delta", new JsonObject().put("type", "message_delta")
        .put("delta", new JsonObject().put("stop_reason", stopReason).put("stop_sequence", null))
        .put("usage", usage));
  }

  static Buffer messageStop() {
    return frame("message_stop", new JsonObject().put("type", "message_stop"));
  }

  static Buffer error(String type, String message) {
    return frame("error", ChatToMessagesMapping.errorBody(type, message));
  }

  private static Buffer frame(String name, JsonObject data) {
    return Buffer.buffer(64).appendString("event: ").appendString(name)
        .appendString("\ndata: ").appendString(data.encode()).appendString("\n\n");
  }
}
