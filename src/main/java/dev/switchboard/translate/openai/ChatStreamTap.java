package dev.switchboard.translate.openai;

import dev.switchboard.sse.ByteScan;
import dev.switchboard.stats.Usage;
import dev.switchboard.translate.StreamTap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Reads usage, the end marker and in-stream errors from an OpenAI Chat Completions stream as
 * it passes. Only events that mention a usage object or an error are parsed. Usage repeated on
 * several chunks is cumulative, so the last one counts; it is never summed. When the client did
 * not ask for usage, the usage-only chunk the gateway asked for on its behalf is withheld.
 */
public final class ChatStreamTap implements StreamTap {

  private static final byte[] USAGE = "\"usage\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ERROR = "\"error\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

  private final boolean clientWantsUsage;
  private Usage usage;
  private boolean done;
  private String error;
  private long events;

  public ChatStreamTap(boolean clientWantsUsage) {
    this.clientWantsUsage = clientWantsUsage;
  }

  @Override
  public boolean onEvent(Buffer event) {
    events++;
    Buffer data = ByteScan.data(event);
    if (data == null) return true;
    if (data.length() == DONE.length && ByteScan.indexOf(data, DONE, 0) == 0) {
      done = true;
      return true;
    }
    // an earlier "usage" may be a string value or a nested "usage":null; look at every mention
    boolean hasUsage = false;
    for (int u = ByteScan.indexOf(data, USAGE, 0); u >= 0 && !hasUsage; u = ByteScan.indexOf(data, USAGE, u + 1)) {
      hasUsage = isObjectAfterColon(data, u + USAGE.length);
    }
    boolean hasError = !hasUsage && ByteScan.indexOf(data, ERROR, 0) >= 0;
    if (!hasUsage && !hasError) return true;
    JsonObject chunk;
    try {
      chunk = new JsonObject(data);
    } catch (DecodeException e) {
      return true;
    }
    if (hasError && chunk.getValue("error") instanceof JsonObject err) {
      error = String.valueOf(err.getValue("message", "upstream error"));
      return true;
    }
    if (chunk.getValue("usage") instanceof JsonObject u2) {
      usage = ChatUsage.parse(u2);
      JsonArray choices = chunk.getJsonArray("choices");
      return clientWantsUsage || (choices != null && !choices.isEmpty());
    }
    return true;
  }

  private static boolean isObjectAfterColon(Buffer data, int from) {
    int i = ByteScan.skipSpace(data, from);
    if (i < 0 || data.getByte(i) != ':') return false;
    i = ByteScan.skipSpace(data, i + 1);
    return i >= 0 && data.getByte(i) == '{';
  }

  /** The last usage the upstream reported, or null. */
  @Override
  public Usage usage() {
    return usage;
  }

  /** Whether {@code data: [DONE]} was seen: the stream ended properly. */
  @Override
  public boolean done() {
    return done;
  }

  /** The message of an error event the upstream sent inside the stream, or null. */
  @Override
  public String error() {
    return error;
  }

  public long events() {
    return events;
  }
}
