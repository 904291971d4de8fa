package dev.switchboard.edge;

import com.fasterxml.jackson.core.JsonToken;
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
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;
import java.util.function.IntUnaryOperator;

/**
 * Whole (non-streamed) upstream answers: relayed as they are, with usage read on the way
 * without re-encoding the body, or translated into the client's protocol (errors included).
 */
final class BodyRelay {

  private static final byte[] USAGE = "usage".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] USAGE_METADATA = "usageMetadata".getBytes(StandardCharsets.US_ASCII);

  private BodyRelay() {}

  /** What an answer cost as the client is shown it (header and usage object); null when not shown. */
  interface CostOf {
    String of(Call call);
  }

  /** @param prefetched the body when it was read already, else null */
  static Future<Void> relay(Call call, UpstreamClient.Exchange exchange, Buffer prefetched, HttpServerResponse resp,
      Protocol protocol, CostOf cost) {
    HttpClientResponse up = exchange.response();
    return read(exchange, prefetched, resp).compose(fetched -> {
      Buffer body = fetched;
      if (up.statusCode() < 300) {
        TopLevelJson.Field usage = readUsage(call, body, protocol);
        if (call.usage == null) call.unmeteredAnswer = body;
        String shown = cost.of(call);
        costHeader(resp, shown);
        if (shown != null && usage != null) body = withCost(body, usage, protocol, shown);
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
      HttpServerResponse resp, Protocol protocol, Protocol clientProtocol, Translation translation,
      IntUnaryOperator clientStatus, CostOf cost) {
    int upstreamStatus = exchange.response().statusCode();
    return read(exchange, prefetched, resp).compose(body -> {
      call.firstTokenNanos = System.nanoTime();
      int status;
      JsonObject out;
      String shown = null;
      try {
        if (upstreamStatus < 300) {
          // an answer is decoded from its bytes as they are; only error bodies get the lenient reading
          JsonObject json = new JsonObject(body);
          call.usage = Usages.of(protocol, json);
          if (call.usage == null) call.unmeteredAnswer = body;
          out = translation.response(json, call.model, call.clientJson);
          status = 200;
          shown = cost.of(call);
          costHeader(resp, shown);
        } else {
          JsonObject json = UpstreamErrors.json(body);
          out = translation.error(upstreamStatus, json == null ? new JsonObject() : json);
          status = clientStatus.applyAsInt(upstreamStatus);
        }
      } catch (TranslationException | DecodeException | ClassCastException | IllegalArgumentException e) {
        return Future.failedFuture(new GatewayError(502, "upstream_error", "upstream_bad_answer",
            "The upstream's answer could not be read."));
      }
      Buffer encoded = CostStamp.encode(clientProtocol, out, shown);
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

  /**
   * Reads the usage object without decoding or tokenising the rest (the answer is relayed as it
   * came, so it is not validated here); returns where it is, or null.
   */
  private static TopLevelJson.Field readUsage(Call call, Buffer body, Protocol protocol) {
    try {
      String name = CostStamp.usageField(protocol);
      TopLevelJson.Field usage = TopLevelJson.locate(body, protocol == Protocol.GEMINI ? USAGE_METADATA : USAGE);
      if (usage != null && usage.token() == JsonToken.START_OBJECT) {
        JsonObject only = new JsonObject().put(name, new JsonObject(body.slice(usage.start(), usage.end())));
        call.usage = Usages.of(protocol, only);
        return usage;
      }
    } catch (RuntimeException e) {
      // a usage object that is not JSON: the answer is still relayed, its usage stays unknown
    }
    return null;
  }

  /** The body with only its usage object re-encoded, the cost in it; the rest byte for byte. */
  private static Buffer withCost(Buffer body, TopLevelJson.Field usage, Protocol protocol, String shown) {
    String name = CostStamp.usageField(protocol);
    JsonObject only = new JsonObject().put(name, new JsonObject(body.slice(usage.start(), usage.end())));
    Buffer encoded = CostStamp.encode(protocol, only, shown);
    // {"usage":{...}} → {...}
    Buffer object = encoded.slice(name.length() + 4, encoded.length() - 1);
    return Buffer.buffer(body.length() + 32).appendBuffer(body.slice(0, usage.start())).appendBuffer(object)
        .appendBuffer(body.slice(usage.end(), body.length()));
  }
}
