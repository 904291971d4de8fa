package dev.switchboard.edge;

import dev.switchboard.sse.ByteScan;
import dev.switchboard.translate.Protocol;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Writes an answer's cost into the usage object the client's protocol already has: OpenAI Chat,
 * Responses and Anthropic {@code usage.cost}, Gemini {@code usageMetadata.cost}, as a plain
 * decimal number in the prices' currency (like OpenRouter's {@code usage.cost}). For a stream,
 * the event that carries the answer's final usage: the Chat usage chunk, Anthropic's
 * {@code message_delta}, Responses' {@code response.completed}, Gemini's finishing chunk. A
 * cost the upstream put there itself (a router's) is replaced by the gateway's. Used only for
 * keys with {@code returnCost}, so the pass-through relay of every other key stays untouched.
 */
final class CostStamp {

  private static final byte[] USAGE = "\"usage".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FINISH = "\"finishReason\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CANDIDATES = "\"candidates\"".getBytes(StandardCharsets.US_ASCII);
  // Vert.x encodes a BigDecimal as 1E-9; the marker is swapped for the plain decimal after encoding
  private static final String MARK = "\u0001switchboard-cost\u0001";
  private static final String QUOTED_MARK = new JsonObject().put("m", MARK).encode().substring(5).replace("}", "");

  private final Protocol protocol;
  private final Supplier<String> cost;

  /** @param cost the answer's cost as a plain decimal at the time the usage event passes; null when unpriced */
  CostStamp(Protocol protocol, Supplier<String> cost) {
    this.protocol = protocol;
    this.cost = cost;
  }

  /** The name of the usage object in {@code protocol}'s answers. */
  static String usageField(Protocol protocol) {
    return protocol == Protocol.GEMINI ? "usageMetadata" : "usage";
  }

  /** {@code answer} (a whole answer) encoded with {@code display} in its usage object; as it is without one. */
  static Buffer encode(Protocol protocol, JsonObject answer, String display) {
    if (display == null || !(answer.getValue(usageField(protocol)) instanceof JsonObject usage)) return answer.toBuffer();
    return encodeWith(answer, usage, display);
  }

  /** A client event with the cost in its usage object when it is the one carrying the final usage. */
  Buffer apply(Buffer event) {
    Buffer data = ByteScan.data(event);
    if (data == null || ByteScan.indexOf(data, USAGE, 0) < 0) return event;
    if (protocol == Protocol.GEMINI && ByteScan.indexOf(data, FINISH, 0) < 0 && ByteScan.indexOf(data, CANDIDATES, 0) >= 0) {
      return event; // usageMetadata so far; the finishing chunk gets the cost
    }
    JsonObject json;
    try {
      json = new JsonObject(data);
    } catch (DecodeException | ClassCastException e) {
      return event;
    }
    JsonObject usage = finalUsage(json);
    String display = usage == null ? null : cost.get();
    if (display == null) return event;
    String name = ByteScan.eventName(event);
    Buffer out = Buffer.buffer(event.length() + 32);
    if (name != null) out.appendString("event: ").appendString(name).appendString("\n");
    return out.appendString("data: ").appendBuffer(encodeWith(json, usage, display)).appendString("\n\n");
  }

  private JsonObject finalUsage(JsonObject json) {
    return switch (protocol) {
      case OPENAI_CHAT -> json.getValue("usage") instanceof JsonObject u ? u : null;
      case ANTHROPIC_MESSAGES -> "message_delta".equals(json.getValue("type")) && json.getValue("usage") instanceof JsonObject u ? u : null;
      case OPENAI_RESPONSES -> "response.completed".equals(json.getValue("type"))
          && json.getValue("response") instanceof JsonObject r && r.getValue("usage") instanceof JsonObject u ? u : null;
      case GEMINI -> json.getValue("usageMetadata") instanceof JsonObject u && finishing(json) ? u : null;
    };
  }

  /** A Gemini chunk with a finish reason, or one with usage only. */
  private static boolean finishing(JsonObject json) {
    if (!(json.getValue("candidates") instanceof JsonArray candidates) || candidates.isEmpty()) return true;
    for (Object c : candidates) {
      if (c instanceof JsonObject o && o.getValue("finishReason") instanceof String r && !r.isEmpty()) return true;
    }
    return false;
  }

  private static Buffer encodeWith(JsonObject root, JsonObject usage, String display) {
    usage.put("cost", MARK);
    return Buffer.buffer(root.encode().replace(QUOTED_MARK, display));
  }
}
