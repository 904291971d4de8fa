package dev.switchboard.edge;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body into memory up to a limit. A declared length over the limit is refused
 * before a byte is read; a chunked body is refused as soon as it crosses the limit.
 */
public final class BodyReader {

  private BodyReader() {}

  public static Future<Buffer> read(HttpServerRequest req, long limit) {
    String declared = req.getHeader("content-length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared.trim()) > limit) {
          return Future.failedFuture(GatewayError.tooLarge(limit));
        }
      } catch (NumberFormatException e) {
        return Future.failedFuture(GatewayError.badRequest("The Content-Length header is not a number."));
      }
    }
    Promise<Buffer> done = Promise.promise();
    int initial = declared == null ? 1024 : (int) Math.min(limit, Math.max(0, Long.parseLong(declared.trim())));
    Buffer body = Buffer.buffer(initial);
    req.handler(chunk -> {
      if (body.length() + chunk.length() > limit) {
        req.handler(null);
        done.tryFail(GatewayError.tooLarge(limit));
      } else {
        body.appendBuffer(chunk);
      }
    });
    req.endHandler(v -> done.tryComplete(body));
    req.exceptionHandler(done::tryFail);
    req.resume();
    return done.future();
  }
}
