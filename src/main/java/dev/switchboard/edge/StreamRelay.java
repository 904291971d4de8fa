package dev.switchboard.edge;

import dev.switchboard.metrics.GatewayMetrics;
import dev.switchboard.sse.SseEventTooLargeException;
import dev.switchboard.sse.SseRelay;
import dev.switchboard.translate.openai.ChatStreamTap;
import dev.switchboard.upstream.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.StreamResetException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays one SSE answer through a {@code Pipe}: backpressure from the client reaches the
 * upstream, bytes are slices of the upstream's buffers, and the tap reads usage on the way.
 * If the client leaves, the upstream request is reset at once; if the upstream fails after the
 * head was sent, the client gets an error event and a clean end.
 */
final class StreamRelay {

  interface Finisher {
    void finish(Call call, int status, String errorClass);
  }

  private static final Logger log = LoggerFactory.getLogger(StreamRelay.class);
  private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream; charset=utf-8");
  private static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");
  private static final CharSequence X_ACCEL = HttpHeaders.createOptimized("X-Accel-Buffering");
  private static final CharSequence NO = HttpHeaders.createOptimized("no");

  private final Call call;
  private final UpstreamClient.Exchange exchange;
  private final HttpServerResponse resp;
  private final ChatStreamTap tap;
  private final SseRelay relay;
  private final GatewayMetrics metrics;
  private final Finisher finisher;

  StreamRelay(Call call, UpstreamClient.Exchange exchange, HttpServerResponse resp, boolean clientWantsUsage,
      int maxEventBytes, GatewayMetrics metrics, Finisher finisher) {
    this.call = call;
    this.exchange = exchange;
    this.resp = resp;
    this.metrics = metrics;
    this.finisher = finisher;
    this.tap = new ChatStreamTap(clientWantsUsage);
    this.relay = new SseRelay(exchange.response(), event -> {
      if (call.firstTokenNanos == 0) {
        call.firstTokenNanos = System.nanoTime();
        metrics.timeToFirstToken(call.model, call.firstTokenNanos - call.startNanos);
      }
      exchange.watchdog().touch();
      call.bytesOut += event.length();
      return tap.onEvent(event);
    }, !clientWantsUsage, maxEventBytes);
  }

  Future<Void> run() {
    resp.setStatusCode(200)
        .setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, EVENT_STREAM)
        .putHeader(HttpHeaders.CACHE_CONTROL, NO_CACHE)
        .putHeader(X_ACCEL, NO);
    metrics.streamStarted();
    resp.closeHandler(v -> clientClosed());
    return relay.pipe()
        .endOnSuccess(false)
        .endOnFailure(false)
        .to(resp)
        .transform(ar -> {
          if (call.finished) {
            return Future.succeededFuture();
          }
          call.usage = tap.usage();
          if (resp.closed()) {
            // The pipe failed because the client left (writing to it, or our reset): the client's doing.
            clientClosed();
            return Future.succeededFuture();
          }
          if (ar.succeeded() && tap.done()) {
            return resp.end().onComplete(x -> done(200, null));
          }
          if (ar.succeeded() && tap.error() != null) {
            return resp.end().onComplete(x -> done(502, "upstream_stream_error"));
          }
          String reason = ar.succeeded() ? "upstream_eof" : exchange.watchdog().fired() ? "upstream_idle_timeout" : reason(ar.cause());
          exchange.request().reset();
          metrics.truncated(reason);
          log.info("{} stream from channel {} ended early: {}", call.requestId, call.lease.channelName(), reason);
          GatewayError e = new GatewayError(502, "upstream_error", reason, message(reason));
          Buffer event = OpenAiErrors.sseEvent(e);
          return resp.end(event).transform(x -> {
            done(502, reason);
            return Future.<Void>succeededFuture();
          });
        });
  }

  private void clientClosed() {
    if (!call.finished) {
      call.usage = tap.usage();
      metrics.truncated("client_closed");
      done(499, "client_closed");
      // After done(): the reset fails the pipe at once, and that failure must find the call finished.
      exchange.request().reset();
    }
  }

  private void done(int status, String errorClass) {
    metrics.streamEnded();
    finisher.finish(call, status, errorClass);
  }

  private static String reason(Throwable cause) {
    if (cause instanceof SseEventTooLargeException) return "event_too_large";
    if (cause instanceof StreamResetException) return "upstream_reset";
    String name = cause.getClass().getSimpleName();
    if (name.contains("Timeout")) return "upstream_idle_timeout";
    return "upstream_connection_lost";
  }

  private static String message(String reason) {
    return switch (reason) {
      case "event_too_large" -> "The upstream sent an event larger than the gateway accepts; the stream was stopped.";
      case "upstream_idle_timeout" -> "The upstream stopped sending for too long; the stream was stopped.";
      case "upstream_eof" -> "The upstream closed the stream before it finished.";
      default -> "The upstream connection was lost in the middle of the stream.";
    };
  }
}
