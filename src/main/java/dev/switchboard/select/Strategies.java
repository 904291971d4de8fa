package dev.switchboard.select;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The strategies: each chooses one of a tier's usable candidates (never empty, in declared
 * order) or null when none may be chosen (every weight 0). Pure except for the per-edge
 * {@link PickState}; no allocation beyond the caller's list.
 */
final class Strategies {

  /** Share of picks {@code lowest_latency} sends elsewhere so the others stay measured. */
  static final double EXPLORE = 0.05;

  private Strategies() {}

  static Candidate choose(Tier tier, List<Candidate> usable, PickState state, Telemetry telemetry, RouteConfig.CostLookup costs) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int n = usable.size();
    return switch (tier.strategy()) {
      case ROUND_ROBIN -> usable.get((int) Math.floorMod(state.nextTurn(tier.key()), (long) n));
      case RANDOM -> usable.get(random.nextInt(n));
      case WEIGHTED -> weighted(usable, random);
      case FAILOVER -> usable.get(0);
      case LRU -> min(usable, c -> state.lastUsed(c.target()), random, false);
      case LEAST_USED -> min(usable, c -> state.uses(c.target()), random, false);
      case MOST_REMAINING -> min(usable, c -> -telemetry.remaining(c.channel().id(), c.credential() == null ? 0 : c.credential().id()),
          random, true);
      case OLDEST_FIRST -> min(usable, Candidate::age, random, false);
      case LOWEST_COST -> minDouble(usable, c -> {
        double price = costs.cost(c.channel().id(), c.channel().name(), c.upstreamModel());
        return Double.isNaN(price) ? c.cost() : price;
      }, random);
      case LOWEST_LATENCY -> lowestLatency(usable, telemetry, random);
      case FILL_FIRST -> fillFirst(tier, usable, state);
    };
  }

  /** A member's weight is shared by its usable credentials, so a member keeps its share as keys drop out. */
  private static Candidate weighted(List<Candidate> usable, ThreadLocalRandom random) {
    int members = 0;
    for (Candidate c : usable) members = Math.max(members, c.member() + 1);
    int[] siblings = new int[members];
    for (Candidate c : usable) siblings[c.member()]++;
    double total = 0;
    for (Candidate c : usable) total += (double) c.weight() / siblings[c.member()];
    if (total <= 0) return null;
    double ticket = random.nextDouble(total);
    Candidate last = null;
    for (Candidate c : usable) {
      double w = (double) c.weight() / siblings[c.member()];
      if (w <= 0) continue;
      last = c;
      if (ticket < w) return c;
      ticket -= w;
    }
    return last; // rounding
  }

  private interface Score {
    long of(Candidate c);
  }

  private interface DoubleScore {
    double of(Candidate c);
  }

  /** Lowest score; ties go to the first, or to a random one of them when {@code shuffleTies}. */
  private static Candidate min(List<Candidate> usable, Score score, ThreadLocalRandom random, boolean shuffleTies) {
    Candidate best = null;
    long bestScore = 0;
    int ties = 0;
    for (Candidate c : usable) {
      long s = score.of(c);
      if (best == null || s < bestScore) {
        best = c;
        bestScore = s;
        ties = 1;
      } else if (s == bestScore && shuffleTies && random.nextInt(++ties) == 0) {
        best = c;
      }
    }
    return best;
  }

  private static Candidate minDouble(List<Candidate> usable, DoubleScore score, ThreadLocalRandom random) {
    Candidate best = null;
    double bestScore = 0;
    int ties = 0;
    for (Candidate c : usable) {
      double s = score.of(c);
      if (best == null || s < bestScore) {
        best = c;
        bestScore = s;
        ties = 1;
      } else if (s == bestScore && random.nextInt(++ties) == 0) {
        best = c;
      }
    }
    return best;
  }

  /** Unmeasured candidates first (that is how they get measured), then the lowest EWMA, exploring now and then. */
  private static Candidate lowestLatency(List<Candidate> usable, Telemetry telemetry, ThreadLocalRandom random) {
    for (Candidate c : usable) {
      if (telemetry.ttftOf(c.target(), c.upstreamModel()) < 0) return c;
    }
    if (usable.size() > 1 && random.nextDouble() < EXPLORE) return usable.get(random.nextInt(usable.size()));
    return minDouble(usable, c -> telemetry.ttftOf(c.target(), c.upstreamModel()), random);
  }

  /** Stays on the target it filled last; when that is not usable, the next one after it in declared order. */
  private static Candidate fillFirst(Tier tier, List<Candidate> usable, PickState state) {
    Long current = state.filling(tier.key());
    int from = 0;
    if (current != null) {
      for (Candidate c : usable) if (c.target() == current) return c;
      List<Candidate> all = tier.candidates();
      for (int i = 0; i < all.size(); i++) {
        if (all.get(i).target() == current) {
          from = i + 1;
          break;
        }
      }
    }
    List<Candidate> all = tier.candidates();
    for (int k = 0; k < all.size(); k++) {
      Candidate c = all.get((from + k) % all.size());
      for (Candidate u : usable) if (u == c) return c;
    }
    return usable.get(0);
  }
}
