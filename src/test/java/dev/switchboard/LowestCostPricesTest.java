package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.pricing.ModelPrice;
import dev.switchboard.pricing.PriceBook;
import dev.switchboard.pricing.PriceVersion;
import dev.switchboard.pricing.PriceVersion.Scope;
import dev.switchboard.pricing.Pricing;
import dev.switchboard.select.RouteConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** lowest_cost reads the price book: a channel's own price, else the default, else nothing (NaN). */
class LowestCostPricesTest {

  @Test
  void theCostOfAMemberIsItsInputPlusOutputPriceFromThePriceBook() {
    PriceBook book = new PriceBook(List.of(
        new PriceVersion(1, Scope.DEFAULT, 0, "gpt-4o", 0, ModelPrice.of("2.50", "10.00"), "config"),
        new PriceVersion(2, Scope.CHANNEL, 7, "gpt-4o", 0, ModelPrice.of("2.00", "8.00"), "config")));
    RouteConfig.CostLookup costs = Switchboard.prices(Pricing.of(() -> book));
    assertEquals(12.5, costs.cost(1, "a", "gpt-4o"), 1e-9);
    assertEquals(10.0, costs.cost(7, "reseller", "gpt-4o"), 1e-9);
    assertTrue(Double.isNaN(costs.cost(1, "a", "unpriced")));
  }
}
