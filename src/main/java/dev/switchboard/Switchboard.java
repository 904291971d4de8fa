package dev.switchboard;

import dev.switchboard.admin.AdminBootstrap;
import dev.switchboard.admin.AdminContext;
import dev.switchboard.admin.AdminVerticle;
import dev.switchboard.bus.Addresses;
import dev.switchboard.bus.LocalCodec;
import dev.switchboard.cluster.ChangeNotices;
import dev.switchboard.config.LiveConfig;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.demo.DemoUpstream;
import dev.switchboard.edge.EdgeVerticle;
import dev.switchboard.limit.Limit;
import dev.switchboard.metrics.GatewayMetrics;
import dev.switchboard.pricing.PriceService;
import dev.switchboard.pricing.Pricing;
import dev.switchboard.pricing.PricingVerticle;
import dev.switchboard.select.Outcome;
import dev.switchboard.select.Dispatcher;
import dev.switchboard.select.HealthShare;
import dev.switchboard.select.PoolSnapshot;
import dev.switchboard.select.RouteConfig;
import dev.switchboard.select.Spend;
import dev.switchboard.select.SelectorVerticle;
import dev.switchboard.stats.StatsVerticle;
import dev.switchboard.stats.UsageRecord;
import dev.switchboard.store.SecretBox;
import dev.switchboard.store.Store;
import dev.switchboard.translate.TranslatorVerticle;
import dev.switchboard.translate.WorkerJob;
import dev.switchboard.upstream.UpstreamClient;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running gateway: the store, and the verticles of the design deployed in order (selector,
 * stats, translator workers, then one edge per event loop). {@link #stop()} takes them down in
 * reverse so in-flight requests finish and every usage record is flushed before the store closes.
 */
public final class Switchboard {

  private static final Logger LOG = LoggerFactory.getLogger(Switchboard.class);

  private final Vertx vertx;
  /** The configuration as loaded at start: what only a restart changes is read from it. */
  private final SwitchboardConfig config;
  /** The configuration in force, replaced by a reload. */
  private final LiveConfig live;
  private final ConfigReload reload;
  private final Store store;
  private final DemoUpstream demo;
  private final PriceService pricing;
  private final List<String> deployments = new ArrayList<>();
  /** The edges' deployments, stopped together: they share one listening socket. */
  private final List<String> edgeDeployments = new ArrayList<>();
  private Dispatcher dispatcher;
  private ChangeNotices notices = ChangeNotices.none();
  /** The management API's Redis client (login counters), when {@code redis.url} is set. */
  private Redis adminRedis;
  private volatile boolean deployed;
  private HealthShare health = HealthShare.none();
  private int port;
  private int managementPort = -1;
  private List<String> edgeLoops = List.of();

  private Switchboard(Vertx vertx, LiveConfig live, Store store, DemoUpstream demo) {
    this.vertx = vertx;
    this.config = live.get();
    this.live = live;
    this.store = store;
    this.demo = demo;
    this.pricing = new PriceService(store);
    this.reload = new ConfigReload(vertx, live, store, pricing);
  }

  /** Opens the store, syncs declared channels and keys, and deploys every verticle. */
  public static Future<Switchboard> start(Vertx vertx, SwitchboardConfig config, GatewayMetrics metrics) {
    return start(vertx, new LiveConfig(config, null), metrics, null);
  }

  /** With the file to read again on a configuration reload ({@link LiveConfig#reread()}). */
  public static Future<Switchboard> start(Vertx vertx, LiveConfig config, GatewayMetrics metrics) {
    return start(vertx, config, metrics, null);
  }

  static Future<Switchboard> start(Vertx vertx, LiveConfig live, GatewayMetrics metrics, DemoUpstream demo) {
    SwitchboardConfig config = live.get();
    LocalCodec.register(vertx, PoolSnapshot.class, Outcome.class, Spend.class, UsageRecord.class, WorkerJob.class,
        WorkerJob.Result.class);
    return vertx.executeBlocking(() -> SecretBox.load(Path.of(config.security().masterKeyFile())))
        .compose(secrets -> Store.open(vertx, config.database(), secrets).compose(store -> {
          Switchboard app = new Switchboard(vertx, live, store, demo);
          return store.syncDeclaredChannels(config.channels())
              .compose(v -> store.syncDeclaredKeys(config.apiKeys()))
              .compose(v -> app.listenForChanges())
              .compose(v -> !config.management().enabled() ? Future.succeededFuture((AdminContext) null)
                  : AdminBootstrap.prepare(vertx, store, secrets, config.management(),
                      System.getenv(AdminBootstrap.ADMIN_PASSWORD_ENV)).map(app::attach))
              .compose(admin -> app.deploy(metrics, admin))
              .map(app)
              .recover(err -> app.stop().transform(x -> Future.failedFuture(err)));
        }));
  }

  /** The management API alone, or one of several instances sharing a Redis. */
  private AdminContext attach(AdminContext admin) {
    String url = config.redis().url();
    if (url == null) return admin.attach(live, pricing, reload);
    adminRedis = Redis.createClient(vertx, new RedisOptions().setConnectionString(url).setMaxPoolSize(4).setMaxPoolWaiting(10_000));
    return admin.attach(live, pricing, reload, notices, adminRedis, config.redis().prefix());
  }

  /**
   * With {@code redis.url}: every management change another instance announces makes this one
   * read channels, keys and prices again (its own changes were applied before they were announced).
   * Subscribed before the verticles start, so no change made after this instance loaded is missed;
   * a notice that arrives before the selector runs has nothing to reload (the selector's first
   * load is newer).
   */
  private Future<Void> listenForChanges() {
    String url = config.redis().url();
    if (url == null) return Future.succeededFuture();
    return ChangeNotices.redis(vertx, url, config.redis().prefix(), this::reloadFromStore).map(started -> {
      notices = started;
      return null;
    });
  }

  private void reloadFromStore() {
    if (!deployed) return; // still starting: the selector's first load is newer than the notice
    vertx.eventBus().request(Addresses.POOL_RELOAD, "reload")
        .onFailure(err -> LOG.warn("reload after another instance's change failed: {}", err.getMessage()));
    pricing.reload().onFailure(err -> LOG.warn("price reload after another instance's change failed: {}", err.getMessage()));
  }

  private Future<Void> deploy(GatewayMetrics metrics, AdminContext admin) {
    health = HealthShare.create(vertx, config);
    dispatcher = Dispatcher.create(vertx, config, health);
    int edges = config.server().instances() > 0 ? config.server().instances()
        : VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
    // Vert.x shares a server between edges by the port they ask for: asking for the first edge's
    // actual port would bind a second socket. A negative port is Vert.x's shared random port.
    int listenPort = config.server().port() == 0 ? -1 : config.server().port();
    // Vert.x gives each new context the next event loop in turn, and an HTTP client takes one for
    // its pool cleaner: made inside each edge's start, they put the edges on every other loop (4
    // edges on 2 of 4 loops, half the cores idle). Made first, the edges get consecutive loops.
    List<UpstreamClient> clients = new ArrayList<>();
    for (int i = 0; i < edges; i++) clients.add(new UpstreamClient(vertx, config.routing()));
    List<EdgeVerticle> started = new ArrayList<>();
    return seedLimits().compose(v -> deployOne(new SelectorVerticle(store, config.routing(), () -> RouteConfig.from(live.get(), prices(pricing)), metrics, health),
        new DeploymentOptions()))
        .compose(v -> deployOne(new PricingVerticle(pricing, config.pricing()), new DeploymentOptions()))
        .compose(v -> deployOne(new StatsVerticle(store, config.stats(), metrics, pricing), new DeploymentOptions()))
        .compose(v -> vertx.deployVerticle(TranslatorVerticle::new,
            new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER).setInstances(2)).onSuccess(deployments::add))
        .compose(v -> {
          Future<Void> chain = Future.succeededFuture();
          for (UpstreamClient client : clients) {
            chain = chain.compose(x -> deployEdge(metrics, listenPort, admin, client).map(edge -> {
              started.add(edge);
              return null;
            }));
          }
          return chain;
        })
        .onFailure(err -> clients.subList(started.size(), clients.size()).forEach(UpstreamClient::close))
        .compose(v -> {
          port = started.get(0).actualPort();
          edgeLoops = started.stream().map(EdgeVerticle::eventLoop).toList();
          long distinct = edgeLoops.stream().distinct().count();
          if (distinct < Math.min(edges, VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE)) {
            LOG.warn("{} edges share {} event loops ({}): some cores serve more edges than others", edges, distinct, edgeLoops);
          }
          return deployAdminListener(admin);
        })
        .onSuccess(v -> this.deployed = true);
  }

  /**
   * Without Redis the limits are counted in memory: before an edge serves, each key's budgets
   * and rpd start from what the database recorded this UTC day and month, so a restart does not
   * refill them. (Records still queued when an instance crashed are lost; a stop flushes them.)
   */
  private Future<Void> seedLimits() {
    if (config.redis().url() != null) return Future.succeededFuture();
    long now = System.currentTimeMillis();
    return store.keyUsage(Limit.Window.DAY.start(now), Limit.Window.MONTH.start(now)).map(usage -> {
      dispatcher.seed(usage, now);
      if (!usage.isEmpty()) LOG.info("limits of {} client key(s) seeded from this day's and month's usage", usage.size());
      return null;
    });
  }

  /** The management API's own listener, when it is configured apart from the gateway's. */
  private Future<Void> deployAdminListener(AdminContext admin) {
    if (admin == null || !admin.config().separateListener()) {
      return Future.succeededFuture();
    }
    AdminVerticle verticle = new AdminVerticle(admin);
    return deployOne(verticle, new DeploymentOptions()).onSuccess(v -> managementPort = verticle.actualPort());
  }

  private Future<EdgeVerticle> deployEdge(GatewayMetrics metrics, int atPort, AdminContext admin, UpstreamClient client) {
    boolean shared = admin != null && !admin.config().separateListener();
    EdgeVerticle edge = new EdgeVerticle(config, store, metrics, atPort, shared ? admin::mount : null, dispatcher,
        pricing, client);
    return vertx.deployVerticle(edge, new DeploymentOptions()).onSuccess(edgeDeployments::add).map(v -> edge);
  }

  private Future<Void> deployOne(io.vertx.core.Deployable verticle, DeploymentOptions options) {
    return vertx.deployVerticle(verticle, options).onSuccess(deployments::add).mapEmpty();
  }

  /** {@code lowest_cost} compares a model's input plus output price per million tokens, from the price book. */
  static RouteConfig.CostLookup prices(Pricing pricing) {
    return (channelId, channel, model) -> pricing.book().resolve(channelId, model, System.currentTimeMillis())
        .map(v -> v.price().input() == null || v.price().output() == null ? Double.NaN
            : v.price().input().add(v.price().output()).doubleValue())
        .orElse(Double.NaN);
  }

  /** Edges first (graceful), then the rest in reverse order; the stats verticle flushes as it stops. */
  public Future<Void> stop() {
    // All edges at once: while one drained, the others kept the shared socket open and took new
    // connections, so a stop waited out the whole grace period once per edge in turn.
    List<Future<Void>> edges = new ArrayList<>();
    for (String id : edgeDeployments) edges.add(vertx.undeploy(id));
    edgeDeployments.clear();
    Future<Void> chain = Future.join(edges).mapEmpty();
    List<String> reversed = new ArrayList<>(deployments);
    Collections.reverse(reversed);
    for (String id : reversed) {
      chain = chain.eventually(() -> vertx.undeploy(id));
    }
    deployments.clear();
    return chain
        .eventually(() -> notices.close())
        .eventually(() -> adminRedis == null ? Future.succeededFuture() : adminRedis.close())
        .eventually(() -> dispatcher == null ? Future.succeededFuture() : dispatcher.close())
        .eventually(health::close)
        .eventually(() -> demo == null ? Future.succeededFuture() : demo.close())
        .eventually(store::close);
  }

  /**
   * Limits, budgets and session affinity for the edges (Redis-backed with {@code redis.url}),
   * shared by every edge of this instance.
   */
  public Dispatcher dispatcher() {
    return dispatcher;
  }

  public int port() {
    return port;
  }

  /** Prices requests with the current price book; safe to call from any thread. */
  public Pricing pricing() {
    return pricing;
  }

  /** The event-loop thread of each edge, in deployment order. */
  public List<String> edgeLoops() {
    return edgeLoops;
  }

  /** The management API's own port, or -1 when it shares the gateway's listener or is off. */
  public int managementPort() {
    return managementPort;
  }

  public Store store() {
    return store;
  }

  /** The configuration in force (after any reload). */
  public SwitchboardConfig config() {
    return live.get();
  }

  /** Reads the configuration file again and applies what may change at run time. */
  public ConfigReload reloader() {
    return reload;
  }
}
