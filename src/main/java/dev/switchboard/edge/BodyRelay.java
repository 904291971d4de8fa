package dev.switchboard.edge;

import com.fasterxml.jackson.core.JsonToken;
import dev.switchboard.json.MalformedJsonException;
import dev.switchboard.json.TopLevelJson;
import dev.switchboard.pricing.Cost;
import dev.switchboard.translate.Protocol;
import dev.switchboard.translate.Translation;
import dev.switchboard.translate.TranslationException;
import dev.switchboard.translate.tap.Usages;
import dev.switchboard.upstream.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.IntUnaryOperator;

/**
 * Whole (non-streamed) upstream answers: relayed as they are, with usage read on the way
 * without re-encoding the body, or translated into the client's protocol (errors included).
 */
final class BodyRelay {

  private static final Set<String> USAGE = Set.of("usage", "usageMetadata");

  private BodyRelay() {}

  /** What an answer cost, for the {@code x-switchboard-cost} header; null when unknown. */
  interface CostOf {
    String of(Call call);
  }

  /** @param prefetched the body when it was read already, else null */
  static Future<Void> relay(Call call, UpstreamClient.Exchange exchange, Buffer prefetched, HttpServerResponse resp,
      Protocol protocol, CostOf cost) {
    HttpClientResponse up = exchange.response();
    return read(exchange, prefetched, resp).compose(body -> {
      if (up.statusCode() < 300) {
        readUsage(call, body, protocol);
        costHeader(resp, cost.of(call));
      }
      call.firstTokenNanos = System.nanoTime();
      call.bytesOut = body.length();
      resp.setStatusCode(up.statusCode());
      String type = up.getHeader(HttpHeaders.CONTENT_TYPE);
      resp.putHeader(HttpHeaders.CONTENT_TYPE, type == null ? "application/json" : type);
      return resp.end(body);
    });
  }

  /**
   * Reads the whole answer and writes its translation; completes with the status the client got.
   * An answer that is not the JSON its protocol promises is the upstream's failure: 502.
   */
  static Future<Integer> translate(Call call, UpstreamClient.Exchange exchange, Buffer prefetched,
      HttpServerResponse resp, Protocol protocol, Translation translation, IntUnaryOperator clientStatus, CostOf cost) {
    int upstreamStatus = exchange.response().statusCode();
    return read(exchange, prefetched, resp).compose(body -> {
      call.firstTokenNanos = System.nanoTime();
      int status;
      JsonObject out;
      try {
        if (upstreamStatus < 300) {
          // an answer is decoded from its bytes as they are; only error bodies get the lenient reading
          JsonObject json = new JsonObject(body);
          call.usage = Usages.of(protocol, json);
          out = translation.response(json, call.model, call.clientJson);
          status = 200;
          costHeader(resp, cost.of(call));
        } else {
          JsonObject json = UpstreamErrors.json(body);
          out = translation.error(upstreamStatus, json == null ? new JsonObject() : json);
          status = clientStatus.applyAsInt(upstreamStatus);
        }
      } catch (TranslationException | DecodeException | ClassCastException | IllegalArgumentException e) {
        return Future.failedFuture(new GatewayError(502, "upstream_error", "upstream_bad_answer",
            "The upstream's answer could not be read."));
      }
      Buffer encoded = out.toBuffer();
      call.bytesOut = encoded.length();
      return resp.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(encoded).map(status);
    });
  }

  private static void costHeader(HttpServerResponse resp, String cost) {
    if (cost != null) resp.putHeader(Cost.HEADER, cost);
  }

  private static Future<Buffer> read(UpstreamClient.Exchange exchange, Buffer prefetched, HttpServerResponse resp) {
    if (prefetched != null) return Future.succeededFuture(prefetched);
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
    return done.future().recover(err -> Future.failedFuture(resp.closed() ? err : lost(exchange.watchdog().fired(), err)));
  }

  /** The upstream's body broke off; nothing has reached the client yet, so it gets a 502. */
  private static GatewayError lost(boolean idle, Throwable err) {
    return idle || err instanceof TimeoutException
        ? new GatewayError(502, "upstream_error", "upstream_idle_timeout", "The upstream stopped sending its answer for too long.")
        : new GatewayError(502, "upstream_error", "upstream_connection_lost", "The upstream connection was lost before its answer was complete.");
  }

  private static void readUsage(Call call, Buffer body, Protocol protocol) {
    try {
      TopLevelJson.Scan scan = TopLevelJson.scan(body, USAGE);
      String name = protocol == Protocol.GEMINI ? "usageMetadata" : "usage";
      TopLevelJson.Field usage = scan.get(name);
      if (usage != null && usage.token() == JsonToken.START_OBJECT) {
        JsonObject only = new JsonObject().put(name, new JsonObject(body.slice(usage.start(), usage.end())));
        call.usage = Usages.of(protocol, only);
      }
    } catch (MalformedJsonException | RuntimeException e) {
      // an upstream that sends something other than JSON still gets relayed; usage stays unknown
    }
  }
}
