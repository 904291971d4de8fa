package dev.switchboard.edge;

import com.fasterxml.jackson.core.JsonToken;
import dev.switchboard.json.MalformedJsonException;
import dev.switchboard.json.TopLevelJson;
import dev.switchboard.translate.openai.ChatUsage;
import dev.switchboard.upstream.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/** Relays a whole (non-streamed) upstream answer, reading its usage on the way without re-encoding it. */
final class BodyRelay {

  private static final Set<String> USAGE = Set.of("usage");

  private BodyRelay() {}

  static Future<Void> relay(Call call, UpstreamClient.Exchange exchange, HttpServerResponse resp) {
    HttpClientResponse up = exchange.response();
    Future<Buffer> whole = read(exchange);
    return whole.recover(err -> Future.failedFuture(resp.closed() ? err : lost(exchange.watchdog().fired(), err))).compose(body -> {
      if (up.statusCode() < 300) {
        readUsage(call, body);
      }
      call.firstTokenNanos = System.nanoTime();
      call.bytesOut = body.length();
      resp.setStatusCode(up.statusCode());
      String type = up.getHeader(HttpHeaders.CONTENT_TYPE);
      resp.putHeader(HttpHeaders.CONTENT_TYPE, type == null ? "application/json" : type);
      return resp.end(body);
    });
  }

  private static Future<Buffer> read(UpstreamClient.Exchange exchange) {
    HttpClientResponse up = exchange.response();
    Buffer body = Buffer.buffer();
    Promise<Buffer> done = Promise.promise();
    up.handler(chunk -> {
      exchange.watchdog().touch();
      body.appendBuffer(chunk);
    });
    up.exceptionHandler(done::tryFail);
    up.endHandler(v -> done.tryComplete(body));
    up.resume();
    return done.future();
  }

  /** The upstream's body broke off; nothing has reached the client yet, so it gets a 502. */
  private static GatewayError lost(boolean idle, Throwable err) {
    return idle || err instanceof TimeoutException
        ? new GatewayError(502, "upstream_error", "upstream_idle_timeout", "The upstream stopped sending its answer for too long.")
        : new GatewayError(502, "upstream_error", "upstream_connection_lost", "The upstream connection was lost before its answer was complete.");
  }

  private static void readUsage(Call call, Buffer body) {
    try {
      TopLevelJson.Field usage = TopLevelJson.scan(body, USAGE).get("usage");
      if (usage != null && usage.token() == JsonToken.START_OBJECT) {
        call.usage = ChatUsage.parse(new JsonObject(body.slice(usage.start(), usage.end())));
      }
    } catch (MalformedJsonException | RuntimeException e) {
      // an upstream that sends something other than JSON still gets relayed; usage stays unknown
    }
  }
}
