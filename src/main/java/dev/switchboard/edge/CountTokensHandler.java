package dev.switchboard.edge;

import dev.switchboard.bus.Addresses;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.json.MalformedJsonException;
import dev.switchboard.select.Lease;
import dev.switchboard.select.PoolSnapshot;
import dev.switchboard.store.ClientKey;
import dev.switchboard.translate.ParsedRequest;
import dev.switchboard.translate.Protocol;
import dev.switchboard.translate.RequestParser;
import dev.switchboard.translate.RequestTokens;
import dev.switchboard.translate.WorkerJob;
import dev.switchboard.upstream.UpstreamClient;
import dev.switchboard.upstream.UpstreamType;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Token counting: Anthropic's {@code POST /v1/messages/count_tokens} and Gemini's
 * {@code :countTokens}. When the model's upstream speaks the client's protocol it counts (one
 * attempt); otherwise, or when it fails, the gateway estimates, and says so in
 * {@code x-switchboard-token-count: estimated}.
 */
final class CountTokensHandler implements Handler<RoutingContext> {

  private static final CharSequence SOURCE = HttpHeaders.createOptimized("x-switchboard-token-count");

  private final Front front;
  private final Vertx vertx;
  private final Supplier<PoolSnapshot> snapshot;
  private final UpstreamClient upstream;
  private final SwitchboardConfig.Limits limits;

  CountTokensHandler(Front front, Vertx vertx, Supplier<PoolSnapshot> snapshot, UpstreamClient upstream,
      SwitchboardConfig.Limits limits) {
    this.front = front;
    this.vertx = vertx;
    this.snapshot = snapshot;
    this.upstream = upstream;
    this.limits = limits;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse resp = ctx.response();
    resp.putHeader("x-request-id", RequestIds.next());
    PoolSnapshot pool = snapshot.get();
    RequestParser parser = front.parser(ctx);
    Promise<Void> gone = Promise.promise();
    resp.closeHandler(v -> gone.tryComplete());
    authenticate(ctx, pool)
        .compose(key -> BodyReader.read(ctx.request(), limits.maxBodyBytes()).compose(body -> {
          ParsedRequest parsed;
          try {
            parsed = parser.parse(body);
          } catch (MalformedJsonException e) {
            return Future.failedFuture(GatewayError.badRequest(e.getMessage()));
          }
          if (!pool.serves(parsed.model()) || !pool.allows(key, parsed.model())) {
            return Future.failedFuture(GatewayError.modelNotFound(parsed.model()));
          }
          Lease lease = pool.pick(parsed.model(), Set.of(), System.currentTimeMillis());
          UpstreamType type = lease == null ? null : UpstreamType.of(lease.channelType());
          if (type != null && type.protocol() == front.protocol()) {
            return askUpstream(ctx, lease, type, parsed, gone.future())
                .recover(err -> err instanceof GatewayError g ? Future.failedFuture(g) : estimate(resp, parsed));
          }
          return estimate(resp, parsed);
        }))
        .onFailure(err -> front.sendError(resp, err instanceof GatewayError g ? g
            : new GatewayError(500, "server_error", "internal_error", "The gateway failed to count tokens.")));
  }

  private static Future<ClientKey> authenticate(RoutingContext ctx, PoolSnapshot pool) {
    try {
      return Future.succeededFuture(ClientAuth.clientKey(ctx.request(), pool));
    } catch (GatewayError e) {
      return Future.failedFuture(e);
    }
  }


  /** The upstream's own count; fails (and the caller estimates) when the upstream cannot answer. */
  private Future<Void> askUpstream(RoutingContext ctx, Lease lease, UpstreamType type, ParsedRequest parsed, Future<Void> gone) {
    String url = type.url(lease.baseUrl(), UpstreamType.Operation.COUNT_TOKENS, lease.upstreamModel(), false);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add(HttpHeaders.CONTENT_TYPE, "application/json");
    for (String name : new String[] {"anthropic-version", "anthropic-beta"}) {
      String value = ctx.request().getHeader(name);
      if (value != null && type == UpstreamType.ANTHROPIC) headers.add(name, value);
    }
    type.authorize(headers, lease.secret());
    return upstream.post(url, headers, parsed.forUpstream(lease.upstreamModel()), gone).compose(exchange -> {
      int status = exchange.response().statusCode();
      return UpstreamErrors.readBody(exchange.response()).compose(body -> {
        exchange.watchdog().cancel();
        if (status >= 500 || status == 429 || status == 401 || status == 403) {
          return Future.failedFuture(new IllegalStateException("upstream " + status));
        }
        // a 400 is about the request itself: the client hears it as the upstream said it
        return ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .putHeader(SOURCE, "upstream").end(body);
      });
    });
  }

  private Future<Void> estimate(HttpServerResponse resp, ParsedRequest parsed) {
    WorkerJob.Task count = () -> {
      JsonObject request = new JsonObject(parsed.body());
      if (request.getValue("generateContentRequest") instanceof JsonObject inner) request = inner;
      return RequestTokens.estimate(parsed.model(), request);
    };
    // always on a worker: tokenizing is CPU work, and the first call loads a vocabulary
    Future<Object> tokens = vertx.eventBus().<WorkerJob.Result>request(Addresses.TRANSLATE_REQUEST, new WorkerJob(count))
        .map(msg -> msg.body().value());
    return tokens.recover(err -> Future.failedFuture(GatewayError.badRequest("The request body could not be read.")))
        .compose(n -> {
          JsonObject body = front.protocol() == Protocol.GEMINI
              ? new JsonObject().put("totalTokens", n) : new JsonObject().put("input_tokens", n);
          return resp.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").putHeader(SOURCE, "estimated").end(body.toBuffer());
        });
  }
}
