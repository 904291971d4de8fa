package dev.switchboard.translate.gemini;

import io.vertx.core.json.JsonObject;

/** Gemini's request parser is proto-JSON: it takes lowerCamelCase and snake_case alike, so the gateway reads both. */
final class GeminiJson {

  private GeminiJson() {}

  /** The value under the camelCase name, else under the snake_case one, else null. */
  static Object field(JsonObject o, String camel, String snake) {
    Object v = o.getValue(camel);
    return v != null ? v : o.getValue(snake);
  }
}
