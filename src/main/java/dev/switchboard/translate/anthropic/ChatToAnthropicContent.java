package dev.switchboard.translate.anthropic;

import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Set;

/**
 * Chat content (a string or parts) as Anthropic content blocks. Blank text is dropped, since
 * Anthropic rejects empty text blocks (P10); data URLs are parsed strictly (P29).
 */
final class ChatToAnthropicContent {

  private static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

  private ChatToAnthropicContent() {}

  /** Text-only content (system, developer, assistant): text and refusal parts. */
  static void text(Object content, JsonArray out, String where) {
    if (content == null) return;
    if (content instanceof String s) {
      addText(s, null, out);
      return;
    }
    if (!(content instanceof JsonArray parts)) throw new TranslationException("'" + where + ".content' must be a string or an array");
    for (int i = 0; i < parts.size(); i++) {
      JsonObject part = part(parts.getValue(i), where, i);
      Object type = part.getValue("type");
      if ("text".equals(type)) addText(part.getValue("text"), part.getValue("cache_control"), out);
      else if ("refusal".equals(type)) addText(part.getValue("refusal"), null, out);
      else throw new TranslationException("'" + where + ".content[" + i + "]' of type " + type + " is not allowed here");
    }
  }

  /** User or tool content: text, images and PDF files. */
  static void rich(Object content, JsonArray out, String where) {
    if (content == null) return;
    if (content instanceof String s) {
      addText(s, null, out);
      return;
    }
    if (!(content instanceof JsonArray parts)) throw new TranslationException("'" + where + ".content' must be a string or an array");
    for (int i = 0; i < parts.size(); i++) {
      JsonObject part = part(parts.getValue(i), where, i);
      String at = where + ".content[" + i + "]";
      Object type = part.getValue("type");
      JsonObject block = switch (type instanceof String t ? t : "") {
        case "text" -> {
          addText(part.getValue("text"), part.getValue("cache_control"), out);
          yield null;
        }
        case "image_url" -> image(part, at);
        case "file" -> document(part, at);
        case "input_audio" -> throw new TranslationException("'" + at + "': audio input is not supported by this model's provider");
        default -> throw new TranslationException("'" + at + "' has an unsupported type: " + type);
      };
      if (block != null) {
        if (part.getValue("cache_control") instanceof JsonObject cc) block.put("cache_control", cc.copy());
        out.add(block);
      }
    }
  }

  /** Applies a message-level {@code cache_control} to the last block of that message. */
  static void cacheControl(Object cacheControl, JsonArray blocks, int from) {
    if (cacheControl instanceof JsonObject cc && blocks.size() > from) {
      blocks.getJsonObject(blocks.size() - 1).put("cache_control", cc.copy());
    }
  }

  private static void addText(Object text, Object cacheControl, JsonArray out) {
    if (!(text instanceof String s) || s.isBlank()) return;
    JsonObject block = new JsonObject().put("type", "text").put("text", s);
    if (cacheControl instanceof JsonObject cc) block.put("cache_control", cc.copy());
    out.add(block);
  }

  private static JsonObject image(JsonObject part, String at) {
    Object v = part.getValue("image_url");
    String url = v instanceof JsonObject o && o.getValue("url") instanceof String s ? s : v instanceof String s2 ? s2 : null;
    if (url == null || url.isEmpty()) throw new TranslationException("'" + at + ".image_url.url' is required");
    String lower = url.regionMatches(true, 0, "data:", 0, 5) ? "data:" : url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("data:")) {
      String[] mimeAndData = dataUrl(url, at);
      String mime = "image/jpg".equals(mimeAndData[0]) ? "image/jpeg" : mimeAndData[0];
      if (!IMAGE_TYPES.contains(mime)) {
        throw new TranslationException("'" + at + "': image type " + mime + " is not supported (jpeg, png, gif, webp)");
      }
      return new JsonObject().put("type", "image").put("source", base64(mime, mimeAndData[1]));
    }
    if (lower.startsWith("https://") || lower.startsWith("http://")) {
      return new JsonObject().put("type", "image").put("source", new JsonObject().put("type", "url").put("url", url));
    }
    throw new TranslationException("'" + at + "': image URLs must be http(s) or data URLs");
  }

  private static JsonObject document(JsonObject part, String at) {
    if (!(part.getValue("file") instanceof JsonObject file) || !(file.getValue("file_data") instanceof String data)) {
      throw new TranslationException("'" + at + "': only files sent inline as file_data are supported by this model's provider");
    }
    String[] mimeAndData = dataUrl(data, at);
    if (!"application/pdf".equals(mimeAndData[0])) {
      throw new TranslationException("'" + at + "': file type " + mimeAndData[0] + " is not supported (application/pdf)");
    }
    JsonObject block = new JsonObject().put("type", "document").put("source", base64("application/pdf", mimeAndData[1]));
    if (file.getValue("filename") instanceof String name && !name.isBlank()) block.put("title", name);
    return block;
  }

  /** {@code data:<mime>[;param...];base64,<payload>} as {mime, payload}. */
  static String[] dataUrl(String url, String at) {
    int comma = url.indexOf(',');
    if (!url.regionMatches(true, 0, "data:", 0, 5) || comma < 0) throw new TranslationException("'" + at + "': malformed data URL");
    String[] header = url.substring(5, comma).split(";");
    boolean base64 = false;
    for (int i = 1; i < header.length; i++) base64 |= "base64".equalsIgnoreCase(header[i].trim());
    String mime = header[0].trim().toLowerCase(Locale.ROOT);
    String payload = url.substring(comma + 1);
    if (!base64 || mime.isEmpty() || payload.isEmpty()) throw new TranslationException("'" + at + "': data URLs must be base64 with a media type");
    return new String[] {mime, payload};
  }

  private static JsonObject base64(String mime, String data) {
    return new JsonObject().put("type", "base64").put("media_type", mime).put("data", data);
  }

  private static JsonObject part(Object value, String where, int i) {
    if (!(value instanceof JsonObject p)) throw new TranslationException("'" + where + ".content[" + i + "]' must be an object");
    return p;
  }
}
