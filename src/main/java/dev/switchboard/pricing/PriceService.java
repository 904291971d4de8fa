package dev.switchboard.pricing;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.store.Channel;
import dev.switchboard.store.Store;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner of the {@link PriceBook}: loads it from the store, stores the configured prices
 * and the catalogue's as new versions when they change, and swaps in the rebuilt book. Readers
 * ({@link #book()}, {@link #cost}) never wait and may run on any thread.
 */
public final class PriceService implements Pricing {

  private static final Logger log = LoggerFactory.getLogger(PriceService.class);

  private final Store store;
  private final LongSupplier clock;
  private volatile PriceBook book = PriceBook.EMPTY;

  public PriceService(Store store) {
    this(store, System::currentTimeMillis);
  }

  /** With {@code clock} the time new versions take effect (tests step it). */
  public PriceService(Store store, LongSupplier clock) {
    this.store = store;
    this.clock = clock;
  }

  @Override
  public PriceBook book() {
    return book;
  }

  /** Reads every stored version into a new book. */
  public Future<PriceBook> reload() {
    return store.prices().map(all -> {
      PriceBook next = new PriceBook(all);
      book = next;
      return next;
    });
  }

  /**
   * Makes the stored operator prices equal {@code pricing.models} and {@code pricing.channels}
   * (channels by name; a name no channel has is skipped with a warning). Completes with how
   * many versions were stored.
   */
  public Future<Integer> syncDeclared(SwitchboardConfig.Pricing config) {
    return store.channels().compose(channels -> reload().compose(current -> {
      Map<String, Long> ids = new HashMap<>();
      for (Channel c : channels) ids.put(c.name(), c.id());
      Map<Long, Map<String, ModelPrice>> byChannel = new LinkedHashMap<>();
      config.channels().forEach((name, models) -> {
        Long id = ids.get(name);
        if (id == null) {
          log.warn("pricing.channels.{}: no channel of that name; its prices are not used", name);
        } else {
          byChannel.put(id, convert(models));
        }
      });
      List<PriceVersion> changes = PriceChanges.declared(current, convert(config.models()), byChannel,
          clock.getAsLong());
      return store(changes);
    }));
  }

  /** Stores catalogue prices that changed; completes with how many versions were stored. */
  public Future<Integer> applyCatalogue(Map<String, ModelPrice> catalogue) {
    return reload().compose(current -> store(PriceChanges.catalogue(current, catalogue, clock.getAsLong())));
  }

  private Future<Integer> store(List<PriceVersion> changes) {
    if (changes.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return store.insertPrices(changes).compose(v -> reload()).map(b -> changes.size());
  }

  static ModelPrice convert(SwitchboardConfig.Price p) {
    return new ModelPrice(p.input(), p.output(), p.cacheRead(), p.cacheWrite5m(), p.cacheWrite1h(), p.reasoning());
  }

  private static Map<String, ModelPrice> convert(Map<String, SwitchboardConfig.Price> prices) {
    Map<String, ModelPrice> out = new LinkedHashMap<>();
    prices.forEach((model, p) -> out.put(model, convert(p)));
    return out;
  }
}
