package dev.switchboard.translate.gemini;

import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * A Gemini {@code GenerateContentRequest} as a Chat Completions request
 * ({@code translation-matrix.md} §4.1). Fields Chat cannot express ({@code topK},
 * {@code safetySettings}, {@code cachedContent}, server tools, thought signatures) are dropped; a
 * shape it cannot carry is a 400.
 */
final class GeminiToChatRequest {

  /** OpenAI accepts at most four stop sequences; Gemini five. */
  static final int MAX_STOP = 4;

  private GeminiToChatRequest() {}

  static JsonObject map(JsonObject in, String model, GeminiToChat.Options options, boolean stream) {
    JsonObject out = new JsonObject().put("model", model);
    out.put("messages", GeminiToChatHistory.map(in));
    tools(in, out);
    Object config = GeminiJson.field(in, "generationConfig", "generation_config");
    if (config != null && !(config instanceof JsonObject)) throw new TranslationException("'generationConfig' must be an object");
    if (config instanceof JsonObject c) generation(c, options, out);
    if (stream) out.put("stream", true).put("stream_options", new JsonObject().put("include_usage", true));
    return out;
  }

  private static void generation(JsonObject c, GeminiToChat.Options options, JsonObject out) {
    Object count = GeminiJson.field(c, "candidateCount", "candidate_count");
    if (count instanceof Number n && n.intValue() > 1) {
      throw new TranslationException("'candidateCount' greater than 1 is not supported by this upstream");
    }
    copyNumber(c, "temperature", "temperature", out, "temperature");
    copyNumber(c, "topP", "top_p", out, "top_p");
    Object max = GeminiJson.field(c, "maxOutputTokens", "max_output_tokens");
    if (max != null) {
      if (!(max instanceof Number n) || n.longValue() < 1) throw new TranslationException("'maxOutputTokens' must be a positive integer");
      out.put(options.legacyMaxTokens() ? "max_tokens" : "max_completion_tokens", n.longValue());
    }
    if (GeminiJson.field(c, "stopSequences", "stop_sequences") instanceof JsonArray list) {
      JsonArray stop = new JsonArray();
      for (Object s : list) if (s instanceof String seq && !seq.isEmpty() && stop.size() < MAX_STOP) stop.add(seq);
      if (!stop.isEmpty()) out.put("stop", stop);
    }
    copyNumber(c, "seed", "seed", out, "seed");
    copyNumber(c, "presencePenalty", "presence_penalty", out, "presence_penalty");
    copyNumber(c, "frequencyPenalty", "frequency_penalty", out, "frequency_penalty");
    responseFormat(c, out);
    if (options.reasoningEffort() && GeminiJson.field(c, "thinkingConfig", "thinking_config") instanceof JsonObject thinking) {
      String effort = effort(thinking);
      if (effort != null) out.put("reasoning_effort", effort);
    }
  }

  private static void copyNumber(JsonObject c, String camel, String snake, JsonObject out, String to) {
    Object v = GeminiJson.field(c, camel, snake);
    if (v == null) return;
    if (!(v instanceof Number n)) throw new TranslationException("'" + camel + "' must be a number");
    out.put(to, n);
  }

  /** {@code thinkingLevel} (Gemini 3) names an effort; a {@code thinkingBudget} goes through the table (§7). */
  private static String effort(JsonObject thinking) {
    if (GeminiJson.field(thinking, "thinkingLevel", "thinking_level") instanceof String level) {
      String l = level.toLowerCase(Locale.ROOT);
      if (l.equals("minimal") || l.equals("low") || l.equals("medium") || l.equals("high")) return l;
      throw new TranslationException("'thinkingLevel' must be minimal, low, medium or high");
    }
    Object budget = GeminiJson.field(thinking, "thinkingBudget", "thinking_budget");
    return budget instanceof Number n ? GeminiTables.effort(n.longValue()) : null;
  }

