package dev.switchboard.translate.responses;

import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A Chat Completions request as a Responses request ({@code translation-matrix.md} §7.4), for
 * models only served on {@code /v1/responses}. Always {@code store:false}: the gateway keeps no
 * state and every request carries the whole conversation. Chat fields Responses has no place for
 * ({@code stop}, {@code seed}, penalties, {@code logit_bias}) are dropped; {@code n > 1} is a 400.
 */
final class ChatToResponsesRequest {

  private static final String[] PASSED_THROUGH = {"user", "safety_identifier", "prompt_cache_key", "service_tier"};

  private ChatToResponsesRequest() {}

  static JsonObject map(JsonObject in, String model, String reasoningSummary) {
    if (in.getValue("n") instanceof Number n && n.intValue() > 1) {
      throw new TranslationException("'n' greater than 1 is not supported for this model");
    }
    JsonObject out = new JsonObject().put("model", model);
    ChatToResponsesInput.map(in.getValue("messages"), out);
    tools(in, out);
    Object max = in.getValue("max_completion_tokens") != null ? in.getValue("max_completion_tokens") : in.getValue("max_tokens");
    if (max != null) out.put("max_output_tokens", ResponsesToChatRequest.positiveInt(max, "max_completion_tokens"));
    for (String key : new String[] {"temperature", "top_p"}) {
      Object v = in.getValue(key);
      if (v == null) continue;
      if (!(v instanceof Number n)) throw new TranslationException("'" + key + "' must be a number");
      out.put(key, n);
    }
    JsonObject text = text(in.getValue("response_format"));
    if (in.getValue("verbosity") instanceof String v) text = (text == null ? new JsonObject() : text).put("verbosity", v);
    if (text != null) out.put("text", text);
    if (in.getValue("reasoning_effort") instanceof String effort) {
      JsonObject reasoning = new JsonObject().put("effort", effort);
      if (reasoningSummary != null && !"none".equals(effort)) reasoning.put("summary", reasoningSummary);
      out.put("reasoning", reasoning);
    }
    if (in.getValue("metadata") instanceof JsonObject metadata && !metadata.isEmpty()) out.put("metadata", metadata.copy());
    for (String key : PASSED_THROUGH) {
      if (in.getValue(key) instanceof String s && !s.isEmpty()) out.put(key, s);
    }
    out.put("store", false);
    if (Boolean.TRUE.equals(in.getValue("stream"))) out.put("stream", true);
    return out;
  }

  private static void tools(JsonObject in, JsonObject out) {
    Object value = in.getValue("tools");
    if (value == null) return;
    JsonArray list = ResponsesToChatRequest.array(value, "tools");
    JsonArray tools = new JsonArray();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof JsonObject t) || !"function".equals(t.getValue("type", "function"))) {
        throw new TranslationException("'tools[" + i + "]': only function tools are supported for this model");
      }
      if (!(t.getValue("function") instanceof JsonObject f) || !(f.getValue("name") instanceof String name) || name.isBlank()) {
        throw new TranslationException("'tools[" + i + "].function.name' is required");
      }
      // Responses function tools are flat: no nested function object
      JsonObject tool = new JsonObject().put("type", "function").put("name", name);
      if (f.getValue("description") instanceof String d && !d.isEmpty()) tool.put("description", d);
      tool.put("parameters", f.getValue("parameters") instanceof JsonObject p
          ? p.copy() : new JsonObject().put("type", "object").put("properties", new JsonObject()));
      // Responses defaults strict to true; Chat to false, so it is always said
      tool.put("strict", Boolean.TRUE.equals(f.getValue("strict")));
      tools.add(tool);
    }
    if (tools.isEmpty()) return;
    out.put("tools", tools);
    Object choice = choice(in.getValue("tool_choice"));
    if (choice != null) out.put("tool_choice", choice);
    if (in.getValue("parallel_tool_calls") instanceof Boolean parallel) out.put("parallel_tool_calls", parallel);
  }

  private static Object choice(Object value) {
    if (value == null) return null;
    if (value instanceof String s) {
      if (s.equals("none") || s.equals("auto") || s.equals("required")) return s;
      throw new TranslationException("'tool_choice' must be none, auto, required or an object");
    }
    if (!(value instanceof JsonObject c)) throw new TranslationException("'tool_choice' must be a string or an object");
    if ("function".equals(c.getValue("type")) && c.getValue("function") instanceof JsonObject f && f.getValue("name") instanceof String n) {
      return new JsonObject().put("type", "function").put("name", n);
    }
    if ("allowed_tools".equals(c.getValue("type")) && c.getValue("allowed_tools") instanceof JsonObject allowed) {
      JsonArray tools = new JsonArray();
      if (allowed.getValue("tools") instanceof JsonArray list) {
        for (Object o : list) {
          if (o instanceof JsonObject t && t.getValue("function") instanceof JsonObject f && f.getValue("name") instanceof String n) {
            tools.add(new JsonObject().put("type", "function").put("name", n));
          }
        }
      }
      if (tools.isEmpty()) throw new TranslationException("'tool_choice.allowed_tools.tools' names no function");
      return new JsonObject().put("type", "allowed_tools")
          .put("mode", "required".equals(allowed.getValue("mode")) ? "required" : "auto").put("tools", tools);
    }
    throw new TranslationException("'tool_choice' must name a function");
  }

  /** Chat's {@code response_format} as Responses {@code text}: json_schema's fields move up beside the type. */
  private static JsonObject text(Object responseFormat) {
    if (responseFormat == null) return null;
    if (!(responseFormat instanceof JsonObject rf)) throw new TranslationException("'response_format' must be an object");
    Object type = rf.getValue("type");
    if ("text".equals(type) || "json_object".equals(type)) return new JsonObject().put("format", new JsonObject().put("type", type));
    if (!"json_schema".equals(type)) throw new TranslationException("'response_format.type' must be text, json_object or json_schema");
    if (!(rf.getValue("json_schema") instanceof JsonObject js) || !(js.getValue("name") instanceof String name) || name.isBlank()) {
      throw new TranslationException("'response_format.json_schema.name' is required");
    }
    JsonObject format = new JsonObject().put("type", "json_schema").put("name", name);
    if (js.getValue("description") instanceof String d) format.put("description", d);
    format.put("schema", js.getValue("schema") instanceof JsonObject s ? s.copy() : new JsonObject());
    if (js.getValue("strict") instanceof Boolean strict) format.put("strict", strict);
    return new JsonObject().put("format", format);
  }
}
