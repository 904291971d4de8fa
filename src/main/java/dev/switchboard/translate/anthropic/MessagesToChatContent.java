package dev.switchboard.translate.anthropic;

import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Anthropic content blocks as OpenAI Chat user content parts. */
final class MessagesToChatContent {

  private MessagesToChatContent() {}

  /** A content value (string, block array or null) as a list of blocks; a string is one text block. */
  static List<JsonObject> blocks(Object content) {
    List<JsonObject> blocks = new ArrayList<>();
    if (content == null) return blocks;
    if (content instanceof String s) {
      blocks.add(new JsonObject().put("type", "text").put("text", s));
      return blocks;
    }
    if (!(content instanceof JsonArray array)) {
      throw new TranslationException("'content' must be a string or an array of blocks");
    }
    for (Object b : array) {
      if (!(b instanceof JsonObject block) || !(block.getValue("type") instanceof String)) {
        throw new TranslationException("each content block needs a 'type'");
      }
      blocks.add(block);
    }
    return blocks;
  }

  static String text(JsonObject block) {
    return block.getValue("text") instanceof String s ? s : "";
  }

  /** The text blocks joined with {@code separator}, empty ones skipped; other blocks ignored. */
  static String joinText(List<JsonObject> blocks, String separator) {
    StringBuilder joined = new StringBuilder();
    for (JsonObject block : blocks) {
      String text = "text".equals(block.getValue("type")) ? text(block) : "";
      if (text.isEmpty()) continue;
      if (joined.length() > 0) joined.append(separator);
      joined.append(text);
    }
    return joined.toString();
  }

  /** Server-tool blocks (web search and the like) have no Chat form; history drops them. */
  static boolean isServerToolBlock(String type) {
    return type.equals("server_tool_use") || type.endsWith("_tool_result");
  }

  /** Appends the Chat part(s) for one user block; {@code cache_control} and citations are dropped. */
  static void userPart(JsonObject block, JsonArray parts) {
    String type = block.getString("type");
    switch (type) {
      case "text" -> {
        String text = text(block);
        if (!text.isEmpty()) parts.add(new JsonObject().put("type", "text").put("text", text));
      }
      case "image" -> parts.add(new JsonObject().put("type", "image_url")
          .put("image_url", new JsonObject().put("url", imageUrl(source(block)))));
      case "document" -> document(block, parts);
      case "thinking", "redacted_thinking" -> { }
      default -> {
        if (!isServerToolBlock(type)) {
          throw new TranslationException("content block type '" + type + "' is not supported by this upstream");
        }
      }
    }
  }

  private static JsonObject source(JsonObject block) {
    if (block.getValue("source") instanceof JsonObject source) return source;
    throw new TranslationException(block.getString("type") + " block needs a 'source'");
  }

  private static String imageUrl(JsonObject source) {
    String kind = String.valueOf(source.getValue("type"));
    if (kind.equals("base64")) return dataUrl(source);
    if (kind.equals("url") && source.getValue("url") instanceof String url && !url.isEmpty()) return url;
    throw new TranslationException("image source type '" + kind + "' is not supported by this upstream");
  }

  private static String dataUrl(JsonObject source) {
    if (!(source.getValue("media_type") instanceof String media) || !(source.getValue("data") instanceof String data)) {
      throw new TranslationException("base64 source needs 'media_type' and 'data'");
    }
    return "data:" + media + ";base64," + data;
  }

  private static void document(JsonObject block, JsonArray parts) {
    JsonObject source = source(block);
    String kind = String.valueOf(source.getValue("type"));
    switch (kind) {
      case "base64" -> {
        // OpenAI wants a file name beside inline file data; Anthropic's base64 documents are PDFs
        String name = block.getValue("title") instanceof String t && !t.isBlank() ? t : "document.pdf";
        JsonObject file = new JsonObject().put("filename", name).put("file_data", dataUrl(source));
        parts.add(new JsonObject().put("type", "file").put("file", file));
      }
      case "text" -> {
        if (source.getValue("data") instanceof String data && !data.isEmpty()) {
          parts.add(new JsonObject().put("type", "text").put("text", data));
        }
      }
      case "content" -> {
        for (JsonObject inner : blocks(source.getValue("content"))) userPart(inner, parts);
      }
      default -> throw new TranslationException("document source type '" + kind + "' is not supported by this upstream");
    }
  }
}
