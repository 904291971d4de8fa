package dev.switchboard.translate.anthropic;

import io.vertx.core.json.JsonObject;

/**
 * The small tables shared by the whole and the streamed Chat -> Anthropic answer: ids, stop
 * reasons ({@code cross-protocol.md} §8), usage (§9) and error types (§10).
 */
final class ChatToMessagesMapping {

  private ChatToMessagesMapping() {}

  /** {@code msg_<upstream id>}: the same upstream answer always gets the same Anthropic id. */
  static String messageId(Object upstreamId, String minted) {
    if (!(upstreamId instanceof String id) || id.isEmpty()) return minted;
    String clean = sanitize(id);
    return clean.startsWith("msg_") ? clean : "msg_" + clean;
  }

  /** Anthropic tool ids match {@code ^[A-Za-z0-9_-]+$}; a missing id is minted from the message id. */
  static String toolId(Object upstreamId, String messageId, int index) {
    if (upstreamId instanceof String id && !id.isEmpty()) return sanitize(id);
    return "toolu_" + messageId.substring(messageId.startsWith("msg_") ? 4 : 0) + "_" + index;
  }

  static String sanitize(String id) {
    StringBuilder out = null;
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      if (!ok && out == null) out = new StringBuilder(id.length()).append(id, 0, i);
      if (out != null) out.append(ok ? c : '_');
    }
    return out == null ? id : out.toString();
  }

  /**
   * Anthropic {@code stop_reason} for a Chat {@code finish_reason}, decided by what the client
   * was actually sent: {@code tool_use} only when a tool_use block went out (pitfall P25), and
   * then whatever the upstream said, unless the output cap cut the answer.
   */
  static String stopReason(Object finish, boolean sawTool, boolean sawRefusal) {
    // a call cut off by the output cap is not a call to run: Anthropic says max_tokens then too
    if ("length".equals(finish)) return "max_tokens";
    if (sawTool) return "tool_use";
    if (sawRefusal) return "refusal";
    if (!(finish instanceof String f)) return "end_turn";
    return switch (f) {
      case "length" -> "max_tokens";
      case "content_filter" -> "refusal";
      default -> "end_turn";
    };
  }

  /**
   * Anthropic usage from a Chat usage object: {@code input_tokens} excludes cache reads (and
   * cache writes when reported), which go into their own fields.
   */
  static JsonObject usage(JsonObject chat) {
    JsonObject prompt = chat.getValue("prompt_tokens_details") instanceof JsonObject p ? p : new JsonObject();
    long total = num(chat, "prompt_tokens");
    long cached = num(prompt, "cached_tokens");
    Long written = prompt.getValue("cache_write_tokens") instanceof Number n ? Math.max(0, n.longValue()) : null;
    JsonObject out = new JsonObject()
        .put("input_tokens", Math.max(0, total - cached - (written == null ? 0 : written)));
    if (written != null) out.put("cache_creation_input_tokens", written);
    out.put("cache_read_input_tokens", cached);
    out.put("output_tokens", num(chat, "completion_tokens"));
    return out;
  }

  private static long num(JsonObject o, String key) {
    return o.getValue(key) instanceof Number n ? Math.max(0, n.longValue()) : 0;
  }

  /** Anthropic {@code error.type} for an HTTP status. */
  static String errorType(int status) {
    return AnthropicErrorTypes.forStatus(status);
  }

  static JsonObject errorBody(String type, String message) {
    return new JsonObject().put("type", "error")
        .put("error", new JsonObject().put("type", type).put("message", message));
  }
}
