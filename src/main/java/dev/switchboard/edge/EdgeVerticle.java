package dev.switchboard.edge;

import dev.switchboard.bus.Addresses;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.metrics.GatewayMetrics;
import dev.switchboard.pricing.Pricing;
import dev.switchboard.select.Dispatcher;
import dev.switchboard.select.PoolSnapshot;
import dev.switchboard.store.Store;
import dev.switchboard.translate.Protocol;
import dev.switchboard.translate.TopLevelRequest;
import dev.switchboard.translate.Translations;
import dev.switchboard.translate.embed.Embeddings;
import dev.switchboard.upstream.UpstreamClient;
import dev.switchboard.upstream.UpstreamType;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The HTTP edge, one instance per event loop: routes client requests, keeps the latest pool
 * snapshot the selector published, and owns an upstream client. Stopping shuts the server
 * down gracefully: no new connections, in-flight requests get the configured grace period.
 */
public final class EdgeVerticle extends VerticleBase {

  private final SwitchboardConfig config;
  private final Store store;
  private final GatewayMetrics metrics;
  private final int port;
  private final BiConsumer<Vertx, Router> extraRoutes;
  private Dispatcher dispatcher;
  private final Pricing pricing;
  private boolean ownDispatcher;
  private PoolSnapshot snapshot = PoolSnapshot.empty();
  private HttpServer server;
  private UpstreamClient upstream;
  private volatile String eventLoop;

  public EdgeVerticle(SwitchboardConfig config, Store store, GatewayMetrics metrics, int port) {
    this(config, store, metrics, port, null);
  }

  /** {@code extraRoutes} adds routes of other parts (the management API) to this edge's router. */
  public EdgeVerticle(SwitchboardConfig config, Store store, GatewayMetrics metrics, int port,
      BiConsumer<Vertx, Router> extraRoutes) {
    this(config, store, metrics, port, extraRoutes, null, Pricing.NONE);
  }

  /**
   * {@code dispatcher} applies key and credential limits and session affinity, shared by every
   * edge of the instance (null: this edge makes a local one of its own); {@code pricing} prices
   * answers for key budgets.
   */
  public EdgeVerticle(SwitchboardConfig config, Store store, GatewayMetrics metrics, int port,
      BiConsumer<Vertx, Router> extraRoutes, Dispatcher dispatcher, Pricing pricing) {
    this(config, store, metrics, port, extraRoutes, dispatcher, pricing, null);
  }

  /**
   * {@code upstream}: the edge's upstream client, made before the edge is deployed (null: the
   * edge makes its own as it starts). The edge owns it either way and closes it as it stops.
   */
  public EdgeVerticle(SwitchboardConfig config, Store store, GatewayMetrics metrics, int port,
      BiConsumer<Vertx, Router> extraRoutes, Dispatcher dispatcher, Pricing pricing, UpstreamClient upstream) {
    this.upstream = upstream;
    this.dispatcher = dispatcher;
    this.pricing = pricing;
    this.config = config;
    this.store = store;
    this.metrics = metrics;
    this.port = port;
    this.extraRoutes = extraRoutes;
  }

  @Override
  public Future<?> start() {
    var bus = vertx.eventBus();
    bus.<PoolSnapshot>localConsumer(Addresses.POOL_SNAPSHOT, msg -> snapshot = msg.body());
    eventLoop = Thread.currentThread().getName();
    if (upstream == null) upstream = new UpstreamClient(vertx, config.routing());
    var reporter = new UsageReporter(vertx, metrics);
    var translations = Translations.standard();
    if (dispatcher == null) {
      dispatcher = Dispatcher.create(vertx, config);
      ownDispatcher = true;
    }
    var services = new ProxyHandler.Services(vertx, () -> snapshot, upstream, metrics, config, reporter, dispatcher,
        pricing);
    var ops = new OpsHandlers(store, () -> snapshot);

    Router router = Router.router(vertx);
    router.post("/v1/chat/completions").handler(proxy(new ChatFront(), translations, services));
    router.post("/v1/responses").handler(proxy(new ResponsesFront(), translations, services));
    router.post("/v1/messages").handler(proxy(new MessagesFront(), translations, services));
    router.postWithRegex(GeminiFront.PATH).handler(proxy(new GeminiFront(), translations, services));
    router.post("/v1/messages/count_tokens").handler(new CountTokensHandler(new MessagesFront(), vertx, () -> snapshot,
        upstream, config.limits()));
    router.postWithRegex("/v1beta/models/([^:]+):countTokens").handler(new CountTokensHandler(new GeminiFront(), vertx,
        () -> snapshot, upstream, config.limits()));
    router.post("/v1/embeddings").handler(new ProxyHandler(new EmbeddingsFront(), (client, up, request, asked) ->
        up == Protocol.GEMINI ? Embeddings.openAiToGemini("base64".equals(((TopLevelRequest) request).text("encoding_format"))) : null,
        services));
    router.postWithRegex(GeminiEmbedFront.PATH).handler(new ProxyHandler(new GeminiEmbedFront(), (client, up, request, asked) ->
        up == Protocol.OPENAI_CHAT ? Embeddings.geminiToOpenAi(asked == UpstreamType.Operation.BATCH_EMBED) : null,
        services));
    router.get("/v1/models").handler(ops::models);
    router.get("/v1beta/models").handler(ops::geminiModels);
    router.getWithRegex("/v1beta/models/([^:/]+)").handler(ops::geminiModel);
    router.get("/health").handler(ops::health);
    router.get("/ready").handler(ops::ready);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(metrics.registry()));
    if (extraRoutes != null) {
      extraRoutes.accept(vertx, router);
    }
    router.errorHandler(404, ctx -> OpenAiErrors.send(ctx.response(), new GatewayError(404, "invalid_request_error",
        "not_found", "Unknown path " + ctx.request().method() + " " + safePath(ctx.request().path()) + ".")));
    router.errorHandler(405, ctx -> OpenAiErrors.send(ctx.response(), new GatewayError(405, "invalid_request_error",
        "method_not_allowed", "Method " + ctx.request().method() + " is not allowed here.")));
    router.errorHandler(500, ctx -> OpenAiErrors.send(ctx.response(), new GatewayError(500, "server_error",
        "internal_error", "The gateway failed to handle this request.")));

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.server().host())
        .setPort(port)
        .setTcpNoDelay(true)
        .setCompressionSupported(false)
        .setHandle100ContinueAutomatically(true);
    return bus.<PoolSnapshot>request(Addresses.POOL_CURRENT, "current")
        .onSuccess(msg -> snapshot = msg.body())
        .compose(v -> vertx.createHttpServer(options).requestHandler(router).listen())
        .onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    Future<Void> closed = server == null ? Future.succeededFuture()
        : server.shutdown(config.server().shutdownGraceMs(), TimeUnit.MILLISECONDS);
    return closed.eventually(() -> upstream == null ? Future.succeededFuture() : upstream.close())
        .eventually(() -> ownDispatcher ? dispatcher.close() : Future.succeededFuture());
  }

  private static ProxyHandler proxy(Front front, Translations translations, ProxyHandler.Services services) {
    return new ProxyHandler(front, ProxyHandler.TranslationLookup.of(translations), services);
  }

  /** The port actually bound (useful when the configured port is 0). */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  /** The name of the event-loop thread this edge runs on, once it started. */
  public String eventLoop() {
    return eventLoop;
  }

  private static String safePath(String path) {
    return path.length() > 200 ? path.substring(0, 200) + "..." : path;
  }
}
