package dev.switchboard.translate.anthropic;

import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An Anthropic Messages request as an OpenAI Chat Completions request
 * ({@code translation-matrix.md} §2.1). Fields Chat cannot express ({@code top_k}, server tools,
 * {@code cache_control}, signatures) are dropped; a shape it cannot carry is a 400.
 */
final class MessagesToChatRequest {

  /** OpenAI accepts at most four stop sequences. */
  static final int MAX_STOP = 4;

  private MessagesToChatRequest() {}

  static JsonObject map(JsonObject in, String upstreamModel, MessagesToChat.Options options) {
    JsonObject out = new JsonObject().put("model", upstreamModel);
    out.put("messages", MessagesToChatHistory.map(in, options.replayReasoning()));
    if (in.getValue("max_tokens") instanceof Number max) {
      out.put(options.legacyMaxTokens() ? "max_tokens" : "max_completion_tokens", max.longValue());
    }
    copyNumber(in, out, "temperature");
    copyNumber(in, out, "top_p");
    stop(in.getValue("stop_sequences"), out);
    tools(in, out);
    if (options.reasoningEffort()) reasoning(in, out);
    responseFormat(in, out);
    if (in.getValue("metadata") instanceof JsonObject metadata
        && metadata.getValue("user_id") instanceof String user && !user.isEmpty()) {
      out.put("user", user);
    }
    if (Boolean.TRUE.equals(in.getValue("stream"))) {
      // the Anthropic client is owed usage at the end of every stream
      out.put("stream", true).put("stream_options", new JsonObject().put("include_usage", true));
    }
    return out;
  }

  private static void copyNumber(JsonObject in, JsonObject out, String key) {
    if (in.getValue(key) instanceof Number n) out.put(key, n);
  }

  private static void stop(Object sequences, JsonObject out) {
    if (!(sequences instanceof JsonArray list)) return;
    JsonArray stop = new JsonArray();
    for (Object s : list) {
      if (s instanceof String seq && !seq.isEmpty() && stop.size() < MAX_STOP) stop.add(seq);
    }
    if (!stop.isEmpty()) out.put("stop", stop);
  }

  private static void tools(JsonObject in, JsonObject out) {
    JsonArray tools = new JsonArray();
    if (in.getValue("tools") instanceof JsonArray list) {
      for (Object t : list) {
        if (t instanceof JsonObject tool && isClientTool(tool)) tools.add(function(tool));
      }
    }
    if (tools.isEmpty()) return;
    out.put("tools", tools);
    if (!(in.getValue("tool_choice") instanceof JsonObject choice)) return;
    String type = String.valueOf(choice.getValue("type"));
    switch (type) {
      case "auto" -> out.put("tool_choice", "auto");
      case "any" -> out.put("tool_choice", "required");
      case "none" -> out.put("tool_choice", "none");
      case "tool" -> {
        if (!(choice.getValue("name") instanceof String name) || name.isEmpty()) {
          throw new TranslationException("tool_choice of type 'tool' needs a 'name'");
        }
        out.put("tool_choice", new JsonObject().put("type", "function").put("function", new JsonObject().put("name", name)));
      }
      default -> throw new TranslationException("unknown tool_choice type '" + type + "'");
    }
    if (Boolean.TRUE.equals(choice.getValue("disable_parallel_tool_use")) && !type.equals("none")) {
      out.put("parallel_tool_calls", false);
    }
  }

  /** Client tools have no {@code type} or {@code type:"custom"}; typed server tools have no Chat form. */
  private static boolean isClientTool(JsonObject tool) {
    Object type = tool.getValue("type");
    return type == null || "custom".equals(type);
  }

  private static JsonObject function(JsonObject tool) {
    if (!(tool.getValue("name") instanceof String name) || name.isEmpty()) {
      throw new TranslationException("each tool needs a 'name'");
    }
    JsonObject function = new JsonObject().put("name", name);
    if (tool.getValue("description") instanceof String d && !d.isEmpty()) function.put("description", d);
    function.put("parameters", tool.getValue("input_schema") instanceof JsonObject schema
        ? schema : new JsonObject().put("type", "object").put("properties", new JsonObject()));
    if (tool.getValue("strict") instanceof Boolean strict) function.put("strict", strict);
    return new JsonObject().put("type", "function").put("function", function);
  }

  private static void reasoning(JsonObject in, JsonObject out) {
    if (!(in.getValue("thinking") instanceof JsonObject thinking)) return;
    String effort = switch (String.valueOf(thinking.getValue("type"))) {
      case "enabled" -> thinking.getValue("budget_tokens") instanceof Number n ? effortFor(n.longValue()) : null;
      case "adaptive" -> in.getValue("output_config") instanceof JsonObject config
          && config.getValue("effort") instanceof String e ? e : null;
      default -> null;
    };
    if (effort != null) out.put("reasoning_effort", effort);
  }

  /** Budget to level, CLIProxyAPI thresholds ({@code cross-protocol.md} §7); 0 means no knob at all. */
  static String effortFor(long budget) {
    if (budget <= 0) return null;
    if (budget <= 512) return "minimal";
    if (budget <= 1024) return "low";
    if (budget <= 8192) return "medium";
    if (budget <= 24576) return "high";
    return "xhigh";
  }

  private static void responseFormat(JsonObject in, JsonObject out) {
    if (!(in.getValue("output_config") instanceof JsonObject config)
        || !(config.getValue("format") instanceof JsonObject format)
        || !"json_schema".equals(format.getValue("type"))) {
      return;
    }
    JsonObject schema = format.getValue("schema") instanceof JsonObject s ? s : new JsonObject();
    out.put("response_format", new JsonObject().put("type", "json_schema").put("json_schema",
        new JsonObject().put("name", "response").put("schema", schema).put("strict", true)));
  }
}
