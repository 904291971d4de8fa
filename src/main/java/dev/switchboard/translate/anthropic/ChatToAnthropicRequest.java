package dev.switchboard.translate.anthropic;

import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A Chat Completions request as an Anthropic Messages request, top-level fields
 * ({@code translation-matrix.md} §1.1). Messages, tools and thinking have classes of their own.
 */
final class ChatToAnthropicRequest {

  private ChatToAnthropicRequest() {}

  static JsonObject map(JsonObject in, String model, int defaultMaxTokens) {
    if (in.getValue("n") instanceof Number n && n.intValue() > 1) {
      throw new TranslationException("'n' greater than 1 is not supported by this model's provider");
    }
    Integer requested = maxTokens(in);
    int maxTokens = requested != null ? requested : defaultMaxTokens;
    JsonObject out = new JsonObject().put("model", model).put("max_tokens", maxTokens);

    JsonObject tools = ChatToAnthropicTools.map(in);
    int budget = ChatToAnthropicThinking.budget(in.getValue("reasoning_effort"));
    if (ChatToAnthropicTools.forcesTool(tools)) budget = 0; // P18: thinking may not be on with a forced tool
    ChatToAnthropicMessages.Result messages = ChatToAnthropicMessages.map(in.getValue("messages"), budget > 0);
    if (budget > 0 && !messages.lastAssistantReadyForThinking()) {
      // P19: a tool loop whose thinking block we cannot restore is only accepted with thinking off
      budget = 0;
      messages = ChatToAnthropicMessages.map(in.getValue("messages"), false);
    }
    if (!messages.system().isEmpty()) out.put("system", messages.system());
    out.put("messages", messages.messages());
    if (tools.containsKey("tools")) out.put("tools", tools.getValue("tools"));
    if (tools.containsKey("tool_choice")) out.put("tool_choice", tools.getValue("tool_choice"));

    Object temperature = in.getValue("temperature");
    if (temperature != null) {
      double t = number(temperature, "temperature");
      out.put("temperature", Math.max(0.0, Math.min(1.0, t)));
    }
    if (in.getValue("top_p") != null) out.put("top_p", number(in.getValue("top_p"), "top_p"));
    JsonArray stops = stopSequences(in.getValue("stop"));
    if (stops != null && !stops.isEmpty()) out.put("stop_sequences", stops);
    String user = userId(in);
    if (user != null) out.put("metadata", new JsonObject().put("user_id", user));
    JsonObject format = outputFormat(in.getValue("response_format"));
    if (format != null) out.put("output_config", new JsonObject().put("format", format));
    if (budget > 0) ChatToAnthropicThinking.enable(out, budget);
    if (Boolean.TRUE.equals(in.getValue("stream"))) out.put("stream", true);
    return out;
  }

  private static Integer maxTokens(JsonObject in) {
    Object v = in.getValue("max_completion_tokens");
    String name = "max_completion_tokens";
    if (v == null) {
      v = in.getValue("max_tokens");
      name = "max_tokens";
    }
    if (v == null) return null;
    if (!(v instanceof Number n) || n.doubleValue() != Math.floor(n.doubleValue()) || n.longValue() < 1
        || n.longValue() > Integer.MAX_VALUE) {
      throw new TranslationException("'" + name + "' must be a positive integer");
    }
    return n.intValue();
  }

  private static double number(Object v, String name) {
    if (!(v instanceof Number n)) throw new TranslationException("'" + name + "' must be a number");
    return n.doubleValue();
  }

  private static JsonArray stopSequences(Object stop) {
    if (stop == null) return null;
    JsonArray out = new JsonArray();
    if (stop instanceof String s) {
      if (!s.isBlank()) out.add(s);
      return out;
    }
    if (!(stop instanceof JsonArray list)) throw new TranslationException("'stop' must be a string or an array of strings");
    for (Object o : list) {
      if (!(o instanceof String s)) throw new TranslationException("'stop' must be a string or an array of strings");
      if (!s.isBlank()) out.add(s); // Anthropic rejects whitespace-only stop sequences
    }
    return out;
  }

  /** The end-user id: {@code user}, else {@code safety_identifier}, else one in {@code metadata}. */
  private static String userId(JsonObject in) {
    for (Object v : new Object[] {in.getValue("user"), in.getValue("safety_identifier")}) {
      if (v instanceof String s && !s.isBlank()) return s;
    }
    if (in.getValue("metadata") instanceof JsonObject meta) {
      for (String key : new String[] {"user_id", "user"}) {
        if (meta.getValue(key) instanceof String s && !s.isBlank()) return s;
      }
    }
    return null;
  }

  /** Native structured output; {@code json_object} and {@code text} have no Anthropic field. */
  private static JsonObject outputFormat(Object responseFormat) {
    if (!(responseFormat instanceof JsonObject rf) || !"json_schema".equals(rf.getValue("type"))) return null;
    if (!(rf.getValue("json_schema") instanceof JsonObject js) || !(js.getValue("schema") instanceof JsonObject schema)) {
      throw new TranslationException("'response_format.json_schema.schema' must be an object");
    }
    return new JsonObject().put("type", "json_schema").put("schema", schema.copy());
  }
}
