package dev.switchboard.translate.gemini;

import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chat {@code tools} and {@code tool_choice} as Gemini {@code tools[].functionDeclarations} and
 * {@code toolConfig.functionCallingConfig} ({@code cross-protocol.md} §5). Schemas go as
 * {@code parametersJsonSchema}, cleaned (P15). Gemini has no switch for parallel calls, so
 * {@code parallel_tool_calls} is dropped.
 */
final class ChatToGeminiTools {

  private ChatToGeminiTools() {}

  /** Puts {@code tools} and {@code toolConfig} on the Gemini request when the client sent tools. */
  static void map(JsonObject in, JsonObject out) {
    Object toolsValue = in.getValue("tools");
    if (toolsValue != null && !(toolsValue instanceof JsonArray)) throw new TranslationException("'tools' must be an array");
    Map<String, JsonObject> declarations = new LinkedHashMap<>();
    if (toolsValue instanceof JsonArray list) {
      for (int i = 0; i < list.size(); i++) {
        JsonObject d = declaration(list.getValue(i), i);
        declarations.put(d.getString("name"), d);
      }
    }
    if (declarations.isEmpty()) return; // tool_choice without tools means nothing upstream
    JsonObject config = choice(in.getValue("tool_choice"), declarations);
    out.put("tools", new JsonArray().add(new JsonObject().put("functionDeclarations", new JsonArray(new ArrayList<>(declarations.values())))));
    if (config != null) out.put("toolConfig", new JsonObject().put("functionCallingConfig", config));
  }

  private static JsonObject declaration(Object value, int i) {
    if (!(value instanceof JsonObject t)) throw new TranslationException("'tools[" + i + "]' must be an object");
    if (!"function".equals(t.getValue("type", "function"))) {
      throw new TranslationException("'tools[" + i + "]': only function tools can be sent to this model's provider");
    }
    if (!(t.getValue("function") instanceof JsonObject f) || !(f.getValue("name") instanceof String name) || name.isBlank()) {
      throw new TranslationException("'tools[" + i + "].function.name' is required");
    }
    JsonObject out = new JsonObject().put("name", name);
    if (f.getValue("description") instanceof String d && !d.isEmpty()) out.put("description", d);
    if (f.getValue("parameters") instanceof JsonObject schema) out.put("parametersJsonSchema", GeminiSchemas.forGemini(schema));
    return out;
  }

  /** The function-calling config, or null for Gemini's default (AUTO); may narrow the declarations. */
  private static JsonObject choice(Object value, Map<String, JsonObject> declarations) {
    if (value == null) return null;
    if (value instanceof String s) {
      return switch (s) {
        case "auto" -> mode("AUTO");
        case "required" -> mode("ANY");
        case "none" -> mode("NONE");
        default -> throw new TranslationException("'tool_choice' must be none, auto, required or an object");
      };
    }
    if (!(value instanceof JsonObject c)) throw new TranslationException("'tool_choice' must be a string or an object");
    Object type = c.getValue("type");
    if ("function".equals(type)) {
      String name = c.getValue("function") instanceof JsonObject f && f.getValue("name") instanceof String n ? n : null;
      if (name == null || !declarations.containsKey(name)) {
        throw new TranslationException("'tool_choice.function.name' must name one of the tools");
      }
      return mode("ANY").put("allowedFunctionNames", new JsonArray().add(name));
    }
    if ("allowed_tools".equals(type) && c.getValue("allowed_tools") instanceof JsonObject allowed) {
      Set<String> names = new HashSet<>();
      if (allowed.getValue("tools") instanceof JsonArray list) {
        for (Object o : list) {
          if (o instanceof JsonObject t && t.getValue("function") instanceof JsonObject f && f.getValue("name") instanceof String n) names.add(n);
        }
      }
      declarations.keySet().retainAll(names);
      if (declarations.isEmpty()) throw new TranslationException("'tool_choice.allowed_tools.tools' names none of the tools");
      if (!"required".equals(allowed.getValue("mode"))) return mode("AUTO"); // allowedFunctionNames only goes with ANY
      List<String> kept = new ArrayList<>(declarations.keySet());
      return mode("ANY").put("allowedFunctionNames", new JsonArray(new ArrayList<Object>(kept)));
    }
    throw new TranslationException("'tool_choice' of type " + type + " is not supported by this model's provider");
  }

  private static JsonObject mode(String mode) {
    return new JsonObject().put("mode", mode);
  }
}
