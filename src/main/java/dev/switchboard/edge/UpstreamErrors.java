package dev.switchboard.edge;

import dev.switchboard.translate.gemini.ChatToGemini;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Reads what an upstream said when it failed, bounded, and keeps only a short, plain message,
 * plus the retry delay a Gemini upstream puts in its body ({@code RetryInfo.retryDelay}).
 */
final class UpstreamErrors {

  static final int MAX_READ = 64 * 1024;
  private static final int MAX_MESSAGE = 300;

  /** The cleaned message, and the retry delay in the body in ms (-1 when none). */
  record Said(String message, long retryAfterMs) {}

  private UpstreamErrors() {}

  static Future<Said> read(HttpClientResponse response, long now) {
    return readBody(response).map(body -> {
      JsonObject json = json(body);
      return new Said(message(body, json), retryDelay(json));
    });
  }

  /** The body, at most {@link #MAX_READ} bytes of it. */
  static Future<Buffer> readBody(HttpClientResponse response) {
    Buffer body = Buffer.buffer();
    return Future.<Buffer>future(p -> {
      response.handler(chunk -> {
        if (body.length() < MAX_READ) body.appendBuffer(chunk, 0, Math.min(chunk.length(), MAX_READ - body.length()));
      });
      response.endHandler(v -> p.tryComplete(body));
      response.exceptionHandler(err -> p.tryComplete(body));
      response.resume();
    });
  }

  /** The error object of an upstream's body in any protocol's envelope, or null. */
  static JsonObject json(Buffer body) {
    try {
      String text = body.toString().strip();
      if (text.startsWith("{")) return new JsonObject(text);
      // Gemini's non-SSE stream paths wrap the error in a one-element array
      if (text.startsWith("[")) {
        JsonArray a = new JsonArray(text);
        return a.size() == 1 && a.getValue(0) instanceof JsonObject o ? o : null;
      }
      return null;
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  /** Gemini's way of saying the key is wrong: a 400 whose details carry {@code API_KEY_INVALID}. */
  static boolean isInvalidKey(Buffer body) {
    JsonObject json = json(body);
    if (json == null || !(json.getValue("error") instanceof JsonObject err) || !(err.getValue("details") instanceof JsonArray details)) {
      return false;
    }
    for (Object d : details) {
      if (d instanceof JsonObject o && "API_KEY_INVALID".equals(o.getValue("reason"))) return true;
    }
    return false;
  }

  /** The upstream's message from its body, and the body parsed by {@link #json} (null when not JSON). */
  static String message(Buffer body, JsonObject json) {
    String text;
    if (json != null) {
      Object err = json.getValue("error");
      if (err instanceof JsonObject o && o.getValue("message") != null) {
        text = String.valueOf(o.getValue("message"));
      } else if (err instanceof String s) {
        text = s;
      } else {
        text = json.getValue("message") == null ? "no message" : String.valueOf(json.getValue("message"));
      }
    } else {
      text = body.toString().strip();
      if (text.isEmpty()) text = "no message";
    }
    StringBuilder clean = new StringBuilder(Math.min(text.length(), MAX_MESSAGE));
    for (int i = 0; i < text.length() && clean.length() < MAX_MESSAGE; i++) {
      char c = text.charAt(i);
      clean.append(Character.isISOControl(c) ? ' ' : c);
    }
    return clean.toString();
  }

  /** Gemini's {@code RetryInfo.retryDelay} in the body, in ms, or -1. */
  static long retryDelay(JsonObject json) {
    long seconds = json == null ? -1 : ChatToGemini.retryAfterSeconds(json);
    return seconds < 0 ? -1 : seconds * 1000;
  }
}
