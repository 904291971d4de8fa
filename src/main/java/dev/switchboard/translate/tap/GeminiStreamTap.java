package dev.switchboard.translate.tap;

import dev.switchboard.sse.ByteScan;
import dev.switchboard.stats.Usage;
import dev.switchboard.translate.StreamTap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Reads a Gemini {@code streamGenerateContent?alt=sse} stream as it passes. Gemini has no
 * terminal event: a complete answer is one whose last candidate carried a
 * {@code finishReason}. {@code usageMetadata} is cumulative, so the last one counts. Only
 * events that mention usage, a finish reason or an error are parsed.
 */
public final class GeminiStreamTap implements StreamTap {

  private static final byte[] USAGE = "\"usageMetadata\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FINISH = "\"finishReason\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ERROR = "\"error\"".getBytes(StandardCharsets.US_ASCII);

  private Usage usage;
  private boolean done;
  private String error;

  @Override
  public boolean onEvent(Buffer event) {
    Buffer data = ByteScan.data(event);
    if (data == null) return true;
    if (ByteScan.indexOf(data, USAGE, 0) < 0 && ByteScan.indexOf(data, FINISH, 0) < 0
        && ByteScan.indexOf(data, ERROR, 0) < 0) {
      return true;
    }
    JsonObject json;
    try {
      json = new JsonObject(data);
    } catch (DecodeException e) {
      return true;
    }
    if (json.getValue("error") instanceof JsonObject e) {
      error = String.valueOf(e.getValue("message", "upstream error"));
    }
    if (json.getValue("usageMetadata") instanceof JsonObject u) {
      usage = Usages.gemini(u);
    }
    if (json.getValue("candidates") instanceof JsonArray candidates) {
      for (Object c : candidates) {
        if (c instanceof JsonObject o && o.getValue("finishReason") instanceof String r && !r.isEmpty()) done = true;
      }
    }
    return true;
  }

  @Override
  public Usage usage() {
    return usage;
  }

  @Override
  public boolean done() {
    return done;
  }

  @Override
  public String error() {
    return error;
  }
}
