package dev.switchboard.edge;

import dev.switchboard.affinity.SessionKeys;
import dev.switchboard.bus.Addresses;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.json.MalformedJsonException;
import dev.switchboard.metrics.GatewayMetrics;
import dev.switchboard.pricing.Pricing;
import dev.switchboard.select.Dispatcher;
import dev.switchboard.select.Lease;
import dev.switchboard.select.Outcome;
import dev.switchboard.select.PoolSnapshot;
import dev.switchboard.translate.ParsedRequest;
import dev.switchboard.translate.Protocol;
import dev.switchboard.translate.RequestParser;
import dev.switchboard.translate.StreamTap;
import dev.switchboard.translate.StreamTranslator;
import dev.switchboard.translate.Translation;
import dev.switchboard.translate.TranslationException;
import dev.switchboard.translate.Translations;
import dev.switchboard.translate.TranslatorVerticle;
import dev.switchboard.translate.WorkerJob;
import dev.switchboard.translate.tap.StreamTaps;
import dev.switchboard.upstream.RetryAfter;
import dev.switchboard.upstream.UpstreamBody;
import dev.switchboard.upstream.UpstreamClient;
import dev.switchboard.upstream.UpstreamType;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client protocol's generate endpoint, in front of every upstream type: authenticate, read
 * the body, pick a lease, send (the client's bytes when the upstream speaks the client's
 * protocol, a translation otherwise), retry on another lease while nothing has reached the
 * client, then relay the answer. Failures become a status in two places only: before the
 * response head (the front's error envelope) and after it (the front's stream error event).
 */
final class ProxyHandler implements Handler<RoutingContext> {

  private static final Logger log = LoggerFactory.getLogger(ProxyHandler.class);
  private static final CharSequence ROUTE_HEADER = HttpHeaders.createOptimized("x-switchboard-route");
  private static final CharSequence REQUEST_ID = HttpHeaders.createOptimized("x-request-id");
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  private static final CharSequence SSE = HttpHeaders.createOptimized("text/event-stream");
  private static final List<String> ANTHROPIC_HEADERS = List.of("anthropic-version", "anthropic-beta");

  /** The direction for a request from one protocol to another, or null when there is none. */
  @FunctionalInterface
  interface TranslationLookup {
    Translation find(Protocol client, Protocol upstream, ParsedRequest request, UpstreamType.Operation asked);

    static TranslationLookup of(Translations translations) {
      return (client, upstream, request, asked) -> translations.get(client, upstream);
    }
  }

  /** What every endpoint of one edge shares. */
  record Services(Vertx vertx, Supplier<PoolSnapshot> snapshot, UpstreamClient upstream, GatewayMetrics metrics,
      SwitchboardConfig config, UsageReporter reporter, Dispatcher dispatcher, Pricing pricing) {}

  private final Front front;
  private final TranslationLookup translations;
  private final Vertx vertx;
  private final Supplier<PoolSnapshot> snapshot;
  private final UpstreamClient upstream;
  private final GatewayMetrics metrics;
  private final SwitchboardConfig.Limits limits;
  private final SwitchboardConfig.Routing routing;
  private final UsageReporter reporter;
  private final Dispatcher dispatcher;
  private final Costs costs;
  private final long keepAliveMs;

  ProxyHandler(Front front, TranslationLookup translations, Services services) {
    this.front = front;
    this.translations = translations;
    this.vertx = services.vertx();
    this.snapshot = services.snapshot();
    this.upstream = services.upstream();
    this.metrics = services.metrics();
    this.limits = services.config().limits();
    this.routing = services.config().routing();
    this.reporter = services.reporter();
    this.dispatcher = services.dispatcher();
    this.costs = new Costs(services.pricing());
    this.keepAliveMs = services.config().server().keepAliveMs();
  }

  /** How one attempt talks to its upstream: the type, the translation (null: pass-through), where. */
  private record Plan(UpstreamType type, Translation translation, UpstreamType.Operation operation) {}

