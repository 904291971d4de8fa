package dev.switchboard.translate.gemini;

import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * Chat content (a string or parts) as Gemini parts: text, images (data URLs inline, http(s) URLs
 * as {@code fileData}), PDF files and audio inline. Data URLs are parsed, not sliced (P29);
 * blank text is skipped.
 */
final class ChatToGeminiParts {

  private ChatToGeminiParts() {}

  /** Text-only content (system, developer, assistant): text and refusal parts. */
  static void text(Object content, JsonArray out, String where) {
    if (content == null) return;
    if (content instanceof String s) {
      addText(s, out);
      return;
    }
    if (!(content instanceof JsonArray parts)) throw new TranslationException("'" + where + ".content' must be a string or an array");
    for (int i = 0; i < parts.size(); i++) {
      JsonObject part = part(parts.getValue(i), where, i);
      Object type = part.getValue("type");
      if ("text".equals(type)) addText(part.getValue("text"), out);
      else if ("refusal".equals(type)) addText(part.getValue("refusal"), out);
      else throw new TranslationException("'" + where + ".content[" + i + "]' of type " + type + " is not allowed here");
    }
  }

  /** The text of text-only content joined, for tool results. */
  static String joined(Object content, String where) {
    if (content instanceof String s) return s;
    JsonArray parts = new JsonArray();
    text(content, parts, where);
    StringBuilder sb = new StringBuilder();
    for (Object p : parts) sb.append(((JsonObject) p).getString("text"));
    return sb.toString();
  }

  /** User content: text, images, files and audio. */
  static void rich(Object content, JsonArray out, String where) {
    if (content == null) return;
    if (content instanceof String s) {
      addText(s, out);
      return;
    }
    if (!(content instanceof JsonArray parts)) throw new TranslationException("'" + where + ".content' must be a string or an array");
    for (int i = 0; i < parts.size(); i++) {
      JsonObject part = part(parts.getValue(i), where, i);
      String at = where + ".content[" + i + "]";
      Object type = part.getValue("type");
      switch (type instanceof String t ? t : "") {
        case "text" -> addText(part.getValue("text"), out);
        case "image_url" -> out.add(image(part, at));
        case "file" -> out.add(file(part, at));
        case "input_audio" -> out.add(audio(part, at));
        default -> throw new TranslationException("'" + at + "' has an unsupported type: " + type);
      }
    }
  }

  private static void addText(Object text, JsonArray out) {
    if (text instanceof String s && !s.isBlank()) out.add(new JsonObject().put("text", s));
  }

  private static JsonObject image(JsonObject part, String at) {
    Object v = part.getValue("image_url");
    String url = v instanceof JsonObject o && o.getValue("url") instanceof String s ? s : v instanceof String s2 ? s2 : null;
    if (url == null || url.isEmpty()) throw new TranslationException("'" + at + ".image_url.url' is required");
    if (url.regionMatches(true, 0, "data:", 0, 5)) {
      String[] mimeAndData = dataUrl(url, at);
      return inline("image/jpg".equals(mimeAndData[0]) ? "image/jpeg" : mimeAndData[0], mimeAndData[1]);
    }
    String lower = url.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("https://") && !lower.startsWith("http://")) {
      throw new TranslationException("'" + at + "': image URLs must be http(s) or data URLs");
    }
    JsonObject fileData = new JsonObject();
    String mime = mimeFromPath(lower);
    if (mime != null) fileData.put("mimeType", mime);
    return new JsonObject().put("fileData", fileData.put("fileUri", url));
  }

  private static JsonObject file(JsonObject part, String at) {
    if (!(part.getValue("file") instanceof JsonObject file) || !(file.getValue("file_data") instanceof String data)) {
      throw new TranslationException("'" + at + "': only files sent inline as file_data are supported by this model's provider");
    }
    String[] mimeAndData = dataUrl(data, at);
    return inline(mimeAndData[0], mimeAndData[1]);
  }

  private static JsonObject audio(JsonObject part, String at) {
    if (!(part.getValue("input_audio") instanceof JsonObject audio) || !(audio.getValue("data") instanceof String data)
        || data.isEmpty()) {
      throw new TranslationException("'" + at + ".input_audio.data' is required");
    }
    String mime = switch (String.valueOf(audio.getValue("format"))) {
      case "wav" -> "audio/wav";
      case "mp3" -> "audio/mp3";
      default -> throw new TranslationException("'" + at + ".input_audio.format' must be wav or mp3");
    };
    return inline(mime, data);
  }

  private static JsonObject inline(String mime, String data) {
    return new JsonObject().put("inlineData", new JsonObject().put("mimeType", mime).put("data", data));
  }

  /** A media type guessed from the URL's file extension, when it has a telling one. */
  private static String mimeFromPath(String lowerUrl) {
    int end = lowerUrl.length();
    for (char c : new char[] {'?', '#'}) {
      int i = lowerUrl.indexOf(c);
      if (i >= 0 && i < end) end = i;
    }
    String path = lowerUrl.substring(0, end);
    if (path.endsWith(".png")) return "image/png";
    if (path.endsWith(".jpg") || path.endsWith(".jpeg")) return "image/jpeg";
    if (path.endsWith(".gif")) return "image/gif";
    if (path.endsWith(".webp")) return "image/webp";
    if (path.endsWith(".pdf")) return "application/pdf";
    return null;
  }

  /** {@code data:<mime>[;param...];base64,<payload>} as {mime, payload}. */
  static String[] dataUrl(String url, String at) {
    int comma = url.indexOf(',');
    if (!url.regionMatches(true, 0, "data:", 0, 5) || comma < 0) throw new TranslationException("'" + at + "': malformed data URL");
    String[] header = url.substring(5, comma).split(";");
    boolean base64 = false;
    for (int i = 1; i < header.length; i++) base64 |= "base64".equalsIgnoreCase(header[i].trim());
    String mime = header.length == 0 ? "" : header[0].trim().toLowerCase(Locale.ROOT);
    String payload = url.substring(comma + 1);
    if (!base64 || mime.isEmpty() || payload.isEmpty()) throw new TranslationException("'" + at + "': data URLs must be base64 with a media type");
    return new String[] {mime, payload};
  }

  private static JsonObject part(Object value, String where, int i) {
    if (!(value instanceof JsonObject p)) throw new TranslationException("'" + where + ".content[" + i + "]' must be an object");
    return p;
  }
}
