package dev.switchboard.edge;

import dev.switchboard.pricing.Cost;
import dev.switchboard.pricing.Pricing;
import java.util.Optional;

/** What an answer cost with the price book in force: for key budgets and the cost header. */
final class Costs {

  private final Pricing pricing;

  Costs(Pricing pricing) {
    this.pricing = pricing;
  }

  /** In the currency of the prices, 0 when unknown. */
  double amount(Call call) {
    return priced(call).map(c -> c.amount().doubleValue()).orElse(0.0);
  }

  /** As the response header shows it, or null when the answer is unpriced. */
  String display(Call call) {
    return priced(call).map(Cost::display).orElse(null);
  }

  /** The upstream model's price, else the exposed model's, for the channel that answered. */
  private Optional<Cost> priced(Call call) {
    if (call.usage == null || call.lease == null) return Optional.empty();
    return pricing.cost(call.lease.channelId(), call.lease.upstreamModel(), call.usage, call.startMs)
        .or(() -> pricing.cost(call.lease.channelId(), call.model, call.usage, call.startMs));
  }
}
