package dev.switchboard.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.pricing.PriceVersion.Scope;
import dev.switchboard.stats.Usage;
import dev.switchboard.store.Channel;
import dev.switchboard.store.SecretBox;
import dev.switchboard.store.Store;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Configured prices stored as versions: only changes, channels by name, withdrawals. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class PriceServiceTest {

  @TempDir
  Path dir;

  private Store store;
  private final AtomicLong clock = new AtomicLong(1_000);
  private PriceService prices;
  private long alpha;

  private static final Usage MILLION_IN = new Usage(1_000_000, 0, 0, 0);

  @BeforeEach
  void open(Vertx vertx) {
    store = Store.open(vertx, new SwitchboardConfig.Database("sqlite", dir.resolve("sb.db").toString(), 1),
        SecretBox.of(new byte[32])).await();
    store.syncDeclaredChannels(List.of(new SwitchboardConfig.ChannelConfig("alpha", "openai",
        List.of("https://a.example/v1"), List.of(), List.of("m"), Map.of(), 0, 1))).await();
    alpha = store.channels().await().stream().filter(c -> c.name().equals("alpha")).findFirst()
        .map(Channel::id).orElseThrow();
    prices = new PriceService(store, clock::get);
  }

  @AfterEach
  void close() {
    if (store != null) store.close().await();
  }

  private static SwitchboardConfig.Price price(String input) {
    return new SwitchboardConfig.Price(new BigDecimal(input), BigDecimal.ZERO, null, null, null, null);
  }

  private static SwitchboardConfig.Pricing config(Map<String, SwitchboardConfig.Price> models,
      Map<String, Map<String, SwitchboardConfig.Price>> channels) {
    return new SwitchboardConfig.Pricing("https://models.dev/api.json", 0, models, channels);
  }

  private long nanos(long channel, long at) {
    return prices.cost(channel, "m", MILLION_IN, at).map(Cost::nanos).orElse(-1L);
  }

  @Test
  void storesConfiguredPricesOnceAndANewVersionOnlyWhenOneChanges() {
    prices.applyCatalogue(Map.of("m", ModelPrice.of("1", "0"))).await();
    var cfg = config(Map.of("m", price("2")), Map.of("alpha", Map.of("m", price("3")), "ghost",
        Map.of("m", price("9"))));
    assertEquals(2, prices.syncDeclared(cfg).await(), "the default and alpha's; no channel is called ghost");
    assertEquals(3_000_000_000L, nanos(alpha, 1_000));
    assertEquals(2_000_000_000L, nanos(alpha + 1, 1_000));

    clock.set(2_000);
    assertEquals(0, prices.syncDeclared(config(Map.of("m", price("2.00")), Map.of("alpha",
        Map.of("m", price("3"))))).await(), "2.00 is the price 2: nothing changed");

    clock.set(3_000);
    assertEquals(1, prices.syncDeclared(config(Map.of("m", price("2.5")), Map.of("alpha",
        Map.of("m", price("3"))))).await());
    assertEquals(2_000_000_000L, nanos(0, 2_999), "the past keeps its price");
    assertEquals(2_500_000_000L, nanos(0, 3_000));

    clock.set(4_000);
    assertEquals(1, prices.syncDeclared(config(Map.of("m", price("2.5")), Map.of())).await(),
        "alpha's price is withdrawn");
    assertEquals(2_500_000_000L, nanos(alpha, 4_000), "alpha falls back to the operator default");
    assertEquals(3_000_000_000L, nanos(alpha, 3_999));
    assertTrue(prices.book().latest(Scope.CHANNEL, alpha, "m").orElseThrow().price().withdrawn());

    clock.set(5_000);
    assertEquals(1, prices.syncDeclared(config(Map.of(), Map.of())).await());
    assertEquals(1_000_000_000L, nanos(alpha, 5_000), "then to the catalogue");
    assertEquals(0, prices.syncDeclared(config(Map.of(), Map.of())).await(), "a withdrawal is stored once");

    // what another process stores (the management API) is read by a reload
    store.insertPrices(List.of(PriceVersion.of(Scope.DEFAULT, 0, "m", 6_000, ModelPrice.of("7", "0"), "api")))
        .await();
    prices.reload().await();
    assertEquals(7_000_000_000L, nanos(0, 6_000));
    assertEquals(0, prices.syncDeclared(config(Map.of(), Map.of())).await(), "a price set by the API is left alone");
  }
}
