package dev.switchboard.translate.responses;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The Responses objects the gateway writes ({@code openai-responses.md} §4): the response
 * envelope, its output items, usage from a Chat usage object, and the status a Chat
 * {@code finish_reason} becomes ({@code cross-protocol.md} §8).
 */
final class ResponsesObjects {

  private ResponsesObjects() {}

  /**
   * A response envelope with every field the SDKs require present. The request parameters it
   * would echo are not known here: they carry their defaults.
   */
  static JsonObject response(String id, long createdAt, String model, String status) {
    return new JsonObject()
        .put("id", id)
        .put("object", "response")
        .put("created_at", createdAt)
        .put("status", status)
        .put("model", model)
        .put("output", new JsonArray())
        .put("error", null)
        .put("incomplete_details", null)
        .put("instructions", null)
        .put("metadata", new JsonObject())
        .put("parallel_tool_calls", true)
        .put("temperature", null)
        .put("tool_choice", "auto")
        .put("tools", new JsonArray())
        .put("top_p", null)
        .put("usage", null);
  }

  /**
   * Copies the request parameters a response echoes ({@code translation-matrix.md} §7.2), each
   * only when it has its documented type; the defaults stay otherwise.
   */
  static void echo(JsonObject response, JsonObject request) {
    if (request == null) return;
    for (String key : new String[] {"instructions", "user", "safety_identifier", "prompt_cache_key", "service_tier", "truncation"}) {
      if (request.getValue(key) instanceof String v) response.put(key, v);
    }
    for (String key : new String[] {"temperature", "top_p", "max_output_tokens"}) {
      if (request.getValue(key) instanceof Number v) response.put(key, v);
    }
    for (String key : new String[] {"parallel_tool_calls", "store"}) {
      if (request.getValue(key) instanceof Boolean v) response.put(key, v);
    }
    for (String key : new String[] {"text", "reasoning", "metadata"}) {
      if (request.getValue(key) instanceof JsonObject v) response.put(key, v.copy());
    }
    if (request.getValue("tools") instanceof JsonArray tools) response.put("tools", tools.copy());
    Object choice = request.getValue("tool_choice");
    if (choice instanceof String || choice instanceof JsonObject) response.put("tool_choice", choice instanceof JsonObject o ? o.copy() : choice);
  }

  /** Marks an envelope finished: {@code completed}, or {@code incomplete} with its reason. */
  static void finish(JsonObject response, String incompleteReason, JsonObject usage) {
    response.put("status", incompleteReason == null ? "completed" : "incomplete");
    response.put("incomplete_details", incompleteReason == null ? null : new JsonObject().put("reason", incompleteReason));
    response.put("usage", usage);
  }

  static void fail(JsonObject response, String code, String message, JsonObject usage) {
    response.put("status", "failed");
    response.put("error", new JsonObject().put("code", code).put("message", message));
    response.put("usage", usage);
  }

  /** The {@code incomplete_details.reason} for a Chat finish reason, or null when the answer is complete. */
  static String incompleteReason(Object finishReason) {
    if ("length".equals(finishReason)) return "max_output_tokens";
    if ("content_filter".equals(finishReason)) return "content_filter";
    return null;
  }

  static JsonObject message(String id, String status, JsonArray content) {
    return new JsonObject().put("id", id).put("type", "message").put("role", "assistant")
        .put("status", status).put("content", content);
  }

  static JsonObject outputText(String text) {
    return new JsonObject().put("type", "output_text").put("text", text).put("annotations", new JsonArray());
  }

  static JsonObject refusal(String text) {
    return new JsonObject().put("type", "refusal").put("refusal", text);
  }

  static JsonObject reasoning(String id, String summary) {
    JsonArray parts = new JsonArray();
    if (summary != null) parts.add(summaryText(summary));
    return new JsonObject().put("id", id).put("type", "reasoning").put("summary", parts);
  }

  static JsonObject summaryText(String text) {
    return new JsonObject().put("type", "summary_text").put("text", text);
  }

  static JsonObject functionCall(String id, String callId, String name, String arguments, String status) {
    return new JsonObject().put("id", id).put("type", "function_call").put("status", status)
        .put("call_id", callId).put("name", name).put("arguments", arguments);
  }

  /** A function_call item for a call the client declared in a namespace or as a custom tool, or a plain one. */
  static JsonObject call(String id, String callId, String chatName, String arguments, String status, ResponsesToolNames.Declared d) {
    if (d == null) return functionCall(id, callId, chatName, arguments, status);
    if (d.custom()) {
      JsonObject item = new JsonObject().put("id", id).put("type", "custom_tool_call").put("status", status)
          .put("call_id", callId).put("name", d.name()).put("input", arguments);
      return d.namespace() == null ? item : item.put("namespace", d.namespace());
    }
    return functionCall(id, callId, d.name(), arguments, status).put("namespace", d.namespace());
  }

  /**
   * Responses usage from a Chat usage object: both count cached input inside the input and
   * reasoning inside the output, so the numbers carry over unchanged ({@code cross-protocol.md} §9).
   */
  static JsonObject usage(JsonObject chat) {
    JsonObject prompt = chat.getValue("prompt_tokens_details") instanceof JsonObject p ? p : new JsonObject();
    JsonObject completion = chat.getValue("completion_tokens_details") instanceof JsonObject c ? c : new JsonObject();
    long input = num(chat, "prompt_tokens");
    long output = num(chat, "completion_tokens");
    return new JsonObject()
        .put("input_tokens", input)
        .put("input_tokens_details", new JsonObject().put("cached_tokens", Math.min(input, num(prompt, "cached_tokens")))
            // the 2026 SDKs require the field; 0 when the upstream does not report cache writes
            .put("cache_write_tokens", Math.min(input, num(prompt, "cache_write_tokens"))))
        .put("output_tokens", output)
        .put("output_tokens_details", new JsonObject().put("reasoning_tokens", Math.min(output, num(completion, "reasoning_tokens"))))
        .put("total_tokens", input + output);
  }

  /** The part of an upstream id that names items: {@code chatcmpl-abc} gives {@code abc}. */
  static String baseId(Object upstreamId, String minted) {
    if (!(upstreamId instanceof String id) || id.isBlank()) return minted;
    return id.startsWith("chatcmpl-") && id.length() > 9 ? id.substring(9) : id;
  }

  static long num(JsonObject o, String key) {
    return o.getValue(key) instanceof Number n ? Math.max(0, n.longValue()) : 0;
  }
}