  private static void responseFormat(JsonObject c, JsonObject out) {
    Object mime = GeminiJson.field(c, "responseMimeType", "response_mime_type");
    Object jsonSchema = GeminiJson.field(c, "responseJsonSchema", "response_json_schema");
    Object openApiSchema = GeminiJson.field(c, "responseSchema", "response_schema");
    if (mime == null || "text/plain".equals(mime)) return;
    if (!"application/json".equals(mime)) throw new TranslationException("'responseMimeType' " + mime + " is not supported by this upstream");
    JsonObject schema = jsonSchema instanceof JsonObject s ? s.copy()
        : openApiSchema instanceof JsonObject s2 ? GeminiSchemas.toJsonSchema(s2) : null;
    if (schema == null) {
      out.put("response_format", new JsonObject().put("type", "json_object"));
    } else {
      out.put("response_format", new JsonObject().put("type", "json_schema")
          .put("json_schema", new JsonObject().put("name", "response").put("schema", schema)));
    }
  }

  private static void tools(JsonObject in, JsonObject out) {
    JsonArray functions = new JsonArray();
    Object tools = in.getValue("tools");
    if (tools != null && !(tools instanceof JsonArray)) throw new TranslationException("'tools' must be an array");
    if (tools instanceof JsonArray list) {
      for (Object t : list) {
        // googleSearch, codeExecution, urlContext and other server tools have no Chat form
        if (t instanceof JsonObject tool && GeminiJson.field(tool, "functionDeclarations", "function_declarations") instanceof JsonArray ds) {
          for (Object d : ds) functions.add(function(d));
        }
      }
    }
    if (functions.isEmpty()) return;
    out.put("tools", functions);
    Object config = GeminiJson.field(in, "toolConfig", "tool_config");
    if (config instanceof JsonObject tc && GeminiJson.field(tc, "functionCallingConfig", "function_calling_config") instanceof JsonObject fc) {
      Object choice = choice(fc);
      if (choice != null) out.put("tool_choice", choice);
    }
  }

  private static JsonObject function(Object value) {
    if (!(value instanceof JsonObject d) || !(d.getValue("name") instanceof String name) || name.isEmpty()) {
      throw new TranslationException("each functionDeclaration needs a 'name'");
    }
    JsonObject f = new JsonObject().put("name", name);
    if (d.getValue("description") instanceof String desc && !desc.isEmpty()) f.put("description", desc);
    Object jsonSchema = GeminiJson.field(d, "parametersJsonSchema", "parameters_json_schema");
    Object openApi = d.getValue("parameters");
    JsonObject schema = jsonSchema instanceof JsonObject s ? s.copy()
        : openApi instanceof JsonObject s2 ? GeminiSchemas.toJsonSchema(s2)
        : new JsonObject().put("type", "object").put("properties", new JsonObject());
    return new JsonObject().put("type", "function").put("function", f.put("parameters", schema));
  }

  /** {@code cross-protocol.md} §5: ANY with one allowed name forces that function; with several, allowed_tools. */
  private static Object choice(JsonObject fc) {
    String mode = fc.getValue("mode") instanceof String m ? m.toUpperCase(Locale.ROOT) : "AUTO";
    JsonArray names = new JsonArray();
    if (GeminiJson.field(fc, "allowedFunctionNames", "allowed_function_names") instanceof JsonArray list) {
      for (Object n : list) if (n instanceof String s && !s.isEmpty()) names.add(s);
    }
    return switch (mode) {
      case "AUTO", "VALIDATED", "MODE_UNSPECIFIED" -> "auto";
      case "NONE" -> "none";
      case "ANY" -> {
        if (names.isEmpty()) yield "required";
        if (names.size() == 1) yield new JsonObject().put("type", "function").put("function", new JsonObject().put("name", names.getString(0)));
        JsonArray allowed = new JsonArray();
        for (Object n : names) allowed.add(new JsonObject().put("type", "function").put("function", new JsonObject().put("name", n)));
        yield new JsonObject().put("type", "allowed_tools").put("allowed_tools", new JsonObject().put("mode", "required").put("tools", allowed));
      }
      default -> throw new TranslationException("'functionCallingConfig.mode' must be AUTO, ANY, NONE or VALIDATED");
    };
  }
}