  /** An upstream's answer to relay; {@code body} is set when it had to be read already (else null). */
  private record Answer(ParsedRequest request, Plan plan, UpstreamClient.Exchange exchange, Buffer body) {}

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    HttpServerResponse resp = ctx.response();
    Call call = new Call(RequestIds.next(), front.route());
    call.clientProtocol = front.protocol();
    call.operation = front.operation(ctx);
    resp.putHeader(REQUEST_ID, call.requestId);
    // Until a relay takes over the response, a client that leaves cancels the upstream attempt.
    Promise<Void> clientGone = Promise.promise();
    resp.closeHandler(v -> clientGone.tryComplete());
    call.clientGone = clientGone.future();
    PoolSnapshot pool = snapshot.get();
    RequestParser parser;
    try {
      parser = front.parser(ctx);
    } catch (RuntimeException e) {
      fail(call, resp, GatewayError.badRequest("The request path is not valid."));
      return;
    }
    Future.succeededFuture(pool)
        .map(p -> authenticate(req, p, call))
        .compose(v -> BodyReader.read(req, limits.maxBodyBytes()))
        .compose(body -> parse(body, pool, call, parser, req.headers()))
        .compose(parsed -> attempt(call, parsed, req, resp))
        .compose(answer -> relay(call, answer, ctx))
        .onFailure(err -> fail(call, resp, err));
  }

  private Void authenticate(HttpServerRequest req, PoolSnapshot pool, Call call) {
    call.key = ClientAuth.clientKey(req, pool);
    return null;
  }

  /** Small bodies are read here; large ones on the translator workers, off the event loop. */
  private Future<ParsedRequest> parse(Buffer body, PoolSnapshot pool, Call call, RequestParser parser, MultiMap headers) {
    call.bytesIn = body.length();
    metrics.requestBytes(body.length());
    Future<ParsedRequest> parsed;
    if (body.length() > TranslatorVerticle.OFFLOAD_BYTES) {
      parsed = offload(() -> parser.parse(body)).map(ParsedRequest.class::cast);
    } else {
      try {
        parsed = Future.succeededFuture(parser.parse(body));
      } catch (MalformedJsonException e) {
        return Future.failedFuture(GatewayError.badRequest(e.getMessage()));
      }
    }
    return parsed.compose(request -> {
      call.stream = request.stream();
      call.request = request;
      return dispatcher.admit(pool, call.key, request.model(), System.currentTimeMillis()).map(pass -> {
        if (!pass.admitted()) {
          // a name the pool serves is bounded: the request log and the rollups show what was refused
          if (pool.serves(request.model())) call.model = request.model();
          throw new GatewayError(pass.status(), Failures.errorType(pass.status()), pass.code(), pass.message(), pass.retryAfterMs());
        }
        call.pass = pass;
        call.model = request.model();
        // a session only matters when there is a choice; then the body may have to be read for it
        call.session = routing.affinityTtlMs() > 0 && pool.hasChoice(request.model())
            ? SessionKeys.extract(headers, UpstreamRequests.sessionBody(request)) : null;
        return request;
      });
    });
  }

  private Future<Object> offload(WorkerJob.Task task) {
    return vertx.eventBus().<WorkerJob.Result>request(Addresses.TRANSLATE_REQUEST, new WorkerJob(task))
        .map(msg -> msg.body().value())
        .recover(err -> Future.failedFuture(err instanceof ReplyException re && re.failureCode() == 400
            ? GatewayError.badRequest(re.getMessage()) : err));
  }

  /** One attempt on a fresh lease; on a retryable failure, the next, until retries run out. */
  private Future<Answer> attempt(Call call, ParsedRequest parsed, HttpServerRequest req, HttpServerResponse resp) {
    if (resp.closed()) {
      return Future.failedFuture(Failures.clientClosed());
    }
    long now = System.currentTimeMillis();
    PoolSnapshot pool = snapshot.get();
    return dispatcher.lease(pool, call.model, call.tried, call.session, now, call.trail)
        .compose(lease -> lease == null
            ? Future.failedFuture(call.lastFailure != null ? call.lastFailure : Failures.noUpstream(pool, call.model, now))
            : attempt(call, parsed, req, resp, lease));
  }

  private Future<Answer> attempt(Call call, ParsedRequest parsed, HttpServerRequest req, HttpServerResponse resp, Lease lease) {
    call.tried.add(lease.target());
    UpstreamType type = UpstreamType.of(lease.channelType());
    Protocol upstreamProtocol = type == null ? null : UpstreamRequests.protocolFor(type, call.operation);
    Translation translation = type == null || upstreamProtocol == front.protocol() ? null
        : translations.find(front.protocol(), upstreamProtocol, parsed, call.operation);
    UpstreamType.Operation op = UpstreamRequests.upstreamOperation(call.operation, type, translation);
    if (type == null || (upstreamProtocol != front.protocol() && translation == null)
        || type.url(lease.baseUrl(), op, lease.upstreamModel(), false) == null) {
      // a channel that cannot do this at all is no attempt: the next one, at once
      call.trail.unusable(lease, "cannot serve " + call.operation.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
          + " for this client's protocol");
      if (call.lastFailure == null) {
        call.lastFailure = GatewayError.badRequest("The model '" + call.model + "' cannot be used for "
            + call.operation.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " here"
            + (call.operation == UpstreamType.Operation.GENERATE ? "." : " (its upstream has no embeddings or token counting)."));
        call.onlyRateLimited = false;
      }
      return attempt(call, parsed, req, resp);
    }
    call.attempts++;
    call.trail.attempt(lease);
    call.lease = lease;
    Plan plan = new Plan(type, translation, op);
    call.upstreamProtocol = upstreamProtocol;
    return body(call, parsed, plan, lease).compose(body -> send(call, parsed, plan, lease, body, req, resp));
  }

  /** The client's bytes for its own protocol; otherwise the translation, large ones on a worker. */
  private Future<UpstreamBody> body(Call call, ParsedRequest parsed, Plan plan, Lease lease) {
    if (plan.translation() == null) {
      return Future.succeededFuture(parsed.forUpstream(lease.upstreamModel()));
    }
    JsonObject known = call.clientJson;
    WorkerJob.Task task = () -> {
      JsonObject client = known != null ? known : new JsonObject(parsed.body());
      return new Translated(client, UpstreamBody.of(List.of(UpstreamRequests.translate(client, parsed, plan.translation(), plan.type(), plan.operation(),
          lease.upstreamModel()).toBuffer())));
    };
    if (parsed.body().length() > TranslatorVerticle.OFFLOAD_BYTES) {
      return offload(task).map(Translated.class::cast).map(t -> keep(call, t));
    }
    try {
      return Future.succeededFuture(keep(call, (Translated) task.run()));
    } catch (TranslationException | DecodeException e) {
      return Future.failedFuture(GatewayError.badRequest(e.getMessage()));
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  /** A translated request body, and the client's request as a tree for the answer's translation. */
  private record Translated(JsonObject client, UpstreamBody body) {}

  private static UpstreamBody keep(Call call, Translated t) {
    call.clientJson = t.client();
    return t.body();
  }

  private Future<Answer> send(Call call, ParsedRequest parsed, Plan plan, Lease lease, UpstreamBody body,
      HttpServerRequest req, HttpServerResponse resp) {
    long now = System.currentTimeMillis();
    long sent = System.nanoTime();
    String url = plan.type().url(lease.baseUrl(), plan.operation(), lease.upstreamModel(), parsed.stream());
    return upstream.post(url, headers(lease, plan, parsed, req), body, call.clientGone)
        .transform(ar -> {
          long latencyNanos = System.nanoTime() - sent;
          if (ar.failed() && resp.closed()) {
            call.trail.outcome(0, "client_closed", -1, latencyNanos / 1_000_000);
            return Future.failedFuture(Failures.clientClosed()); // our reset, not the upstream's fault
          }
          metrics.upstreamLatency(lease.channelName(), latencyNanos);
          if (ar.failed()) {
            boolean timeout = ar.cause() instanceof TimeoutException;
            report(call, lease, timeout ? Outcome.Kind.TIMEOUT : Outcome.Kind.CONNECT_ERROR, 0, -1, latencyNanos);
            call.onlyRateLimited = false;
            call.lastFailure = new GatewayError(timeout ? 504 : 502, "upstream_error", timeout ? "upstream_timeout" : "upstream_unreachable",
                timeout ? "The upstream did not answer in time." : "The upstream could not be reached.");
            return retry(call, parsed, req, resp);
          }
          UpstreamClient.Exchange exchange = ar.result();
          int status = exchange.response().statusCode();
          if (status < 400) {
            report(call, lease, Outcome.Kind.SUCCESS, status, -1, latencyNanos);
            return Future.succeededFuture(new Answer(parsed, plan, exchange, null));
          }
          Outcome.Kind kind = Outcome.classify(status);
          long headerRetry = status == 429 || status == 503 || status == 529 ? RetryAfter.millis(exchange.response().headers(), now) : -1;
          if (kind == Outcome.Kind.CLIENT_ERROR && plan.type() == UpstreamType.GEMINI && status == 400) {
            // Gemini says "bad key" as a 400: the gateway's credential failed, not the client's request
            return UpstreamErrors.readBody(exchange.response()).compose(said -> {
              if (!UpstreamErrors.isInvalidKey(said)) {
                report(call, lease, Outcome.Kind.CLIENT_ERROR, status, -1, latencyNanos);
                return Future.succeededFuture(new Answer(parsed, plan, exchange, said));
              }
              report(call, lease, Outcome.Kind.AUTH_FAILED, 401, -1, latencyNanos);
              call.lastFailure = Failures.upstreamFailure(401, -1, "invalid key", call);
              return retry(call, parsed, req, resp);
            });
          }
          if (kind == Outcome.Kind.CLIENT_ERROR) {
            report(call, lease, kind, status, headerRetry, latencyNanos);
            return Future.succeededFuture(new Answer(parsed, plan, exchange, null));
          }
          return UpstreamErrors.read(exchange.response(), now).compose(error -> {
            long retryAfter = headerRetry >= 0 ? headerRetry : error.retryAfterMs();
            report(call, lease, kind, status, retryAfter, latencyNanos);
            call.lastFailure = Failures.upstreamFailure(status, retryAfter, error.message(), call);
            return retry(call, parsed, req, resp);
          });
        });
  }

  private Future<Answer> retry(Call call, ParsedRequest parsed, HttpServerRequest req, HttpServerResponse resp) {
    if (call.attempts > routing.retries()) {
      return Future.failedFuture(call.lastFailure);
    }
    long base = routing.retryBackoffMs() * (1L << Math.min(6, call.attempts - 1));
    long delay = base == 0 ? 0 : base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    if (delay == 0) {
      return attempt(call, parsed, req, resp);
    }
    Promise<Void> wait = Promise.promise();
    vertx.setTimer(delay, id -> wait.complete());
    return wait.future().compose(v -> attempt(call, parsed, req, resp));
  }

  private MultiMap headers(Lease lease, Plan plan, ParsedRequest parsed, HttpServerRequest req) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap()
        .add(HttpHeaders.CONTENT_TYPE, JSON)
        .add(HttpHeaders.ACCEPT, parsed.stream() ? SSE : JSON);
    if (plan.type() == UpstreamType.ANTHROPIC && front.protocol() == Protocol.ANTHROPIC_MESSAGES) {
      for (String name : ANTHROPIC_HEADERS) {
        String value = req.getHeader(name);
        if (value != null) h.add(name, value);
      }
    }
    plan.type().authorize(h, lease.secret());
    return h;
  }

  private Future<Void> relay(Call call, Answer answer, RoutingContext ctx) {
    HttpServerResponse resp = ctx.response();
    HttpClientResponse up = answer.exchange().response();
    resp.putHeader(ROUTE_HEADER, "channel=" + call.lease.channelName() + "; credential=" + call.lease.credentialId()
        + "; attempts=" + call.attempts);
    Protocol upstreamProtocol = answer.plan().type().protocol();
    Translation translation = answer.plan().translation();
    String type = up.getHeader(HttpHeaders.CONTENT_TYPE);
    if (up.statusCode() == 200 && type != null && type.startsWith("text/event-stream")) {
      boolean jsonArray = front.jsonArrayStream(ctx);
      boolean wantsUsage = answer.request().clientWantsUsage();
      StreamRelay relay = new StreamRelay(vertx, call, answer.exchange(), resp, jsonArray, front.keepAlive(), keepAliveMs, metrics,
          this::finish);
      StreamTap tap = StreamTaps.of(upstreamProtocol, wantsUsage);
      StreamTranslator translator = translation == null ? null : translation.stream(call.model, wantsUsage, call.clientJson);
      // only a key that asks for the cost leaves the zero-copy relay: its usage event is rewritten
      CostStamp stamp = Costs.returned(call) ? new CostStamp(front.protocol(), () -> costs.shown(call,
          tap.usage() != null || translator == null ? tap.usage() : translator.usage())) : null;
      StreamBody body = translation == null && !jsonArray && stamp == null
          ? StreamBody.passThrough(up, tap, upstreamProtocol == Protocol.OPENAI_CHAT && !wantsUsage,
              limits.maxSseEventBytes(), front, relay::onUpstreamEvent)
          : StreamBody.translated(up, tap, translator, limits.maxSseEventBytes(), jsonArray,
              StreamTaps.of(front.protocol(), true), stamp, relay::onUpstreamEvent);
      return relay.run(body);
    }
    if (translation == null) {
      return BodyRelay.relay(call, answer.exchange(), answer.body(), resp, upstreamProtocol, costs::shown)
          .onSuccess(v -> finish(call, up.statusCode(), up.statusCode() < 400 ? null : "upstream_" + up.statusCode()));
    }
    return BodyRelay.translate(call, answer.exchange(), answer.body(), resp, upstreamProtocol, front.protocol(), translation,
            front::clientStatus, costs::shown)
        .onSuccess(status -> finish(call, status, status < 400 ? null : "upstream_" + up.statusCode()))
        .mapEmpty();
  }

  private void fail(Call call, HttpServerResponse resp, Throwable err) {
    GatewayError e;
    if (err instanceof GatewayError g) {
      e = g;
    } else if (resp.closed() || err instanceof java.nio.channels.ClosedChannelException) {
      e = Failures.clientClosed(); // the client's connection went while the answer was being written
    } else {
      log.warn("{} failed unexpectedly: {}", call.requestId, err.toString());
      e = new GatewayError(500, "server_error", "internal_error", "The gateway failed to handle this request (" + call.requestId + ").");
    }
    front.sendError(resp, e);
    finish(call, e.status(), e.code());
  }

  void finish(Call call, int status, String errorClass) {
    if (call.finished) return;
    call.finished = true;
    if (call.usage == null && status < 400 && call.lease != null && call.request != null) {
      UsageEstimate.of(vertx, call).onComplete(ar -> {
        if (ar.succeeded()) call.usage = ar.result();
        else log.debug("{} usage could not be estimated: {}", call.requestId, ar.cause().toString());
        settle(call, status, errorClass);
      });
      return;
    }
    settle(call, status, errorClass);
  }

  /** Meters, the usage record, limits, quotas and the session binding of a finished call. */
  private void settle(Call call, int status, String errorClass) {
    String channel = call.lease == null ? "none" : call.lease.channelName();
    PoolSnapshot pool = snapshot.get();
    metrics.request(call.route, pool.serves(call.model) ? call.model : "unknown", channel, status);
    reporter.report(call, status, errorClass);
    if (call.pass != null) {
      long tokens = call.usage == null ? 0 : call.usage.total();
      dispatcher.finish(pool, call.pass, call.model, call.session, call.lease, status < 400, tokens, costs.nanos(call),
              System.currentTimeMillis())
          .onFailure(err -> log.warn("{} could not settle its limits: {}", call.requestId, err.toString()));
    }
  }

  /** One attempt's outcome: into the request's trail, and to the selector (which heeds a retry-after on a 429 only). */
  private void report(Call call, Lease lease, Outcome.Kind kind, int status, long retryAfterMs, long latencyNanos) {
    long latencyMs = latencyNanos / 1_000_000;
    call.trail.outcome(status, kind, retryAfterMs, latencyMs);
    dispatcher.report(Outcome.of(lease, kind, status, kind == Outcome.Kind.RATE_LIMITED ? retryAfterMs : -1, latencyMs));
  }
}
