package dev.switchboard.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.pricing.PriceVersion.Scope;
import dev.switchboard.stats.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriceBookTest {

  private static PriceVersion v(long id, Scope scope, long channel, long from, String input) {
    return new PriceVersion(id, scope, channel, "m", from, ModelPrice.of(input, "0"), "test");
  }

  private static long resolved(PriceBook book, long channel, long at) {
    return book.resolve(channel, "m", at).map(PriceVersion::id).orElse(-1L);
  }

  @Test
  void aChannelPriceWinsOverTheOperatorDefaultWhichWinsOverTheCatalogue() {
    PriceBook book = new PriceBook(List.of(
        v(1, Scope.CATALOGUE, 0, 1_000, "1"),
        v(2, Scope.DEFAULT, 0, 1_000, "2"),
        v(3, Scope.CHANNEL, 7, 1_000, "3")));
    assertEquals(3, resolved(book, 7, 5_000));
    assertEquals(2, resolved(book, 8, 5_000), "another channel gets the operator default");
    assertEquals(2, resolved(book, 0, 5_000));
    assertEquals(1, resolved(new PriceBook(List.of(v(1, Scope.CATALOGUE, 0, 1_000, "1"))), 7, 5_000));
    assertTrue(book.resolve(7, "other-model", 5_000).isEmpty());
    assertTrue(book.resolve(7, null, 5_000).isEmpty());
  }

  @Test
  void aRequestIsPricedWithTheVersionInEffectAtItsTime() {
    PriceBook book = new PriceBook(List.of(
        v(10, Scope.CATALOGUE, 0, 1_000, "1"),
        v(11, Scope.CATALOGUE, 0, 2_000, "5"),
        v(12, Scope.DEFAULT, 0, 3_000, "9")));
    assertEquals(-1, resolved(book, 0, 999), "before any price: unpriced");
    assertEquals(10, resolved(book, 0, 1_000));
    assertEquals(10, resolved(book, 0, 1_999));
    assertEquals(11, resolved(book, 0, 2_000));
    assertEquals(12, resolved(book, 0, 3_000), "a newer operator price takes over only from its own time");
    assertEquals(11, resolved(book, 0, 2_999));

    Pricing pricing = () -> book;
    Usage million = new Usage(1_000_000, 0, 0, 0);
    assertEquals(new Cost(1_000_000_000L, 10), pricing.cost(0, "m", million, 1_500).orElseThrow());
    assertEquals(new Cost(5_000_000_000L, 11), pricing.cost(0, "m", million, 2_500).orElseThrow());
  }

  @Test
  void aWithdrawnPriceFallsThroughToTheNextLevelFromItsTime() {
    PriceBook book = new PriceBook(List.of(
        v(1, Scope.CATALOGUE, 0, 0, "1"),
        v(2, Scope.CHANNEL, 7, 1_000, "3"),
        new PriceVersion(3, Scope.CHANNEL, 7, "m", 2_000, ModelPrice.WITHDRAWN, "config")));
    assertEquals(2, resolved(book, 7, 1_500));
    assertEquals(1, resolved(book, 7, 2_500));
    assertEquals(3, book.latest(Scope.CHANNEL, 7, "m").orElseThrow().id());
  }
}
