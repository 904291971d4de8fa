package dev.switchboard.translate.responses;

import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Responses {@code tools}, {@code tool_choice} and {@code parallel_tool_calls} in Chat's shapes
 * ({@code cross-protocol.md} §5). Function tools are flat in Responses and nested in Chat; custom
 * tools and the tools inside a namespace become functions too ({@link ResponsesToolNames}).
 * Hosted tools (web_search, file_search, mcp, ...) have no Chat form and are dropped, as
 * {@code agents.md} asks: Codex CLI always sends some, and a 400 would stop every run.
 */
final class ResponsesToChatTools {

  private ResponsesToChatTools() {}

  static void map(JsonObject in, JsonObject out) {
    Object value = in.getValue("tools");
    if (value == null) return;
    JsonArray list = ResponsesToChatRequest.array(value, "tools");
    Map<String, JsonObject> tools = new LinkedHashMap<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof JsonObject t)) throw new TranslationException("'tools[" + i + "]' must be an object");
      if ("namespace".equals(t.getValue("type")) && t.getValue("name") instanceof String ns && t.getValue("tools") instanceof JsonArray inner) {
        for (int k = 0; k < inner.size(); k++) {
          if (inner.getValue(k) instanceof JsonObject f) tool(f, ns, "tools[" + i + "].tools[" + k + "]", tools);
        }
      } else {
        tool(t, null, "tools[" + i + "]", tools);
      }
    }
    if (tools.isEmpty()) return; // tool_choice and parallel_tool_calls mean nothing without tools
    out.put("tools", new JsonArray(new ArrayList<>(tools.values())));
    Object choice = choice(in.getValue("tool_choice"), tools);
    if (choice != null) out.put("tool_choice", choice);
    if (in.getValue("parallel_tool_calls") instanceof Boolean parallel) out.put("parallel_tool_calls", parallel);
  }

  /** A function or custom tool as a Chat function; anything else (a hosted tool) is skipped. */
  private static void tool(JsonObject t, String namespace, String where, Map<String, JsonObject> tools) {
    boolean custom = "custom".equals(t.getValue("type"));
    if (!custom && !"function".equals(t.getValue("type"))) return; // hosted tool: nothing upstream can run it
    if (!(t.getValue("name") instanceof String name) || name.isBlank()) throw new TranslationException("'" + where + ".name' is required");
    String chatName = ResponsesToolNames.chatName(namespace, name);
    JsonObject function = new JsonObject().put("name", chatName);
    String description = t.getValue("description") instanceof String d ? d : "";
    if (custom) description = customDescription(description, t.getValue("format"));
    if (!description.isEmpty()) function.put("description", description);
    if (custom) {
      function.put("parameters", ResponsesToolNames.customParameters());
    } else {
      function.put("parameters", t.getValue("parameters") instanceof JsonObject p
          ? p.copy() : new JsonObject().put("type", "object").put("properties", new JsonObject()));
      if (t.getValue("strict") instanceof Boolean strict) function.put("strict", strict);
    }
    tools.put(chatName, new JsonObject().put("type", "function").put("function", function));
  }

  /** A free-form tool seen as a function: the model must learn that its text goes into 'input', and in which grammar. */
  private static String customDescription(String description, Object format) {
    StringBuilder sb = new StringBuilder(description);
    if (sb.length() > 0) sb.append("\n\n");
    sb.append("Send the tool's whole free-form input as the string argument 'input'.");
    if (format instanceof JsonObject f && "grammar".equals(f.getValue("type")) && f.getValue("definition") instanceof String g) {
      sb.append(" It must follow this ").append(f.getValue("syntax") instanceof String syntax ? syntax + " " : "")
          .append("grammar:\n").append(g);
    }
    return sb.toString();
  }

  private static Object choice(Object value, Map<String, JsonObject> tools) {
    if (value == null) return null;
    if (value instanceof String s) {
      if (s.equals("none") || s.equals("auto") || s.equals("required")) return s;
      throw new TranslationException("'tool_choice' must be none, auto, required or an object");
    }
    if (!(value instanceof JsonObject c)) throw new TranslationException("'tool_choice' must be a string or an object");
    Object type = c.getValue("type");
    if ("function".equals(type) || "custom".equals(type)) {
      String name = c.getValue("name") instanceof String n
          ? ResponsesToolNames.chatName(c.getValue("namespace") instanceof String ns ? ns : null, n) : null;
      if (name == null || !tools.containsKey(name)) throw new TranslationException("'tool_choice.name' must name one of the function or custom tools");
      // the shapes differ: never copied verbatim
      return new JsonObject().put("type", "function").put("function", new JsonObject().put("name", name));
    }
    if ("allowed_tools".equals(type)) {
      JsonArray allowed = new JsonArray();
      if (c.getValue("tools") instanceof JsonArray list) {
        for (Object o : list) {
          if (o instanceof JsonObject t && "function".equals(t.getValue("type")) && t.getValue("name") instanceof String n
              && tools.containsKey(n)) {
            allowed.add(new JsonObject().put("type", "function").put("function", new JsonObject().put("name", n)));
          }
        }
      }
      if (allowed.isEmpty()) throw new TranslationException("'tool_choice.tools' names none of the function tools");
      String mode = "required".equals(c.getValue("mode")) ? "required" : "auto";
      return new JsonObject().put("type", "allowed_tools")
          .put("allowed_tools", new JsonObject().put("mode", mode).put("tools", allowed));
    }
    throw new TranslationException("'tool_choice' of type " + type + " cannot be used with this model: only function tools are available");
  }
}
