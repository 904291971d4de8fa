package dev.switchboard.testing;

import dev.switchboard.Switchboard;
import dev.switchboard.bus.Addresses;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.LiveConfig;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.metrics.GatewayMetrics;
import dev.switchboard.select.PoolSnapshot;
import dev.switchboard.store.SecretBox;
import dev.switchboard.store.Store;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real gateway for one test: its own SQLite file and master key under a temp directory, a
 * random port, the given channels and client keys, and short timeouts. The configuration goes
 * through {@link ConfigLoader#parse}, so tests exercise the real loader. Blocking helpers
 * ({@link #call}, {@link #flushStats}) are for the JUnit thread, never for an event loop.
 */
public final class TestGateway implements AutoCloseable {

  private static final String CONFIG_FILE = "switchboard.yaml";

  private final Vertx vertx;
  private final Path dir;
  private final SwitchboardConfig config;
  private final GatewayMetrics metrics;
  private HttpClient http;
  private Switchboard app;

  private TestGateway(Vertx vertx, Path dir, SwitchboardConfig config, GatewayMetrics metrics, Switchboard app) {
    this.vertx = vertx;
    this.dir = dir;
    this.config = config;
    this.metrics = metrics;
    this.app = app;
    this.http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(app.port()),
        new PoolOptions().setHttp1MaxSize(512));
  }

  public static Builder builder(Vertx vertx) {
    return new Builder(vertx);
  }

  /** A channel as YAML declares it: {@code name}, one base URL and its models. */
  public static JsonObject channel(String name, String baseUrl, String... models) {
    return new JsonObject().put("name", name).put("type", "openai").put("baseUrls", new JsonArray().add(baseUrl))
        .put("models", new JsonArray(List.of((Object[]) models)));
  }

  /** What a test sees of one HTTP answer. */
  public record Reply(int status, MultiMap headers, Buffer body) {
    public String header(String name) {
      return headers.get(name);
    }

    public JsonObject json() {
      return body.toJsonObject();
    }

    public String text() {
      return body.toString();
    }
  }

  /** The Vert.x instance the gateway runs on. */
  public Vertx vertx() {
    return vertx;
  }

  public int port() {
    return app.port();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  public HttpClient http() {
    return http;
  }

  public Store store() {
    return app.store();
  }

  /** The management API's own port, or -1 when it is served on {@link #port()}. */
  /** The event-loop thread of each edge, in deployment order. */
  public List<String> edgeLoops() {
    return app.edgeLoops();
  }

  public int managementPort() {
    return app.managementPort();
  }

  public SwitchboardConfig config() {
    return config;
  }

  public GatewayMetrics metrics() {
    return metrics;
  }

  /** The pool as the selector holds it now (what edges pick from once they hear of it). */
  public PoolSnapshot pool() {
    return vertx.eventBus().<PoolSnapshot>request(Addresses.POOL_CURRENT, "current").await().body();
  }

  /** The configuration file the gateway was started from: rewrite it, then reload. */
  public Path configFile() {
    return dir.resolve(CONFIG_FILE);
  }

  public Path databaseFile() {
    return Path.of(config.database().url());
  }

  /** Sends a request and reads the whole answer; the future fails if the connection breaks first. */
  public Future<Reply> send(HttpMethod method, String path, String clientKey, Buffer body, MultiMap extraHeaders) {
    RequestOptions options = new RequestOptions().setMethod(method).setURI(path);
    return http.request(options).compose(req -> {
      if (clientKey != null) req.putHeader("authorization", "Bearer " + clientKey);
      if (extraHeaders != null) req.headers().addAll(extraHeaders);
      if (body != null) req.putHeader("content-type", "application/json");
      return (body == null ? req.send() : req.send(body))
          .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b)));
    });
  }

  public Future<Reply> post(String path, String clientKey, JsonObject body) {
    return send(HttpMethod.POST, path, clientKey, body.toBuffer(), null);
  }

  /** {@code POST /v1/chat/completions}, waited for on the calling (JUnit) thread. */
  public Reply call(String clientKey, JsonObject body) {
    return post("/v1/chat/completions", clientKey, body).await();
  }

  public Reply get(String path, String clientKey) {
    return send(HttpMethod.GET, path, clientKey, null, null).await();
  }

  /** Opens a chat request and returns once the response head is in; the body is left to the test. */
  public Future<HttpClientResponse> open(String clientKey, JsonObject body) {
    return http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/chat/completions"))
        .compose(req -> {
          req.putHeader("authorization", "Bearer " + clientKey).putHeader("content-type", "application/json");
          return req.send(body.toBuffer());
        });
  }

  /** Opens a raw request the test writes itself (for chunked bodies). */
  public Future<HttpClientRequest> request(String path) {
    return http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(path));
  }

  /** Asks the stats verticle to write everything it holds; returns how many records it wrote. */
  public long flushStats() {
    return vertx.eventBus().<Long>request(Addresses.USAGE_FLUSH, "flush").await().body();
  }

  /**
   * Flushes until the database holds at least {@code expected} usage records. Edges report a
   * call just after its last byte is written, so a record can trail the client's answer a little.
   */
  public long awaitUsageCount(long expected) {
    long count = 0;
    for (int i = 0; i < 200; i++) {
      flushStats();
      count = store().countUsage().await();
      if (count >= expected) return count;
      delay(vertx, 10).await();
    }
    return count;
  }

  /** Rows of a test-only query on the SQLite file, read with plain JDBC on the calling thread. */
  public List<Map<String, Object>> query(String sql) {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + databaseFile());
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      List<Map<String, Object>> rows = new ArrayList<>();
      ResultSetMetaData meta = rs.getMetaData();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(meta.getColumnLabel(i), rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("test query failed: " + sql, e);
    }
  }

  /** Stops the gateway the way SIGTERM does: graceful edges, stats flushed, store closed. */
  public Future<Void> stopAsync() {
    if (app == null) return Future.succeededFuture();
    Switchboard running = app;
    app = null;
    return running.stop();
  }

  public void stop() {
    stopAsync().await();
  }

  /** Stops the gateway as SIGTERM does and starts it again on the same database and configuration. */
  public void restart() {
    stop();
    app = Switchboard.start(vertx, config, metrics).await();
    http.close();
    http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(app.port()),
        new PoolOptions().setHttp1MaxSize(512));
  }

  /** Opens the stopped gateway's database again, with the same master key, to inspect what it left. */
  public Store reopenStore() {
    SecretBox secrets = SecretBox.load(Path.of(config.security().masterKeyFile()));
    return Store.open(vertx, config.database(), secrets).await();
  }

  @Override
  public void close() {
    try {
      stop();
    } finally {
      http.close();
      deleteTree(dir);
    }
  }

  /** A future that completes after {@code ms}, for bounded polling without blocking a thread on sleep. */
  public static Future<Void> delay(Vertx vertx, long ms) {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(ms, id -> p.complete());
    return p.future();
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp dir is harmless
    }
  }

  /** Collects the YAML tree of a test gateway; {@link #start()} loads it and starts the gateway. */
  public static final class Builder {
    private final Vertx vertx;
    private final JsonArray channels = new JsonArray();
    private final JsonArray apiKeys = new JsonArray();
    private final JsonObject server = new JsonObject().put("host", "127.0.0.1").put("port", 0).put("instances", 1)
        .put("shutdownGrace", "5s");
    private final JsonObject routing = new JsonObject().put("retries", 2).put("connectTimeout", "2s")
        .put("firstByteTimeout", "10s").put("idleTimeout", "10s").put("retryBackoff", "10ms");
    private final JsonObject limits = new JsonObject();
    private final JsonObject stats = new JsonObject().put("flushInterval", "50ms");
    // no catalogue sync: tests never reach out to the network
    private final JsonObject pricing = new JsonObject().put("syncInterval", 0);
    private final JsonObject management = new JsonObject();
    private final JsonArray groups = new JsonArray();
    private final JsonObject aliases = new JsonObject();
    private final JsonObject redis = new JsonObject();
    private JsonObject database;
    private String masterKeyFile;
    private GatewayMetrics metrics;

    private Builder(Vertx vertx) {
      this.vertx = vertx;
    }

    public Builder channel(JsonObject channel) {
      channels.add(channel);
      return this;
    }

    /** A client key allowed the given models (all models when none are given). */
    public Builder clientKey(String name, String key, String... models) {
      JsonObject k = new JsonObject().put("name", name).put("key", key);
      if (models.length > 0) k.put("models", new JsonArray(List.of((Object[]) models)));
      apiKeys.add(k);
      return this;
    }

    /**
     * A client key as YAML declares it, for keys with {@code limits} ({@code rpm, tpm, rpd,
     * maxConcurrent, budgetPerDay, budgetPerMonth}) or {@code expiresAt}.
     */
    public Builder apiKey(JsonObject key) {
      apiKeys.add(key);
      return this;
    }

    /** A {@code groups} entry: {@code name}, {@code strategy} + {@code members}, or {@code tiers}. */
    public Builder group(JsonObject group) {
      groups.add(group);
      return this;
    }

    /** An {@code aliases} entry: another name for an exposed model. */
    public Builder alias(String name, String target) {
      aliases.put(name, target);
      return this;
    }

    /**
     * The {@code database} section ({@code type}, {@code url}); by default a SQLite file of the
     * gateway's own. Two gateways given the same database (and master key) act as two instances.
     */
    public Builder database(String type, String url) {
      database = new JsonObject().put("type", type).put("url", url);
      return this;
    }

    /** {@code security.masterKeyFile}; by default a file of the gateway's own, created on start. */
    public Builder masterKeyFile(Path file) {
      masterKeyFile = file.toString();
      return this;
    }

    /** Another database than the temp SQLite file: {@code type}, {@code url}, {@code poolSize}. */
    public Builder database(JsonObject database) {
      this.database = database;
      return this;
    }

    /** {@code redis.url}: limits, budgets and session bindings in that Redis. */
    public Builder redis(String url) {
      redis.put("url", url);
      return this;
    }

    /** {@code redis.prefix}: the keys and health channel of this deployment in that Redis. */
    public Builder redisPrefix(String prefix) {
      redis.put("prefix", prefix);
      return this;
    }

    /** A {@code routing} key: retries, connectTimeout, firstByteTimeout, idleTimeout, retryBackoff. */
    public Builder routing(String key, Object value) {
      routing.put(key, value);
      return this;
    }

    /** A {@code limits} key: maxBodyBytes, maxSseEventBytes. */
    public Builder limits(String key, Object value) {
      limits.put(key, value);
      return this;
    }

    /** A {@code server} key: instances, shutdownGrace. */
    public Builder server(String key, Object value) {
      server.put(key, value);
      return this;
    }

    /** A {@code management} key: enabled, port, host, jwtAlgorithm, corsOrigins, loginMaxAttempts... */
    public Builder management(String key, Object value) {
      management.put(key, value);
      return this;
    }

    public Builder stats(String key, Object value) {
      stats.put(key, value);
      return this;
    }

    /** A {@code pricing} key: catalogueUrl, syncInterval, models, channels. */
    public Builder pricing(String key, Object value) {
      pricing.put(key, value);
      return this;
    }

    public Builder metrics(GatewayMetrics metrics) {
      this.metrics = metrics;
      return this;
    }

    /** The YAML-shaped tree the loader will see. */
    public JsonObject yaml(Path dir) {
      JsonObject yaml = new JsonObject()
          .put("server", server.copy())
          .put("database", database != null ? database.copy()
              : new JsonObject().put("type", "sqlite").put("url", dir.resolve("switchboard.db").toString()))
          .put("security", new JsonObject().put("masterKeyFile",
              masterKeyFile != null ? masterKeyFile : dir.resolve("master.key").toString()))
          .put("limits", limits.copy())
          .put("routing", routing.copy())
          .put("stats", stats.copy())
          .put("pricing", pricing.copy())
          .put("management", management.copy())
          .put("channels", channels.copy())
          .put("apiKeys", apiKeys.copy());
      if (!groups.isEmpty()) yaml.put("groups", groups.copy());
      if (!aliases.isEmpty()) yaml.put("aliases", aliases.copy());
      if (!redis.isEmpty()) yaml.put("redis", redis.copy());
      return yaml;
    }

    /** Loads the configuration and starts the gateway; waits on the calling (JUnit) thread. */
    public TestGateway start() {
      Path dir;
      try {
        dir = Files.createTempDirectory("switchboard-it-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      JsonObject tree = yaml(dir);
      SwitchboardConfig config = ConfigLoader.parse(tree, Map.of());
      // written out (JSON is YAML) so a configuration reload has a file to read again
      Path file = dir.resolve(CONFIG_FILE);
      try {
        Files.writeString(file, tree.encodePrettily());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      GatewayMetrics m = metrics != null ? metrics : GatewayMetrics.standalone();
      Switchboard app = Switchboard.start(vertx, new LiveConfig(config,
          () -> ConfigLoader.load(vertx, file.toString(), true, Map.of())), m).await();
      return new TestGateway(vertx, dir, config, m, app);
    }
  }
}
