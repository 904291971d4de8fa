package dev.switchboard.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.pricing.PriceVersion.Scope;
import dev.switchboard.stats.Usage;
import dev.switchboard.store.SecretBox;
import dev.switchboard.store.Store;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The catalogue sync against a local HTTP server that serves whatever the test sets. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class CatalogueSyncTest {

  @TempDir
  Path dir;

  private Vertx vertx;
  private Store store;
  private HttpServer server;
  private final AtomicReference<String> body = new AtomicReference<>();
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicInteger fetches = new AtomicInteger();
  private final AtomicLong clock = new AtomicLong(1_000);
  private PriceService prices;
  private CatalogueSync sync;

  private static final Usage MILLION_IN = new Usage(1_000_000, 0, 0, 0);

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    store = Store.open(vertx, new SwitchboardConfig.Database("sqlite", dir.resolve("sb.db").toString(), 1),
        SecretBox.of(new byte[32])).await();
    server = vertx.createHttpServer().requestHandler(req -> {
      fetches.incrementAndGet();
      req.response().setStatusCode(status.get()).putHeader("content-type", "application/json").end(body.get());
    }).listen(0, "127.0.0.1").await();
    prices = new PriceService(store, clock::get);
    sync = new CatalogueSync(vertx, prices, "http://127.0.0.1:" + server.actualPort() + "/api.json");
  }

  @AfterEach
  void stop() {
    if (sync != null) sync.close().await();
    if (server != null) server.close().await();
    if (store != null) store.close().await();
  }

  /** models.dev shape: a vendor and a reseller both list claude-x; only the reseller lists y. */
  private static String catalogue(String claudeOutput) {
    return new JsonObject()
        .put("openrouter", new JsonObject().put("id", "openrouter").put("models", new JsonObject()
            .put("claude-x", model(new JsonObject().put("input", 4).put("output", 20)))
            .put("y", model(new JsonObject().put("input", 0.15).put("output", 0.6)))
            .put("free", new JsonObject().put("id", "free"))))
        .put("anthropic", new JsonObject().put("id", "anthropic").put("models", new JsonObject()
            .put("claude-x", model(new JsonObject().put("input", 3).put("output", new BigDecimal(claudeOutput))
                .put("cache_read", 0.3).put("cache_write", 3.75)))))
        .encode();
  }

  private static JsonObject model(JsonObject cost) {
    return new JsonObject().put("name", "a model").put("limit", new JsonObject().put("context", 200000))
        .put("cost", cost);
  }

  private BigDecimal inputPriceNow(String model) {
    return prices.book().resolve(0, model, Long.MAX_VALUE).orElseThrow().price().input();
  }

  @Test
  void storesTheCatalogueAndLaterOnlyThePricesThatChanged() {
    body.set(catalogue("15"));
    assertEquals(2, sync.run().await(), "claude-x (the vendor's listing) and y; a model without cost is skipped");
    PriceVersion claude = prices.book().resolve(0, "claude-x", 1_000).orElseThrow();
    assertEquals(Scope.CATALOGUE, claude.scope());
    assertEquals(ModelPrice.of("3", "15").withCacheRead("0.3").withCacheWrites("3.75", "6"), claude.price(),
        "a one-hour write is twice the input price at Anthropic");
    assertEquals(null, prices.book().resolve(0, "y", 1_000).orElseThrow().price().cacheWrite1h());
    assertEquals(new BigDecimal("0.15"), inputPriceNow("y"));

    clock.set(2_000);
    assertEquals(0, sync.run().await(), "the same catalogue again stores nothing");
    assertEquals(2, store.prices().await().size());

    clock.set(3_000);
    body.set(catalogue("16"));
    assertEquals(1, sync.run().await());
    assertEquals(3, store.prices().await().size());
    Usage millionOut = new Usage(0, 1_000_000, 0, 0);
    assertEquals(15_000_000_000L, prices.cost(0, "claude-x", millionOut, 2_999).orElseThrow().nanos(),
        "a request before the change keeps its price");
    assertEquals(16_000_000_000L, prices.cost(0, "claude-x", millionOut, 3_000).orElseThrow().nanos());
  }

  @Test
  void aMalformedCatalogueKeepsTheOldPricesAndIsLoggedOnce() {
    body.set(catalogue("15"));
    sync.run().await();
    int versions = store.prices().await().size();

    for (String bad : new String[] {"{not json", "[1, 2]", "{\"anthropic\": {\"models\": {\"m\": {\"cost\": "
        + "{\"input\": \"cheap\"}}}}}", "{\"status\": \"ok\"}"}) {
      body.set(bad);
      assertThrows(RuntimeException.class, () -> sync.run().await(), bad);
    }
    assertEquals(4 + 1, fetches.get());
    assertEquals(1, sync.problemsLogged(), "one warning for the whole run of malformed catalogues");
    assertEquals(versions, store.prices().await().size());
    assertEquals(new BigDecimal("3"), inputPriceNow("claude-x"));

    body.set(catalogue("15"));
    sync.run().await();
    body.set("{not json");
    assertThrows(RuntimeException.class, () -> sync.run().await());
    assertEquals(2, sync.problemsLogged(), "a new failure after a success is logged again");
  }

  @Test
  void anUnreachableOrFailingCatalogueKeepsTheStoredPrices() {
    prices.applyCatalogue(Map.of("claude-x", ModelPrice.of("3", "15"))).await();
    HttpServer closed = vertx.createHttpServer().requestHandler(req -> req.response().end())
        .listen(0, "127.0.0.1").await();
    int port = closed.actualPort();
    closed.close().await();
    CatalogueSync unreachable = new CatalogueSync(vertx, prices, "http://127.0.0.1:" + port + "/api.json");
    try {
      RuntimeException e = assertThrows(RuntimeException.class, () -> unreachable.run().await());
      assertTrue(e.getMessage().startsWith("unreachable"), e.getMessage());
      assertThrows(RuntimeException.class, () -> unreachable.run().await());
      assertEquals(1, unreachable.problemsLogged());
    } finally {
      unreachable.close().await();
    }
    status.set(503);
    body.set("{}");
    assertThrows(RuntimeException.class, () -> sync.run().await());
    assertEquals(1, store.prices().await().size());
    assertEquals(1_000_000_000L * 3, prices.cost(0, "claude-x", MILLION_IN, clock.get()).orElseThrow().nanos());
  }

  @Test
  void startUpDoesNotWaitForTheCatalogue() {
    // a catalogue server that never answers: deploying pricing must still complete at once
    HttpServer silent = vertx.createHttpServer().requestHandler(req -> { }).listen(0, "127.0.0.1").await();
    try {
      SwitchboardConfig.Pricing config = new SwitchboardConfig.Pricing(
          "http://127.0.0.1:" + silent.actualPort() + "/api.json", 3_600_000, Map.of("own",
              new SwitchboardConfig.Price(BigDecimal.ONE, BigDecimal.TEN, null, null, null, null)), Map.of());
      long started = System.nanoTime();
      vertx.deployVerticle(new PricingVerticle(prices, config)).await();
      assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5));
      assertEquals(BigDecimal.ONE, prices.book().resolve(0, "own", Long.MAX_VALUE).orElseThrow().price().input(),
          "the configured prices are stored before start completes");
    } finally {
      silent.close().await();
    }
  }
}
