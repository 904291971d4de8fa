package dev.switchboard.translate;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * An estimate of a request's input tokens when no upstream can count them: the text of every
 * message, system prompt, tool definition and tool call, in the o200k encoding, plus a few
 * tokens of framing per message and a flat cost per image. Vendors' tokenizers differ, so this
 * is an estimate and is only ever reported as one.
 */
public final class TokenEstimator {

  /** Framing tokens per message, as OpenAI counts them for chat. */
  static final int PER_MESSAGE = 4;
  /** A medium image; vendors charge between a few hundred and ~1,600 tokens. */
  static final int PER_IMAGE = 1_000;

  private static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  private static final Set<String> TEXT_KEYS = Set.of("text", "content", "system", "instructions", "input", "arguments",
      "name", "description", "thinking", "prompt");
  private static final Set<String> STRUCTURE_KEYS = Set.of("parameters", "input_schema", "inputSchema", "properties",
      "functionCall", "functionResponse", "args", "response", "schema");
  private static final Set<String> IMAGE_TYPES = Set.of("image", "image_url", "input_image", "inlineData", "fileData");

  private TokenEstimator() {}

  /** Tokens of one text. */
  public static int count(String text) {
    return text == null || text.isEmpty() ? 0 : ENCODING.countTokensOrdinary(text);
  }

  /** The estimated input tokens of a request body in any of the protocols. */
  public static long estimate(JsonObject request) {
    return walk(request, 0);
  }

  private static long walk(Object value, int depth) {
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
          total += count(s);
        } else if (STRUCTURE_KEYS.contains(key) && (v instanceof JsonObject || v instanceof JsonArray)) {
          total += count(v.toString());
        } else if (v instanceof JsonObject || v instanceof JsonArray) {
          total += walk(v, depth + 1);
        }
      }
    } else if (value instanceof JsonArray a) {
      for (Object v : a) {
        total += v instanceof String s ? count(s) : walk(v, depth + 1);
      }
    }
    return total;
  }
}
