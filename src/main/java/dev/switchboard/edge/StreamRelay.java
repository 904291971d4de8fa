package dev.switchboard.edge;

import dev.switchboard.metrics.GatewayMetrics;
import dev.switchboard.sse.SseEventTooLargeException;
import dev.switchboard.upstream.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.StreamResetException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays one streamed answer through a {@code Pipe}: backpressure from the client reaches the
 * upstream, and the {@link StreamBody} decides what the client sees (the upstream's bytes, or
 * their translation). If the client leaves, the upstream request is reset at once; if the
 * upstream fails after the head was sent, the client gets its protocol's error event and a
 * clean end.
 */
final class StreamRelay {

  interface Finisher {
    void finish(Call call, int status, String errorClass);
  }

  private static final Logger log = LoggerFactory.getLogger(StreamRelay.class);
  private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream; charset=utf-8");
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json; charset=utf-8");
  private static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");
  private static final CharSequence X_ACCEL = HttpHeaders.createOptimized("X-Accel-Buffering");
  private static final CharSequence NO = HttpHeaders.createOptimized("no");

  private final Vertx vertx;
  private final Call call;
  private final UpstreamClient.Exchange exchange;
  private final HttpServerResponse resp;
  private final GatewayMetrics metrics;
  private final Finisher finisher;
  private final boolean jsonArray;
  private final Buffer keepAlive;
  private final long keepAliveMs;
  private StreamBody body;
  private long lastEventNanos = System.nanoTime();
  private long keepAliveTimer = -1;

  /**
   * @param keepAlive what to write after {@code keepAliveMs} of upstream silence (0: never)
   */
  StreamRelay(Vertx vertx, Call call, UpstreamClient.Exchange exchange, HttpServerResponse resp, boolean jsonArray,
      Buffer keepAlive, long keepAliveMs, GatewayMetrics metrics, Finisher finisher) {
    this.vertx = vertx;
    this.call = call;
    this.keepAlive = keepAlive;
    this.keepAliveMs = keepAliveMs;
    this.exchange = exchange;
    this.resp = resp;
    this.jsonArray = jsonArray;
    this.metrics = metrics;
    this.finisher = finisher;
  }

  /** Called by the stream body for every upstream event. */
  void onUpstreamEvent(int clientBytes) {
    call.bytesOut += clientBytes;
    call.upstreamEvents++;
    long now = System.nanoTime();  // once per event: the clock is read for three purposes
    lastEventNanos = now;
    if (call.firstTokenNanos == 0) {
      call.firstTokenNanos = now;
      metrics.timeToFirstToken(call.model, now - call.startNanos);
    }
    exchange.watchdog().touch(now);
  }

  Future<Void> run(StreamBody streamBody) {
    this.body = streamBody;
    resp.setStatusCode(200)
        .setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, jsonArray ? JSON : EVENT_STREAM)
        .putHeader(HttpHeaders.CACHE_CONTROL, NO_CACHE)
        .putHeader(X_ACCEL, NO);
    metrics.streamStarted();
    resp.closeHandler(v -> clientClosed());
    if (keepAliveMs > 0 && !jsonArray) {
      keepAliveTimer = vertx.setPeriodic(keepAliveMs, keepAliveMs, id -> keepAlive());
    }
    return body.source().pipe()
        .endOnSuccess(false)
        .endOnFailure(false)
        .to(new ClientSink(resp))
        .transform(ar -> {
          if (call.finished) {
            return Future.succeededFuture();
          }
          call.usage = body.usage();
          if (resp.closed()) {
            // The pipe failed because the client left (writing to it, or our reset): the client's doing.
            clientClosed();
            return Future.succeededFuture();
          }
          if (ar.succeeded() && (body.done() || body.error() != null)) {
            int status = body.done() && body.error() == null ? 200 : 502;
            return resp.end(count(body.end())).onComplete(x -> done(status, status == 200 ? null : "upstream_stream_error"));
          }
          String reason = ar.succeeded() ? "upstream_eof" : exchange.watchdog().fired() ? "upstream_idle_timeout" : reason(ar.cause());
          exchange.request().reset();
          metrics.truncated(reason);
          log.info("{} stream from channel {} ended early: {}", call.requestId, call.lease.channelName(), reason);
          GatewayError e = new GatewayError(502, "upstream_error", reason, message(reason));
          return resp.end(count(body.cut(ar.succeeded(), e))).transform(x -> {
            call.usage = body.usage();
            done(502, reason);
            return Future.<Void>succeededFuture();
          });
        });
  }

  /** A keep-alive between two events, when the upstream has said nothing for a while and the client keeps up. */
  private void keepAlive() {
    // nothing after the answer's own end: the upstream is only closing the connection
    if (call.finished || resp.ended() || resp.closed()) return;
    boolean silent = System.nanoTime() - lastEventNanos >= keepAliveMs * 1_000_000 - 1_000_000;
    if (silent && body.mayKeepAlive() && !resp.writeQueueFull()) {
      resp.write(keepAlive);
      call.bytesOut += keepAlive.length();
      metrics.keepAlive();
    }
  }

  private Buffer count(Buffer tail) {
    call.bytesOut += tail.length();
    return tail;
  }

  private void clientClosed() {
    if (!call.finished) {
      call.usage = body.usage();
      metrics.truncated("client_closed");
      done(499, "client_closed");
      // After done(): the pipe fails at once, and that failure must find the call finished.
      // Chunks already drained from the upstream reach nobody, then the upstream is reset.
      body.source().abandon(Failures.clientClosed());
      exchange.request().reset();
    }
  }

  private void done(int status, String errorClass) {
    if (keepAliveTimer >= 0) vertx.cancelTimer(keepAliveTimer);
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
