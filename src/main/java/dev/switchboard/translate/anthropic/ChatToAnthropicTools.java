package dev.switchboard.translate.anthropic;

import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Chat {@code tools}, {@code tool_choice} and {@code parallel_tool_calls} in Anthropic's terms ({@code cross-protocol.md} §5). */
final class ChatToAnthropicTools {

  private ChatToAnthropicTools() {}

  /** {@code {tools?, tool_choice?}} for the Anthropic request. */
  static JsonObject map(JsonObject in) {
    JsonObject out = new JsonObject();
    Object toolsValue = in.getValue("tools");
    if (toolsValue != null && !(toolsValue instanceof JsonArray)) throw new TranslationException("'tools' must be an array");
    Map<String, JsonObject> tools = new LinkedHashMap<>();
    if (toolsValue instanceof JsonArray list) {
      for (int i = 0; i < list.size(); i++) {
        JsonObject tool = tool(list.getValue(i), i);
        tools.put(tool.getString("name"), tool);
      }
    }
    if (tools.isEmpty()) return out; // tool_choice without tools means nothing upstream
    JsonObject choice = choice(in.getValue("tool_choice"), tools);
    if (Boolean.FALSE.equals(in.getValue("parallel_tool_calls")) && !"none".equals(choice == null ? null : choice.getString("type"))) {
      if (choice == null) choice = new JsonObject().put("type", "auto");
      choice.put("disable_parallel_tool_use", true);
    }
    out.put("tools", new JsonArray(new ArrayList<>(tools.values())));
    if (choice != null) out.put("tool_choice", choice);
    return out;
  }

  /** Whether the mapped choice makes the model call a tool (then thinking must stay off). */
  static boolean forcesTool(JsonObject mapped) {
    return mapped.getValue("tool_choice") instanceof JsonObject c
        && ("any".equals(c.getValue("type")) || "tool".equals(c.getValue("type")));
  }

  private static JsonObject tool(Object value, int i) {
    if (!(value instanceof JsonObject t)) throw new TranslationException("'tools[" + i + "]' must be an object");
    if (!"function".equals(t.getValue("type", "function"))) {
      throw new TranslationException("'tools[" + i + "]': only function tools can be sent to this model's provider");
    }
    if (!(t.getValue("function") instanceof JsonObject f) || !(f.getValue("name") instanceof String name) || name.isBlank()) {
      throw new TranslationException("'tools[" + i + "].function.name' is required");
    }
    JsonObject out = new JsonObject().put("name", name);
    if (f.getValue("description") instanceof String d && !d.isEmpty()) out.put("description", d);
    out.put("input_schema", AnthropicSchemas.objectRoot(f.getValue("parameters")));
    if (Boolean.TRUE.equals(f.getValue("strict"))) out.put("strict", true);
    return out;
  }

  /** The Anthropic tool_choice, or null for the default; may narrow {@code tools} for allowed_tools. */
  private static JsonObject choice(Object value, Map<String, JsonObject> tools) {
    if (value == null) return null;
    if (value instanceof String s) {
      return switch (s) {
        case "auto" -> new JsonObject().put("type", "auto");
        case "required" -> new JsonObject().put("type", "any");
        case "none" -> new JsonObject().put("type", "none");
        default -> throw new TranslationException("'tool_choice' must be none, auto, required or an object");
      };
    }
    if (!(value instanceof JsonObject c)) throw new TranslationException("'tool_choice' must be a string or an object");
    Object type = c.getValue("type");
    if ("function".equals(type)) {
      String name = c.getValue("function") instanceof JsonObject f && f.getValue("name") instanceof String n ? n : null;
      if (name == null || !tools.containsKey(name)) {
        throw new TranslationException("'tool_choice.function.name' must name one of the tools");
      }
      return new JsonObject().put("type", "tool").put("name", name);
    }
    if ("allowed_tools".equals(type) && c.getValue("allowed_tools") instanceof JsonObject allowed) {
      Set<String> names = new HashSet<>();
      if (allowed.getValue("tools") instanceof JsonArray list) {
        for (Object o : list) {
          if (o instanceof JsonObject t && t.getValue("function") instanceof JsonObject f && f.getValue("name") instanceof String n) names.add(n);
        }
      }
      tools.keySet().retainAll(names);
      if (tools.isEmpty()) throw new TranslationException("'tool_choice.allowed_tools.tools' names none of the tools");
      return new JsonObject().put("type", "required".equals(allowed.getValue("mode")) ? "any" : "auto");
    }
    throw new TranslationException("'tool_choice' of type " + type + " is not supported by this model's provider");
  }
}
