package dev.switchboard.edge;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.json.JsonObject;

/** Reads what an upstream said when it failed, bounded, and keeps only a short, plain message. */
final class UpstreamErrors {

  private static final int MAX_READ = 64 * 1024;
  private static final int MAX_MESSAGE = 300;

  private UpstreamErrors() {}

  static Future<String> read(HttpClientResponse response) {
    Buffer body = Buffer.buffer();
    return Future.<String>future(p -> {
      response.handler(chunk -> {
        if (body.length() < MAX_READ) body.appendBuffer(chunk, 0, Math.min(chunk.length(), MAX_READ - body.length()));
      });
      response.endHandler(v -> p.tryComplete(message(body)));
      response.exceptionHandler(err -> p.tryComplete(message(body)));
      response.resume();
    });
  }

  static String message(Buffer body) {
    String text;
    try {
      JsonObject json = new JsonObject(body);
      Object err = json.getValue("error");
      if (err instanceof JsonObject o && o.getValue("message") != null) {
        text = String.valueOf(o.getValue("message"));
      } else if (err instanceof String s) {
        text = s;
      } else {
        text = json.getValue("message") == null ? "no message" : String.valueOf(json.getValue("message"));
      }
    } catch (RuntimeException notJson) {
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
}
