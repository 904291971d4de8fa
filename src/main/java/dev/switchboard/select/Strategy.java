package dev.switchboard.select;

import java.util.Locale;

/** How a tier chooses among its usable targets. Names are the configuration's. */
public enum Strategy {
  /** In turn; each edge keeps its own counter, so picks need no lock. */
  ROUND_ROBIN,
  /** Uniformly at random. */
  RANDOM,
  /** In proportion to the member's weight; a member's credentials share its weight. */
  WEIGHTED,
  /** The first usable target in declared order: later ones only when earlier ones are not usable. */
  FAILOVER,
  /** The target this edge used longest ago. */
  LRU,
  /** The target this edge has sent the fewest requests to. */
  LEAST_USED,
  /** The target whose channel has the most quota left (no quota counts as unlimited). */
  MOST_REMAINING,
  /** The earliest created credential (lowest id) first. */
  OLDEST_FIRST,
  /** The lowest EWMA of time to first token; unmeasured targets are tried first, others now and then. */
  LOWEST_LATENCY,
  /** The lowest cost of the member (its {@code cost}, or the pluggable price lookup). */
  LOWEST_COST,
  /** Stay on one target until it is not usable, then move on to the next and stay there. */
  FILL_FIRST;

  public static Strategy of(String name) {
    return valueOf(name.trim().toUpperCase(Locale.ROOT));
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
