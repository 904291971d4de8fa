package dev.switchboard.edge;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/** Writes an error body with its status and retry-after, unless the response is already under way. */
final class ErrorResponses {

  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  private static final CharSequence RETRY_AFTER = HttpHeaders.createOptimized("retry-after");

  private ErrorResponses() {}

  static void send(HttpServerResponse resp, int status, long retryAfterMs, Buffer body) {
    if (resp.headWritten() || resp.ended() || resp.closed()) {
      return;
    }
    resp.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON);
    if (retryAfterMs >= 0) {
      resp.putHeader(RETRY_AFTER, Long.toString(Math.max(1, retryAfterMs / 1000 + (retryAfterMs % 1000 == 0 ? 0 : 1))));
    }
    resp.end(body);
  }
}
