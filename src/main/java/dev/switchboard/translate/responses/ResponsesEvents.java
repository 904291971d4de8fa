package dev.switchboard.translate.responses;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Writes Responses stream events as the API sends them ({@code openai-responses.md} §5): an
 * {@code event:} line naming the type and a {@code data:} object that repeats it, with a
 * {@code sequence_number} that increases by one across the whole stream. One per stream.
 */
final class ResponsesEvents {

  private int sequence;

  /** The event {@code type} with {@code fields} after the type and the sequence number. */
  Buffer event(String type, JsonObject fields) {
    JsonObject data = new JsonObject().put("type", type).put("sequence_number", sequence++);
    data.getMap().putAll(fields.getMap());
    return Buffer.buffer(type.length() + 64).appendString("event: ").appendString(type)
        .appendString("\ndata: ").appendString(data.encode()).appendString("\n\n");
  }

  /** {@code item_id} and {@code output_index}, the address of most item events. */
  static JsonObject at(String itemId, int outputIndex) {
    return new JsonObject().put("item_id", itemId).put("output_index", outputIndex);
  }
}
