package dev.switchboard.admin;

import dev.switchboard.config.SwitchboardConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * The management API's own calls to upstreams (channel probes, model listings): one HTTP client,
 * made on first use, with the gateway's connect and first-byte timeouts (or 5 s and 30 s when no
 * configuration is attached).
 */
final class AdminUpstream {

  private final Vertx vertx;
  private final long connectTimeoutMs;
  private final long timeoutMs;
  private HttpClient client;

  AdminUpstream(Vertx vertx, SwitchboardConfig gateway) {
    this.vertx = vertx;
    this.connectTimeoutMs = gateway == null ? 5_000 : gateway.routing().connectTimeoutMs();
    this.timeoutMs = gateway == null ? 30_000 : gateway.routing().firstByteTimeoutMs();
  }

  /** A request to {@code url} with those timeouts; IllegalArgumentException when the URL is not one. */
  Future<HttpClientRequest> request(HttpMethod method, String url, MultiMap headers) {
    RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(url).setHeaders(headers)
        .setConnectTimeout(connectTimeoutMs).setIdleTimeout(timeoutMs);
    return client().request(options);
  }

  private synchronized HttpClient client() {
    if (client == null) {
      client = vertx.createHttpClient(new HttpClientOptions()
          .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeoutMs)).setVerifyHost(true));
    }
    return client;
  }
}
