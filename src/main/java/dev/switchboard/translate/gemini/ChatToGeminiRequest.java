package dev.switchboard.translate.gemini;

import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A Chat Completions request as a Gemini {@code GenerateContentRequest}
 * ({@code translation-matrix.md} §3.1). The model and the streaming mode belong in the URL, not
 * the body; {@code user}, {@code metadata}, {@code logit_bias} and {@code parallel_tool_calls}
 * have no Gemini field and are dropped.
 */
final class ChatToGeminiRequest {

  /** Gemini accepts at most five stop sequences. */
  static final int MAX_STOP = 5;

  private ChatToGeminiRequest() {}

  static JsonObject map(JsonObject in, String upstreamModel) {
    if (in.getValue("n") instanceof Number n && n.intValue() > 1) {
      throw new TranslationException("'n' greater than 1 is not supported by this model's provider");
    }
    ChatToGeminiContents.Result messages = ChatToGeminiContents.map(in.getValue("messages"));
    JsonObject out = new JsonObject().put("contents", messages.contents());
    if (!messages.system().isEmpty()) out.put("systemInstruction", new JsonObject().put("parts", messages.system()));
    ChatToGeminiTools.map(in, out);
    JsonObject config = new JsonObject();
    copyNumber(in, "temperature", config, "temperature");
    copyNumber(in, "top_p", config, "topP");
    Integer max = maxTokens(in);
    if (max != null) config.put("maxOutputTokens", max);
    JsonArray stops = stopSequences(in.getValue("stop"));
    if (stops != null && !stops.isEmpty()) config.put("stopSequences", stops);
    copyNumber(in, "seed", config, "seed");
    if (acceptsPenalties(upstreamModel)) {
      copyNumber(in, "presence_penalty", config, "presencePenalty");
      copyNumber(in, "frequency_penalty", config, "frequencyPenalty");
    }
    responseFormat(in.getValue("response_format"), config);
    thinking(in.getValue("reasoning_effort"), config);
    if (!config.isEmpty()) out.put("generationConfig", config);
    return out;
  }

  /** Gemini 3 models refuse the penalties (P17, LiteLLM's {@code _supports_penalty_parameters}). */
  static boolean acceptsPenalties(String model) {
    return model == null || !model.contains("gemini-3");
  }

  private static void copyNumber(JsonObject in, String from, JsonObject config, String to) {
    Object v = in.getValue(from);
    if (v == null) return;
    if (!(v instanceof Number n)) throw new TranslationException("'" + from + "' must be a number");
    config.put(to, n);
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

  private static JsonArray stopSequences(Object stop) {
    if (stop == null) return null;
    JsonArray out = new JsonArray();
    if (stop instanceof String s) {
      if (!s.isEmpty()) out.add(s);
      return out;
    }
    if (!(stop instanceof JsonArray list)) throw new TranslationException("'stop' must be a string or an array of strings");
    for (Object o : list) {
      if (!(o instanceof String s)) throw new TranslationException("'stop' must be a string or an array of strings");
      if (!s.isEmpty()) out.add(s);
    }
    if (out.size() > MAX_STOP) throw new TranslationException("'stop' may hold at most " + MAX_STOP + " sequences for this model's provider");
    return out;
  }

  /** {@code json_object} and {@code json_schema} ask for JSON; the schema is cleaned like tool schemas (P15). */
  private static void responseFormat(Object value, JsonObject config) {
    if (value == null) return;
    if (!(value instanceof JsonObject rf)) throw new TranslationException("'response_format' must be an object");
    Object type = rf.getValue("type");
    if ("json_object".equals(type)) {
      config.put("responseMimeType", "application/json");
    } else if ("json_schema".equals(type)) {
      if (!(rf.getValue("json_schema") instanceof JsonObject js) || !(js.getValue("schema") instanceof JsonObject schema)) {
        throw new TranslationException("'response_format.json_schema.schema' must be an object");
      }
      config.put("responseMimeType", "application/json").put("responseJsonSchema", GeminiSchemas.forGemini(schema));
    } else if (!"text".equals(type)) {
      throw new TranslationException("'response_format.type' must be text, json_object or json_schema");
    }
  }

  /**
   * {@code reasoning_effort} as a thinking budget ({@code cross-protocol.md} §7); thoughts are
   * asked for so that they can come back as {@code reasoning_content}. {@code none} switches
   * thinking off where the model allows it.
   */
  private static void thinking(Object effort, JsonObject config) {
    if (effort == null) return;
    Integer budget = effort instanceof String s ? GeminiTables.budget(s) : null;
    if (budget == null) {
      throw new TranslationException("'reasoning_effort' must be one of none, minimal, low, medium, high, xhigh, max");
    }
    JsonObject thinking = new JsonObject();
    if (budget > 0) thinking.put("includeThoughts", true);
    config.put("thinkingConfig", thinking.put("thinkingBudget", budget));
  }
}
