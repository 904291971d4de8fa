package dev.switchboard.edge;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Writes failures in OpenAI's error envelope: {@code {"error":{"message","type","param","code"}}}. */
public final class OpenAiErrors {

  private OpenAiErrors() {}

  public static JsonObject envelope(GatewayError e) {
    return new JsonObject().put("error", new JsonObject()
        .put("message", e.getMessage())
        .put("type", e.type())
        .putNull("param")
        .put("code", e.code()));
  }

  /** Sends the error as the whole response; a response already under way is left alone. */
  public static void send(HttpServerResponse resp, GatewayError e) {
    ErrorResponses.send(resp, e.status(), e.retryAfterMs(), envelope(e).toBuffer());
  }

  /** OpenAI's clients know no 529: Anthropic's overload reaches them as 503. */
  static int clientStatus(int upstreamStatus) {
    return upstreamStatus == 529 ? 503 : upstreamStatus;
  }

  /** The same envelope as an SSE event, for a stream that fails after its head was sent. */
  public static Buffer sseEvent(GatewayError e) {
    return Buffer.buffer("data: ").appendBuffer(envelope(e).toBuffer()).appendString("\n\n");
  }
}
