package dev.switchboard.testing.wire;

import io.vertx.core.json.JsonObject;

/** One tool call a mock answer makes: the function name and its JSON object arguments. */
public record ToolCall(String name, String argumentsJson) {

  /** The arguments parsed, for the protocols that carry them as an object. */
  public JsonObject arguments() {
    return new JsonObject(argumentsJson);
  }

  /** The arguments text cut into up to three fragments, as streams deliver them. */
  public String[] argumentPieces() {
    int n = Math.max(1, Math.min(3, argumentsJson.length()));
    String[] pieces = new String[n];
    for (int i = 0; i < n; i++) {
      pieces[i] = argumentsJson.substring(
          i * argumentsJson.length() / n, (i + 1) * argumentsJson.length() / n);
    }
    return pieces;
  }
}
