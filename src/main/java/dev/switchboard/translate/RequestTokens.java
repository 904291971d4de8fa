package dev.switchboard.translate;

import dev.switchboard.stats.TokenEstimator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * An estimate of a request's input tokens when no upstream can count them: the text of every
 * message, system prompt, tool definition and tool call, with {@link TokenEstimator}'s
 * tokenizer for the model, plus a few tokens of framing per message and a flat cost per image.
 * Vendors' tokenizers differ, so this is an estimate and is only ever reported as one. CPU
 * work: run it on a worker.
 */
public final class RequestTokens {

  /** Framing tokens per message, as OpenAI counts them for chat. */
  static final int PER_MESSAGE = 4;
  /** A medium image; vendors charge between a few hundred and ~1,600 tokens. */
  static final int PER_IMAGE = 1_000;

  private static final Set<String> TEXT_KEYS = Set.of("text", "content", "system", "instructions", "input", "arguments",
      "name", "description", "thinking", "prompt");
  private static final Set<String> STRUCTURE_KEYS = Set.of("parameters", "input_schema", "inputSchema", "properties",
      "functionCall", "functionResponse", "args", "response", "schema");
  private static final Set<String> IMAGE_TYPES = Set.of("image", "image_url", "input_image", "inlineData", "fileData");

  private RequestTokens() {}

  /** The estimated input tokens of a request body in any of the protocols, for {@code model}. */
  public static long estimate(String model, JsonObject request) {
    return walk(model, request, 0);
  }

  private static long walk(String model, Object value, int depth) {
    if (depth > 64) return 0;
    long total = 0;
    if (value instanceof JsonObject o) {
      if (o.getValue("role") != null) total += PER_MESSAGE;
      if (o.getValue("type") instanceof String t && IMAGE_TYPES.contains(t)) total += PER_IMAGE;
      for (String key : o.fieldNames()) {
        Object v = o.getValue(key);
        if (IMAGE_TYPES.contains(key) && !(v instanceof String)) {
          total += PER_IMAGE;
        } else if (v instanceof String s && TEXT_KEYS.contains(key)) {
          total += TokenEstimator.count(model, s);
        } else if (STRUCTURE_KEYS.contains(key) && (v instanceof JsonObject || v instanceof JsonArray)) {
          total += TokenEstimator.count(model, v.toString());
        } else if (v instanceof JsonObject || v instanceof JsonArray) {
          total += walk(model, v, depth + 1);
        }
      }
    } else if (value instanceof JsonArray a) {
      for (Object v : a) {
        total += v instanceof String s ? TokenEstimator.count(model, s) : walk(model, v, depth + 1);
      }
    }
    return total;
  }
}
