package dev.switchboard.translate.gemini;

import dev.switchboard.stats.Usage;
import io.vertx.core.json.JsonObject;

/**
 * The small tables both Gemini directions share: finish reasons ({@code cross-protocol.md} §8),
 * usage (§9, pitfalls P21/P22), reasoning effort and thinking budget (§7, CLIProxyAPI's column,
 * as the Anthropic direction uses) and google.rpc status names (§10).
 */
final class GeminiTables {

  /**
   * The largest budget every Gemini 2.5 model accepts (Flash stops at 24576, Pro at 32768; out of
   * range is a 400), so {@code xhigh} and {@code max} are {@code high} here. {@code none} is 0,
   * which 2.5 Pro refuses: that model cannot think less than 128 tokens.
   */
  static final int MAX_BUDGET = 24576;

  private GeminiTables() {}

  /**
   * Gemini {@code finishReason} as a Chat {@code finish_reason}; only Chat enum members come out
   * (P24), and {@code tool_calls} exactly when a call was emitted, since Gemini ends tool turns
   * with {@code STOP} (P23, P25).
   */
  static String chatFinish(Object finishReason, boolean emittedToolCall) {
    if (emittedToolCall) return "tool_calls";
    if (!(finishReason instanceof String s)) return "stop";
    return switch (s) {
      case "MAX_TOKENS" -> "length";
      case "SAFETY", "RECITATION", "LANGUAGE", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY",
          "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION" -> "content_filter";
      default -> "stop"; // STOP, OTHER, MALFORMED_FUNCTION_CALL and the other tool failures, unknown values
    };
  }

  /** Chat {@code finish_reason} as Gemini's: tool calls end in {@code STOP} there. */
  static String geminiFinish(Object finishReason) {
    if (!(finishReason instanceof String s)) return "STOP";
    return switch (s) {
      case "length" -> "MAX_TOKENS";
      case "content_filter" -> "SAFETY";
      default -> "STOP";
    };
  }

  /**
   * Gemini {@code usageMetadata} in the gateway's terms: input = prompt (cache included) plus
   * tool-use prompt, output = candidates + thoughts, which Gemini counts apart (P21).
   */
  static Usage usage(JsonObject meta) {
    long prompt = num(meta, "promptTokenCount") + num(meta, "toolUsePromptTokenCount");
    long thoughts = num(meta, "thoughtsTokenCount");
    return new Usage(prompt, num(meta, "candidatesTokenCount") + thoughts, Math.min(num(meta, "cachedContentTokenCount"), prompt),
        thoughts);
  }

  /** Chat's usage object for a Gemini {@code usageMetadata}. */
  static JsonObject chatUsage(JsonObject meta) {
    Usage u = usage(meta);
    return new JsonObject()
        .put("prompt_tokens", u.input())
        .put("completion_tokens", u.output())
        .put("total_tokens", u.total())
        .put("prompt_tokens_details", new JsonObject().put("cached_tokens", u.cached()))
        .put("completion_tokens_details", new JsonObject().put("reasoning_tokens", u.reasoning()));
  }

  /** Gemini's {@code usageMetadata} for a usage in the gateway's terms (§9, Chat -> Gem). */
  static JsonObject usageMetadata(Usage u) {
    long reasoning = Math.min(u.reasoning(), u.output());
    JsonObject meta = new JsonObject().put("promptTokenCount", u.input()).put("candidatesTokenCount", u.output() - reasoning);
    if (u.cached() > 0) meta.put("cachedContentTokenCount", Math.min(u.cached(), u.input()));
    if (reasoning > 0) meta.put("thoughtsTokenCount", reasoning);
    return meta.put("totalTokenCount", u.total());
  }

  /** The thinking budget for a Chat {@code reasoning_effort}, or null when the value is unknown. */
  static Integer budget(String effort) {
    return switch (effort) {
      case "none" -> 0;
      case "minimal" -> 512;
      case "low" -> 1024;
      case "medium" -> 8192;
      case "high" -> 24576;
      case "xhigh", "max" -> MAX_BUDGET;
      default -> null;
    };
  }

  /** A Gemini thinking budget as a Chat effort; null when there is nothing to ask for (0, or -1 = dynamic). */
  static String effort(long budget) {
    if (budget <= 0) return null;
    if (budget <= 512) return "minimal";
    if (budget <= 1024) return "low";
    if (budget <= 8192) return "medium";
    if (budget <= 24576) return "high";
    return "xhigh";
  }

  /** The google.rpc status name Gemini pairs with an HTTP status. */
  static String rpcStatus(int httpStatus) {
    return switch (httpStatus) {
      case 400, 413, 422 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 402, 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 409 -> "ABORTED";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 499 -> "CANCELLED";
      case 501 -> "UNIMPLEMENTED";
      case 503, 529 -> "UNAVAILABLE";
      case 504 -> "DEADLINE_EXCEEDED";
      default -> httpStatus >= 400 && httpStatus < 500 ? "INVALID_ARGUMENT" : "INTERNAL";
    };
  }

  static long num(JsonObject o, String key) {
    return o.getValue(key) instanceof Number n ? Math.max(0, n.longValue()) : 0;
  }
}
