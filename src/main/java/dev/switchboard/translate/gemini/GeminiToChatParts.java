package dev.switchboard.translate.gemini;

import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * Gemini user parts as Chat content parts ({@code translation-matrix.md} §4.1): inline images as
 * data URLs, PDFs as files, wav/mp3 as input audio; {@code fileData} only when it is an image at
 * an http(s) URL, since a Chat upstream cannot read Gemini's Files API.
 */
final class GeminiToChatParts {

  private GeminiToChatParts() {}

  static void user(JsonObject part, JsonArray out) {
    if (part.getValue("text") instanceof String t) {
      if (!t.isEmpty() && !Boolean.TRUE.equals(part.getValue("thought"))) out.add(new JsonObject().put("type", "text").put("text", t));
    } else if (GeminiJson.field(part, "inlineData", "inline_data") instanceof JsonObject inline) {
      out.add(inline(inline));
    } else if (GeminiJson.field(part, "fileData", "file_data") instanceof JsonObject file) {
      out.add(file(file));
    } else if (part.containsKey("executableCode") || part.containsKey("codeExecutionResult") || isEmptyMarker(part)) {
      // server-side code execution has no Chat form; a part holding only a signature is Gemini's own
    } else {
      throw new TranslationException("a user part of this kind is not supported by this upstream: " + part.fieldNames());
    }
  }

  private static boolean isEmptyMarker(JsonObject part) {
    for (String key : part.fieldNames()) {
      if (!key.equals("thoughtSignature") && !key.equals("thought_signature") && !key.equals("thought")) return false;
    }
    return true;
  }

  private static JsonObject inline(JsonObject inline) {
    Object m = GeminiJson.field(inline, "mimeType", "mime_type");
    if (!(m instanceof String mimeType) || !(inline.getValue("data") instanceof String data) || data.isEmpty()) {
      throw new TranslationException("inlineData needs a 'mimeType' and 'data'");
    }
    String mime = mimeType.toLowerCase(Locale.ROOT);
    String url = "data:" + mime + ";base64," + data;
    if (mime.startsWith("image/")) return image(url);
    if (mime.equals("application/pdf")) {
      return new JsonObject().put("type", "file").put("file", new JsonObject().put("filename", "document.pdf").put("file_data", url));
    }
    String format = switch (mime) {
      case "audio/wav", "audio/x-wav", "audio/wave" -> "wav";
      case "audio/mp3", "audio/mpeg" -> "mp3";
      default -> throw new TranslationException("inlineData of type " + mime + " is not supported by this upstream");
    };
    return new JsonObject().put("type", "input_audio").put("input_audio", new JsonObject().put("data", data).put("format", format));
  }

  private static JsonObject file(JsonObject file) {
    Object m = GeminiJson.field(file, "mimeType", "mime_type");
    Object u = GeminiJson.field(file, "fileUri", "file_uri");
    String uri = u instanceof String s ? s : "";
    String lower = uri.toLowerCase(Locale.ROOT);
    boolean web = lower.startsWith("https://") || lower.startsWith("http://");
    // Gemini Files API URIs are only readable with the Gemini key: no Chat upstream can fetch them
    if (web && !lower.contains("generativelanguage.googleapis.com") && (m == null || (m instanceof String s && s.startsWith("image/")))) {
      return image(uri);
    }
    throw new TranslationException("fileData parts are not supported by this upstream; send the file inline");
  }

  private static JsonObject image(String url) {
    return new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", url));
  }
}
