package dev.switchboard.translate.responses;

import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A Responses request as a Chat Completions request, top-level fields
 * ({@code translation-matrix.md} §7.1); {@code input} and {@code tools} have classes of their own.
 * The gateway keeps no server-side state, so anything that points at stored responses is a 400.
 */
final class ResponsesToChatRequest {

  private static final String[] PASSED_THROUGH = {"user", "safety_identifier", "prompt_cache_key", "service_tier"};

  private ResponsesToChatRequest() {}

  static JsonObject map(JsonObject in, String model, ResponsesToChat.Options options) {
    stateless(in);
    JsonObject out = new JsonObject().put("model", model);
    out.put("messages", ResponsesToChatInput.map(in.getValue("instructions"), in.getValue("input"), options.replayReasoning()));
    ResponsesToChatTools.map(in, out);
    Object max = in.getValue("max_output_tokens");
    if (max != null) out.put(options.legacyMaxTokens() ? "max_tokens" : "max_completion_tokens", positiveInt(max, "max_output_tokens"));
    number(in, out, "temperature");
    number(in, out, "top_p");
    text(in.getValue("text"), out);
    if (in.getValue("reasoning") instanceof JsonObject reasoning && reasoning.getValue("effort") instanceof String effort) {
      out.put("reasoning_effort", effort);
    }
    if (in.getValue("metadata") instanceof JsonObject metadata && !metadata.isEmpty()) out.put("metadata", metadata.copy());
    for (String key : PASSED_THROUGH) {
      if (in.getValue(key) instanceof String s && !s.isEmpty()) out.put(key, s);
    }
    if (Boolean.TRUE.equals(in.getValue("stream"))) {
      // a Responses client is owed usage in its terminal event
      out.put("stream", true).put("stream_options", new JsonObject().put("include_usage", true));
    }
    return out;
  }

  /** Fields that need stored responses or conversations: refused with a message the client can act on. */
  private static void stateless(JsonObject in) {
    if (in.getValue("previous_response_id") instanceof String id && !id.isEmpty()) {
      throw new TranslationException("'previous_response_id' is not supported for this model: the gateway does not store "
          + "responses; send the whole conversation in 'input' (with store: false)");
    }
    if (in.getValue("conversation") != null) {
      throw new TranslationException("'conversation' is not supported for this model: the gateway does not store "
          + "conversations; send the whole conversation in 'input'");
    }
    if (Boolean.TRUE.equals(in.getValue("background"))) {
      throw new TranslationException("'background' responses are not supported for this model");
    }
  }

  private static void text(Object text, JsonObject out) {
    if (text == null) return;
    if (!(text instanceof JsonObject t)) throw new TranslationException("'text' must be an object");
    if (t.getValue("verbosity") instanceof String v) out.put("verbosity", v);
    Object format = t.getValue("format");
    if (format == null) return;
    if (!(format instanceof JsonObject f)) throw new TranslationException("'text.format' must be an object");
    Object type = f.getValue("type");
    if ("text".equals(type) || "json_object".equals(type)) {
      out.put("response_format", new JsonObject().put("type", type));
    } else if ("json_schema".equals(type)) {
      // Responses keeps name and schema beside the type; Chat nests them under json_schema
      if (!(f.getValue("name") instanceof String name) || name.isBlank()) {
        throw new TranslationException("'text.format.name' is required for json_schema");
      }
      if (!(f.getValue("schema") instanceof JsonObject schema)) throw new TranslationException("'text.format.schema' must be an object");
      JsonObject js = new JsonObject().put("name", name);
      if (f.getValue("description") instanceof String d) js.put("description", d);
      js.put("schema", schema.copy());
      if (f.getValue("strict") instanceof Boolean strict) js.put("strict", strict);
      out.put("response_format", new JsonObject().put("type", "json_schema").put("json_schema", js));
    } else {
      throw new TranslationException("'text.format.type' must be text, json_object or json_schema");
    }
  }

  static long positiveInt(Object v, String name) {
    if (!(v instanceof Number n) || n.doubleValue() != Math.floor(n.doubleValue()) || n.longValue() < 1
        || n.longValue() > Integer.MAX_VALUE) {
      throw new TranslationException("'" + name + "' must be a positive integer");
    }
    return n.longValue();
  }

  private static void number(JsonObject in, JsonObject out, String key) {
    Object v = in.getValue(key);
    if (v == null) return;
    if (!(v instanceof Number n)) throw new TranslationException("'" + key + "' must be a number");
    out.put(key, n);
  }

  static JsonArray array(Object v, String name) {
    if (!(v instanceof JsonArray a)) throw new TranslationException("'" + name + "' must be an array");
    return a;
  }
}
