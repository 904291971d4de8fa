package dev.switchboard.translate.responses;

import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Chat {@code messages} as Responses {@code instructions} and {@code input} items. The system and
 * developer messages that open the conversation become {@code instructions}; later ones stay in
 * place as system/developer items (P14). Assistant tool calls become function_call items with
 * {@code call_id} = the Chat id, tool messages function_call_output items answering it.
 * {@code reasoning_content} in the history is dropped: Responses only takes its own reasoning back.
 */
final class ChatToResponsesInput {

  private ChatToResponsesInput() {}

  static void map(Object value, JsonObject out) {
    if (!(value instanceof JsonArray list) || list.isEmpty()) throw new TranslationException("'messages' must be a non-empty array");
    StringBuilder instructions = new StringBuilder();
    JsonArray input = new JsonArray();
    for (int i = 0; i < list.size(); i++) {
      String where = "messages[" + i + "]";
      if (!(list.getValue(i) instanceof JsonObject m)) throw new TranslationException("'" + where + "' must be an object");
      Object role = m.getValue("role");
      switch (role instanceof String r ? r : "") {
        case "system", "developer" -> {
          String text = text(m.getValue("content"), where);
          if (text.isEmpty()) continue;
          if (input.isEmpty()) instructions.append(instructions.length() == 0 ? "" : "\n\n").append(text);
          else input.add(message((String) role, new JsonArray().add(part("input_text", text))));
        }
        case "user" -> {
          JsonArray parts = user(m.getValue("content"), where);
          if (!parts.isEmpty()) input.add(message("user", parts));
        }
        case "assistant" -> assistant(m, where, input);
        case "tool" -> {
          if (!(m.getValue("tool_call_id") instanceof String id) || id.isEmpty()) {
            throw new TranslationException("'" + where + ".tool_call_id' is required");
          }
          input.add(new JsonObject().put("type", "function_call_output").put("call_id", id).put("output", text(m.getValue("content"), where)));
        }
        default -> throw new TranslationException("'" + where + ".role' must be system, developer, user, assistant or tool");
      }
    }
    if (input.isEmpty()) throw new TranslationException("'messages' must contain a user or assistant message");
    if (instructions.length() > 0) out.put("instructions", instructions.toString());
    out.put("input", input);
  }

  private static void assistant(JsonObject m, String where, JsonArray input) {
    JsonArray content = new JsonArray();
    String text = text(m.getValue("content"), where);
    if (!text.isEmpty()) content.add(part("output_text", text).put("annotations", new JsonArray()));
    if (m.getValue("refusal") instanceof String r && !r.isEmpty()) content.add(new JsonObject().put("type", "refusal").put("refusal", r));
    if (!content.isEmpty()) input.add(message("assistant", content));
    Object calls = m.getValue("tool_calls");
    if (calls == null) return;
    if (!(calls instanceof JsonArray list)) throw new TranslationException("'" + where + ".tool_calls' must be an array");
    for (int k = 0; k < list.size(); k++) {
      String at = where + ".tool_calls[" + k + "]";
      if (!(list.getValue(k) instanceof JsonObject call) || !(call.getValue("function") instanceof JsonObject f)
          || !(f.getValue("name") instanceof String name) || name.isEmpty()) {
        throw new TranslationException("'" + at + ".function.name' is required");
      }
      if (!(call.getValue("id") instanceof String id) || id.isEmpty()) throw new TranslationException("'" + at + ".id' is required");
      Object args = f.getValue("arguments");
      input.add(new JsonObject().put("type", "function_call").put("call_id", id).put("name", name)
          .put("arguments", args instanceof String s ? s : args instanceof JsonObject o ? o.encode() : "{}"));
    }
  }

  private static JsonArray user(Object content, String where) {
    JsonArray out = new JsonArray();
    if (content instanceof String s) {
      if (!s.isEmpty()) out.add(part("input_text", s));
      return out;
    }
    for (JsonObject p : parts(content, where)) {
      Object type = p.getValue("type");
      switch (type instanceof String t ? t : "") {
        case "text" -> {
          if (p.getValue("text") instanceof String s && !s.isEmpty()) out.add(part("input_text", s));
        }
        case "image_url" -> {
          Object v = p.getValue("image_url");
          String url = v instanceof JsonObject o && o.getValue("url") instanceof String s ? s : v instanceof String s2 ? s2 : null;
          if (url == null || url.isEmpty()) throw new TranslationException("'" + where + "': image_url.url is required");
          String detail = v instanceof JsonObject o && o.getValue("detail") instanceof String d ? d : "auto";
          out.add(new JsonObject().put("type", "input_image").put("image_url", url).put("detail", detail));
        }
        case "file" -> {
          if (!(p.getValue("file") instanceof JsonObject f)) throw new TranslationException("'" + where + "': file part needs a file object");
          JsonObject file = new JsonObject().put("type", "input_file");
          if (f.getValue("file_data") instanceof String d) file.put("file_data", d);
          else if (f.getValue("file_id") instanceof String id) file.put("file_id", id);
          else throw new TranslationException("'" + where + "': file part needs file_data or file_id");
          if (f.getValue("filename") instanceof String name) file.put("filename", name);
          out.add(file);
        }
        default -> throw new TranslationException("'" + where + "': content part type " + type + " is not supported for this model");
      }
    }
    return out;
  }

  /** Text-only content (system, developer, assistant, tool): text and refusal parts joined. */
  private static String text(Object content, String where) {
    if (content == null) return "";
    if (content instanceof String s) return s;
    StringBuilder text = new StringBuilder();
    for (JsonObject p : parts(content, where)) {
      Object value = "refusal".equals(p.getValue("type")) ? p.getValue("refusal") : p.getValue("text");
      if (!"text".equals(p.getValue("type")) && !"refusal".equals(p.getValue("type"))) {
        throw new TranslationException("'" + where + "': content part type " + p.getValue("type") + " is not allowed in this message");
      }
      if (value instanceof String s) text.append(s);
    }
    return text.toString();
  }

  private static List<JsonObject> parts(Object content, String where) {
    if (!(content instanceof JsonArray list)) throw new TranslationException("'" + where + ".content' must be a string or an array");
    List<JsonObject> parts = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof JsonObject p)) throw new TranslationException("'" + where + ".content[" + i + "]' must be an object");
      parts.add(p);
    }
    return parts;
  }

  private static JsonObject message(String role, JsonArray content) {
    return new JsonObject().put("type", "message").put("role", role).put("content", content);
  }

  private static JsonObject part(String type, String text) {
    return new JsonObject().put("type", type).put("text", text);
  }
}
