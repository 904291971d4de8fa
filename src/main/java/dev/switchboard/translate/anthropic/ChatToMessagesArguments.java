package dev.switchboard.translate.anthropic;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * Chat tool-call {@code arguments} (a JSON string) as an Anthropic {@code input} object. A call
 * cut off mid-way (finish {@code length}) is repaired by closing what is open; anything that
 * still is not a JSON object becomes {@code {}} (pitfall P6).
 */
final class ChatToMessagesArguments {

  private ChatToMessagesArguments() {}

  static JsonObject input(String arguments) {
    if (arguments == null || arguments.isBlank()) return new JsonObject();
    JsonObject parsed = parse(arguments);
    if (parsed != null) return parsed;
    parsed = parse(repair(arguments));
    return parsed != null ? parsed : new JsonObject();
  }

  private static JsonObject parse(String text) {
    if (text == null) return null;
    try {
      return Json.decodeValue(text) instanceof JsonObject o ? o : null;
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  /** Closes an unterminated string, drops a dangling separator and closes open containers. */
  static String repair(String text) {
    StringBuilder closers = new StringBuilder();
    boolean inString = false;
    boolean escaped = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (c == '\\') escaped = true;
        else if (c == '"') inString = false;
        continue;
      }
      switch (c) {
        case '"' -> inString = true;
        case '{' -> closers.append('}');
        case '[' -> closers.append(']');
        case '}', ']' -> {
          if (closers.length() == 0 || closers.charAt(closers.length() - 1) != c) return null;
          closers.setLength(closers.length() - 1);
        }
        default -> { }
      }
    }
    StringBuilder out = new StringBuilder(text.strip());
    if (inString) {
      if (escaped) out.setLength(out.length() - 1);
      out.append('"');
    }
    trimDangling(out);
    for (int i = closers.length() - 1; i >= 0; i--) out.append(closers.charAt(i));
    return out.toString();
  }

  /** A trailing {@code ,} or {@code :} (a key without its value) cannot be completed: cut it. */
  private static void trimDangling(StringBuilder out) {
    int end = out.length();
    while (end > 0 && Character.isWhitespace(out.charAt(end - 1))) end--;
    if (end > 0 && out.charAt(end - 1) == ',') {
      out.setLength(end - 1);
    } else if (end > 0 && out.charAt(end - 1) == ':') {
      // drop `,"key":` or `{"key":` back to the comma or brace before the key
      int quote = out.lastIndexOf("\"", out.lastIndexOf("\"", end - 2) - 1);
      int cut = quote;
      while (cut > 0 && Character.isWhitespace(out.charAt(cut - 1))) cut--;
      if (cut > 0 && out.charAt(cut - 1) == ',') cut--;
      out.setLength(Math.max(cut, 0));
    } else {
      out.setLength(end);
    }
  }
}
