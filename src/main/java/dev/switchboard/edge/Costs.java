package dev.switchboard.edge;

import dev.switchboard.pricing.Cost;
import dev.switchboard.pricing.Pricing;
import dev.switchboard.stats.Usage;
import java.util.Optional;

/** What an answer cost with the price book in force: for key budgets, channel quotas and the client. */
final class Costs {

  private final Pricing pricing;

  Costs(Pricing pricing) {
    this.pricing = pricing;
  }

  /** Billionths of the prices' currency, 0 when unknown. */
  long nanos(Call call) {
    return priced(call, call.usage).map(Cost::nanos).orElse(0L);
  }

  /** Whether the call's key asked to be told what its answers cost. */
  static boolean returned(Call call) {
    return call.key != null && call.key.returnCost();
  }

  /** As the client is shown it, or null when the key did not ask or the answer is unpriced. */
  String shown(Call call) {
    return shown(call, call.usage);
  }

  /** {@link #shown(Call)} for the usage known so far (a stream's). */
  String shown(Call call, Usage usage) {
    return returned(call) ? priced(call, usage).map(Cost::display).orElse(null) : null;
  }

  /** The upstream model's price, else the exposed model's, for the channel that answered. */
  private Optional<Cost> priced(Call call, Usage usage) {
    if (usage == null || call.lease == null) return Optional.empty();
    return pricing.cost(call.lease.channelId(), call.lease.upstreamModel(), usage, call.startMs)
        .or(() -> pricing.cost(call.lease.channelId(), call.model, usage, call.startMs));
  }
}
