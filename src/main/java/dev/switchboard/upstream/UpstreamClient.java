package dev.switchboard.upstream;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.json.Bytes;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import java.util.List;

/**
 * Sends one attempt to an upstream over a pooled, keep-alive HTTP client (one per edge, so
 * per event loop). Connect and first-byte timeouts bound the wait for the response head; after
 * it, only an idle timeout applies, so a long stream is never cut for being long.
 */
public final class UpstreamClient {

  /**
   * The response head arrived; the body is paused until the caller decides what to do. Whoever
   * reads the body calls {@code watchdog.touch()} as data arrives.
   */
  public record Exchange(HttpClientRequest request, HttpClientResponse response, IdleWatchdog watchdog) {}

  private final HttpClientAgent client;
  private final SwitchboardConfig.Routing routing;
  private final Vertx vertx;

  public UpstreamClient(Vertx vertx, SwitchboardConfig.Routing routing) {
    this.vertx = vertx;
    this.routing = routing;
    HttpClientOptions options = new HttpClientOptions()
        .setKeepAlive(true)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, routing.connectTimeoutMs()))
        .setDecompressionSupported(false)
        .setTcpNoDelay(true)
        .setVerifyHost(true);
    if (OpenSSLEngineOptions.isAvailable()) {
      options.setSslEngineOptions(new OpenSSLEngineOptions());
    }
    this.client = vertx.httpClientBuilder()
        .with(options)
        .with(new PoolOptions().setHttp1MaxSize(4096).setMaxWaitQueueSize(-1))
        .build();
  }

  /**
   * POSTs the body to {@code url}. The returned response is paused. A connect error, a timeout
   * before the head, or a reset fails the future. When {@code cancel} completes (the client
   * left), the request is reset, whether or not its head has arrived.
   */
  public Future<Exchange> post(String url, MultiMap headers, UpstreamBody body, Future<?> cancel) {
    RequestOptions ro = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(url)
        .setHeaders(headers)
        .setConnectTimeout(routing.connectTimeoutMs())
        .setIdleTimeout(routing.firstByteTimeoutMs());
    return client.request(ro).compose(req -> {
      cancel.onComplete(x -> req.reset());
      req.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(body.length()));
      Promise<Exchange> head = Promise.promise();
      req.response().onComplete(ar -> {
        if (ar.succeeded()) {
          HttpClientResponse resp = ar.result();
          resp.pause();
          long idleMs = routing.idleTimeoutMs();
          IdleWatchdog watchdog = new IdleWatchdog(vertx, idleMs, () -> req.reset(0, new UpstreamIdleTimeoutException(idleMs)));
          resp.end().onComplete(x -> watchdog.cancel());
          head.tryComplete(new Exchange(req, resp, watchdog));
        } else {
          head.tryFail(ar.cause());
        }
      });
      writeAll(req, body.parts()).onFailure(head::tryFail);
      return head.future();
    });
  }

  /**
   * One write: each {@code write} of a request is flushed on its own, so a spliced body went out
   * as one TCP segment (and one wake-up of the upstream) per part, before the upstream could
   * start. Joined, the parts leave with the head in one flush, still without being copied.
   */
  private static Future<Void> writeAll(HttpClientRequest req, List<Buffer> parts) {
    if (parts.isEmpty()) return req.end();
    return req.end(parts.size() == 1 ? parts.get(0) : Bytes.join(parts));
  }

  public Future<Void> close() {
    return client.close();
  }

  Vertx vertx() {
    return vertx;
  }
}
