package dev.switchboard.limit;

import dev.switchboard.config.SwitchboardConfig.KeyRules;
import dev.switchboard.config.SwitchboardConfig.Rates;
import java.util.ArrayList;
import java.util.List;

/**
 * The limits of one client key or one upstream credential, as a {@link Limiter} takes them:
 * {@code all} for {@link Limiter#acquire} and {@link Limiter#release}, {@code tokens} and
 * {@code cost} for {@link Limiter#add} once the usage is known (cost in micro-units).
 */
public record LimitSet(List<Limit> all, List<Limit> tokens, List<Limit> cost) {

  public static final LimitSet NONE = new LimitSet(List.of(), List.of(), List.of());

  /** A client key's rpm, rpd, tpm, concurrency and daily/monthly budgets; {@code id} is its stored id. */
  public static LimitSet forKey(long id, KeyRules rules) {
    if (!rules.rates().any() && rules.maxConcurrent() <= 0 && rules.budgetPerDay() <= 0 && rules.budgetPerMonth() <= 0) {
      return NONE; // the usual key: nothing to build per request
    }
    String k = keyPrefix(id);
    List<Limit> all = new ArrayList<>(rates(k, rules.rates()));
    List<Limit> tokens = all.stream().filter(l -> l.kind() == Limit.Kind.UNITS).toList();
    List<Limit> cost = new ArrayList<>();
    if (rules.maxConcurrent() > 0) all.add(Limit.concurrent(k + ":conc", rules.maxConcurrent()));
    if (rules.budgetPerDay() > 0) cost.add(Limit.units(costPerDay(id), Limit.micros(rules.budgetPerDay()), Limit.Window.DAY));
    if (rules.budgetPerMonth() > 0) cost.add(Limit.units(costPerMonth(id), Limit.micros(rules.budgetPerMonth()), Limit.Window.MONTH));
    all.addAll(cost);
    return all.isEmpty() ? NONE : new LimitSet(List.copyOf(all), tokens, List.copyOf(cost));
  }

  /** The counter of a key's daily cost, in micro-units. */
  public static String costPerDay(long id) {
    return keyPrefix(id) + ":cost-day";
  }

  /** The counter of a key's monthly cost, in micro-units. */
  public static String costPerMonth(long id) {
    return keyPrefix(id) + ":cost-month";
  }

  /** The counter of a key's admissions today. */
  public static String requestsPerDay(long id) {
    return keyPrefix(id) + ":rpd";
  }

  private static String keyPrefix(long id) {
    return "key:" + id;
  }

  /** An upstream credential's (or key-less channel's) rpm, rpd and tpm; {@code target} as in {@code Lease.target()}. */
  public static LimitSet forTarget(long target, Rates rates) {
    if (!rates.any()) return NONE;
    List<Limit> all = rates("target:" + target, rates);
    return new LimitSet(all, all.stream().filter(l -> l.kind() == Limit.Kind.UNITS).toList(), List.of());
  }

  public boolean isEmpty() {
    return all.isEmpty();
  }

  private static List<Limit> rates(String k, Rates r) {
    List<Limit> out = new ArrayList<>();
    if (r.rpm() > 0) out.add(Limit.requests(k + ":rpm", r.rpm(), Limit.Window.MINUTE));
    if (r.rpd() > 0) out.add(Limit.requests(k + ":rpd", r.rpd(), Limit.Window.DAY));
    if (r.tpm() > 0) out.add(Limit.units(k + ":tpm", r.tpm(), Limit.Window.MINUTE));
    return List.copyOf(out);
  }
}
