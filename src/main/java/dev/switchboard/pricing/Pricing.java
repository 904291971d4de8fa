package dev.switchboard.pricing;

import dev.switchboard.stats.Usage;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Prices requests. Reads the latest {@link PriceBook} and never blocks, so the edge may call it
 * on an event loop (to return the cost to the client) and the stats verticle prices every
 * record it writes.
 */
public interface Pricing {

  /** Prices nothing: every record stays unpriced. */
  Pricing NONE = () -> PriceBook.EMPTY;

  /** Pricing over whatever book {@code book} returns at the time of the call. */
  static Pricing of(Supplier<PriceBook> book) {
    return book::get;
  }

  /** The current book. */
  PriceBook book();

  /**
   * The cost of {@code usage} for {@code model} over channel {@code channelId} ({@code 0} when
   * none) with the prices in effect at {@code atMs}; empty when no level prices the model.
   */
  default Optional<Cost> cost(long channelId, String model, Usage usage, long atMs) {
    return book().resolve(channelId, model, atMs)
        .map(v -> new Cost(CostCalculator.nanos(v.price(), usage), v.id()));
  }
}
