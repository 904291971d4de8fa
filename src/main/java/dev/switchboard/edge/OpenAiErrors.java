package dev.switchboard.edge;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Writes failures in OpenAI's error envelope: {@code {"error":{"message","type","param","code"}}}. */
public final class OpenAiErrors {

  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  private static final CharSequence RETRY_AFTER = HttpHeaders.createOptimized("retry-after");

  private OpenAiErrors() {}

  public static JsonObject envelope(GatewayError e) {
    return new JsonObject().put("error", new JsonObject()
        .put("message", e.getMessage())
        .put("type", e.type())
        .putNull("param")
        .put("code", e.code()));
  }

  /** Sends the error as the whole response; a response already under way is left alone. */
  public static Future<Void> send(HttpServerResponse resp, GatewayError e) {
    if (resp.headWritten() || resp.ended() || resp.closed()) {
      return Future.succeededFuture();
    }
    resp.setStatusCode(e.status()).putHeader(HttpHeaders.CONTENT_TYPE, JSON);
    if (e.retryAfterMs() >= 0) {
      long ms = e.retryAfterMs();
      resp.putHeader(RETRY_AFTER, Long.toString(Math.max(1, ms / 1000 + (ms % 1000 == 0 ? 0 : 1))));
    }
    return resp.end(envelope(e).toBuffer());
  }

  /** The same envelope as an SSE event, for a stream that fails after its head was sent. */
  public static Buffer sseEvent(GatewayError e) {
    return Buffer.buffer("data: ").appendBuffer(envelope(e).toBuffer()).appendString("\n\n");
  }
}
