package dev.switchboard.edge;

import dev.switchboard.bus.Addresses;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.json.MalformedJsonException;
import dev.switchboard.metrics.GatewayMetrics;
import dev.switchboard.select.Lease;
import dev.switchboard.select.Outcome;
import dev.switchboard.select.PoolSnapshot;
import dev.switchboard.translate.ParseJob;
import dev.switchboard.translate.TranslatorVerticle;
import dev.switchboard.translate.openai.ChatCompletionsRequest;
import dev.switchboard.upstream.RetryAfter;
import dev.switchboard.upstream.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/chat/completions} to OpenAI-compatible channels: authenticate, read the body,
 * pick a lease, send, retry on another lease while nothing has reached the client, then relay
 * the answer. Failures become a status in two places only: before the response head ({@link
 * OpenAiErrors#send}) and after it (an SSE error event, see {@link StreamRelay}).
 */
final class ChatCompletionsProxy implements Handler<RoutingContext> {

  static final String ROUTE = "chat_completions";
  private static final Logger log = LoggerFactory.getLogger(ChatCompletionsProxy.class);
  private static final CharSequence ROUTE_HEADER = HttpHeaders.createOptimized("x-switchboard-route");
  private static final CharSequence REQUEST_ID = HttpHeaders.createOptimized("x-request-id");
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  private static final CharSequence SSE = HttpHeaders.createOptimized("text/event-stream");

  private final Vertx vertx;
  private final Supplier<PoolSnapshot> snapshot;
  private final UpstreamClient upstream;
  private final GatewayMetrics metrics;
  private final SwitchboardConfig.Limits limits;
  private final SwitchboardConfig.Routing routing;
  private final UsageReporter reporter;

  ChatCompletionsProxy(Vertx vertx, Supplier<PoolSnapshot> snapshot, UpstreamClient upstream, GatewayMetrics metrics,
      SwitchboardConfig limitsAndRouting, UsageReporter reporter) {
    this.vertx = vertx;
    this.snapshot = snapshot;
    this.upstream = upstream;
    this.metrics = metrics;
    this.limits = limitsAndRouting.limits();
    this.routing = limitsAndRouting.routing();
    this.reporter = reporter;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    HttpServerResponse resp = ctx.response();
    Call call = new Call(RequestIds.next(), ROUTE);
    resp.putHeader(REQUEST_ID, call.requestId);
    // Until a relay takes over the response, a client that leaves cancels the upstream attempt.
    Promise<Void> clientGone = Promise.promise();
    resp.closeHandler(v -> clientGone.tryComplete());
    call.clientGone = clientGone.future();
    PoolSnapshot pool = snapshot.get();
    Future.succeededFuture(pool)
        .map(p -> authenticate(req, p, call))
        .compose(v -> BodyReader.read(req, limits.maxBodyBytes()))
        .compose(body -> parse(body, pool, call))
        .compose(parsed -> attempt(call, parsed, resp).map(exchange -> new Answer(parsed, exchange)))
        .compose(answer -> relay(call, answer, resp))
        .onFailure(err -> fail(call, resp, err));
  }

  private record Answer(ChatCompletionsRequest request, UpstreamClient.Exchange exchange) {}

  private Void authenticate(HttpServerRequest req, PoolSnapshot pool, Call call) {
    String key = ClientAuth.presentedKey(req);
    if (key == null) {
      throw GatewayError.unauthorized("Missing API key. Send it as 'Authorization: Bearer <key>'.");
    }
    // looked up by SHA-256: timing can only tell about the hash, never about the key
    var clientKey = pool.keyByHash(ClientAuth.sha256Hex(key));
    if (clientKey == null) {
      throw GatewayError.unauthorized("Invalid API key.");
    }
    call.key = clientKey;
    return null;
  }

  /** Small bodies are scanned here; large ones on the translator workers, off the event loop. */
  private Future<ChatCompletionsRequest> parse(Buffer body, PoolSnapshot pool, Call call) {
    call.bytesIn = body.length();
    metrics.requestBytes(body.length());
    Future<ChatCompletionsRequest> parsed;
    if (body.length() > TranslatorVerticle.OFFLOAD_BYTES) {
      parsed = vertx.eventBus().<ChatCompletionsRequest>request(Addresses.TRANSLATE_REQUEST, new ParseJob(body))
          .map(Message::body)
          .recover(err -> Future.failedFuture(err instanceof ReplyException re && re.failureCode() == 400
              ? GatewayError.badRequest(re.getMessage()) : err));
    } else {
      try {
        parsed = Future.succeededFuture(ChatCompletionsRequest.parse(body));
      } catch (MalformedJsonException e) {
        return Future.failedFuture(GatewayError.badRequest(e.getMessage()));
      }
    }
    return parsed.map(request -> {
      call.stream = request.stream();
      if (!pool.serves(request.model()) || !call.key.allows(request.model())) {
        throw GatewayError.modelNotFound(request.model());
      }
      call.model = request.model();
      return request;
    });
  }

  /** One attempt on a fresh lease; on a retryable failure, the next, until retries run out. */
  private Future<UpstreamClient.Exchange> attempt(Call call, ChatCompletionsRequest parsed, HttpServerResponse resp) {
    if (resp.closed()) {
      return Future.failedFuture(clientClosed());
    }
    long now = System.currentTimeMillis();
    PoolSnapshot pool = snapshot.get();
    Lease lease = pool.pick(call.model, call.tried, now);
    if (lease == null) {
      return Future.failedFuture(call.lastFailure != null ? call.lastFailure : noUpstream(pool, call.model, now));
    }
    call.tried.add(lease.target());
    call.attempts++;
    call.lease = lease;
    long sent = System.nanoTime();
    return upstream.post(lease, "/chat/completions", headers(lease, parsed), parsed.forUpstream(lease.upstreamModel()),
            call.clientGone)
        .transform(ar -> {
          if (ar.failed() && resp.closed()) {
            return Future.failedFuture(clientClosed()); // our reset, not the upstream's fault
          }
          long latencyNanos = System.nanoTime() - sent;
          metrics.upstreamLatency(lease.channelName(), latencyNanos);
          if (ar.failed()) {
            boolean timeout = ar.cause() instanceof TimeoutException;
            report(lease, timeout ? Outcome.Kind.TIMEOUT : Outcome.Kind.CONNECT_ERROR, 0, -1, latencyNanos);
            call.onlyRateLimited = false;
            call.lastFailure = new GatewayError(timeout ? 504 : 502, "upstream_error", timeout ? "upstream_timeout" : "upstream_unreachable",
                timeout ? "The upstream did not answer in time." : "The upstream could not be reached.");
            return retry(call, parsed, resp);
          }
          UpstreamClient.Exchange exchange = ar.result();
          int status = exchange.response().statusCode();
          if (status < 400) {
            report(lease, Outcome.Kind.SUCCESS, status, -1, latencyNanos);
            return Future.succeededFuture(exchange);
          }
          Outcome.Kind kind = classify(status);
          long retryAfter = status == 429 ? RetryAfter.millis(exchange.response().headers(), now) : -1;
          report(lease, kind, status, retryAfter, latencyNanos);
          if (kind == Outcome.Kind.CLIENT_ERROR) {
            return Future.succeededFuture(exchange);
          }
          return upstreamFailure(exchange.response(), status, retryAfter, call).compose(failure -> {
            call.lastFailure = failure;
            return retry(call, parsed, resp);
          });
        });
  }

  private Future<UpstreamClient.Exchange> retry(Call call, ChatCompletionsRequest parsed, HttpServerResponse resp) {
    if (call.attempts > routing.retries()) {
      return Future.failedFuture(call.lastFailure);
    }
    long base = routing.retryBackoffMs() * (1L << Math.min(6, call.attempts - 1));
    long delay = base == 0 ? 0 : base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    if (delay == 0) {
      return attempt(call, parsed, resp);
    }
    Promise<Void> wait = Promise.promise();
    vertx.setTimer(delay, id -> wait.complete());
    return wait.future().compose(v -> attempt(call, parsed, resp));
  }

  private static GatewayError clientClosed() {
    return new GatewayError(499, "client_closed", "client_closed", "The client went away.");
  }

  private static Outcome.Kind classify(int status) {
    if (status == 429) return Outcome.Kind.RATE_LIMITED;
    if (status == 401 || status == 403) return Outcome.Kind.AUTH_FAILED;
    if (status >= 500 || status == 408) return Outcome.Kind.SERVER_ERROR;
    return Outcome.Kind.CLIENT_ERROR;
  }

  /** Reads the upstream's error (bounded) to keep its message where that is safe to pass on. */
  private Future<GatewayError> upstreamFailure(HttpClientResponse response, int status, long retryAfterMs, Call call) {
    call.onlyRateLimited &= status == 429;
    return UpstreamErrors.read(response).map(message -> {
      if (status == 429 && call.onlyRateLimited) {
        return new GatewayError(429, "rate_limit_error", "upstream_rate_limited",
            "All upstreams for this model are rate limited. Last upstream said: " + message, retryAfterMs);
      }
      if (status == 429) {
        return new GatewayError(502, "upstream_error", "upstream_429", "The upstream rate limited the last attempt: " + message);
      }
      if (status == 401 || status == 403) {
        return new GatewayError(502, "upstream_error", "upstream_auth_failed",
            "The upstream rejected the gateway's credentials (" + status + ").");
      }
      return new GatewayError(502, "upstream_error", "upstream_" + status, "The upstream failed with " + status + ": " + message);
    });
  }

  private static GatewayError noUpstream(PoolSnapshot pool, String model, long now) {
    long back = pool.earliestReturn(model, now);
    return new GatewayError(503, "server_error", "no_upstream_available",
        "No upstream is available for '" + model + "' right now.", back > 0 ? back - now : -1);
  }

  private MultiMap headers(Lease lease, ChatCompletionsRequest parsed) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap()
        .add(HttpHeaders.CONTENT_TYPE, JSON)
        .add(HttpHeaders.ACCEPT, parsed.stream() ? SSE : JSON);
    if (lease.secret() != null && !lease.secret().isEmpty()) {
      h.add(HttpHeaders.AUTHORIZATION, "Bearer " + lease.secret());
    }
    return h;
  }

  private Future<Void> relay(Call call, Answer answer, HttpServerResponse resp) {
    HttpClientResponse up = answer.exchange().response();
    resp.putHeader(ROUTE_HEADER, "channel=" + call.lease.channelName() + "; credential=" + call.lease.credentialId()
        + "; attempts=" + call.attempts);
    String type = up.getHeader(HttpHeaders.CONTENT_TYPE);
    if (up.statusCode() == 200 && type != null && type.startsWith("text/event-stream")) {
      return new StreamRelay(call, answer.exchange(), resp, answer.request().clientWantsUsage(), limits.maxSseEventBytes(),
          metrics, this::finish).run();
    }
    return BodyRelay.relay(call, answer.exchange(), resp).onSuccess(v -> finish(call, up.statusCode(), up.statusCode() < 400 ? null : "upstream_" + up.statusCode()));
  }

  private void fail(Call call, HttpServerResponse resp, Throwable err) {
    GatewayError e;
    if (err instanceof GatewayError g) {
      e = g;
    } else if (resp.closed()) {
      e = clientClosed();
    } else {
      log.warn("{} failed unexpectedly: {}", call.requestId, err.toString());
      e = new GatewayError(500, "server_error", "internal_error", "The gateway failed to handle this request (" + call.requestId + ").");
    }
    OpenAiErrors.send(resp, e);
    finish(call, e.status(), e.code());
  }

  void finish(Call call, int status, String errorClass) {
    if (call.finished) return;
    call.finished = true;
    String channel = call.lease == null ? "none" : call.lease.channelName();
    metrics.request(ROUTE, snapshot.get().serves(call.model) ? call.model : "unknown", channel, status);
    reporter.report(call, status, errorClass);
  }

  private void report(Lease lease, Outcome.Kind kind, int status, long retryAfterMs, long latencyNanos) {
    vertx.eventBus().send(Addresses.POOL_OUTCOME,
        new Outcome(lease.target(), lease.channelId(), kind, status, retryAfterMs, latencyNanos / 1_000_000));
  }
}
