package dev.switchboard.translate.responses;

import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Responses message content (a string or typed parts) as Chat content ({@code cross-protocol.md} §4). */
final class ResponsesToChatContent {

  private ResponsesToChatContent() {}

  /** Text-only content (system, developer, assistant history), or null when there is none. */
  static String text(Object content, String where) {
    if (content instanceof String s) return s.isEmpty() ? null : s;
    StringBuilder text = new StringBuilder();
    for (JsonObject part : parts(content, where)) {
      Object type = part.getValue("type");
      Object value = "refusal".equals(type) ? part.getValue("refusal") : part.getValue("text");
      if (!"input_text".equals(type) && !"output_text".equals(type) && !"refusal".equals(type) && !"text".equals(type)) {
        throw new TranslationException("'" + where + ".content' part of type " + type + " is not allowed in this message");
      }
      if (value instanceof String s) text.append(s);
    }
    return text.length() == 0 ? null : text.toString();
  }

  /** User content: a plain string when it is one text, else Chat parts; null when empty. */
  static Object user(Object content, String where) {
    if (content instanceof String s) return s.isEmpty() ? null : s;
    JsonArray out = new JsonArray();
    for (JsonObject part : parts(content, where)) userPart(part, out, where);
    if (out.isEmpty()) return null;
    if (out.size() == 1 && "text".equals(out.getJsonObject(0).getValue("type"))) return out.getJsonObject(0).getString("text");
    return out;
  }

  /** A function_call_output as tool-message text; its images go to {@code media} (P13). */
  static String toolOutput(Object output, JsonArray media, String where) {
    if (output == null) return "";
    if (output instanceof String s) return s;
    StringBuilder text = new StringBuilder();
    JsonArray parts = new JsonArray();
    for (JsonObject part : parts(output, where + ".output")) userPart(part, parts, where + ".output");
    for (Object o : parts) {
      JsonObject p = (JsonObject) o;
      if ("text".equals(p.getValue("type"))) {
        if (text.length() > 0) text.append('\n');
        text.append(p.getString("text"));
      } else {
        media.add(p);
      }
    }
    return text.toString();
  }

  private static void userPart(JsonObject part, JsonArray out, String where) {
    Object type = part.getValue("type");
    switch (type instanceof String t ? t : "") {
      case "input_text", "output_text", "text" -> {
        if (part.getValue("text") instanceof String s && !s.isEmpty()) out.add(new JsonObject().put("type", "text").put("text", s));
      }
      case "input_image" -> {
        if (!(part.getValue("image_url") instanceof String url) || url.isEmpty()) {
          throw new TranslationException("'" + where + "': input_image needs an image_url (file ids are not supported for this model)");
        }
        JsonObject image = new JsonObject().put("url", url);
        if (part.getValue("detail") instanceof String d) image.put("detail", d);
        out.add(new JsonObject().put("type", "image_url").put("image_url", image));
      }
      case "input_file" -> out.add(new JsonObject().put("type", "file").put("file", file(part, where)));
      default -> throw new TranslationException("'" + where + "' has an unsupported content part type: " + type);
    }
  }

  private static JsonObject file(JsonObject part, String where) {
    JsonObject file = new JsonObject();
    if (part.getValue("file_data") instanceof String data && !data.isEmpty()) file.put("file_data", data);
    else if (part.getValue("file_id") instanceof String id && !id.isEmpty()) file.put("file_id", id);
    else throw new TranslationException("'" + where + "': input_file needs file_data or file_id (file_url is not supported for this model)");
    if (part.getValue("filename") instanceof String name && !name.isEmpty()) file.put("filename", name);
    return file;
  }

  private static List<JsonObject> parts(Object content, String where) {
    if (!(content instanceof JsonArray list)) throw new TranslationException("'" + where + ".content' must be a string or an array");
    List<JsonObject> parts = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof JsonObject p)) throw new TranslationException("'" + where + ".content[" + i + "]' must be an object");
      parts.add(p);
    }
    return parts;
  }
}
