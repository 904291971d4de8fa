package dev.switchboard.config;

import dev.switchboard.config.SwitchboardConfig.ChannelConfig;
import dev.switchboard.config.SwitchboardConfig.ChannelRules;
import dev.switchboard.config.SwitchboardConfig.GroupConfig;
import dev.switchboard.config.SwitchboardConfig.KeyRules;
import dev.switchboard.config.SwitchboardConfig.MemberConfig;
import dev.switchboard.config.SwitchboardConfig.Rates;
import dev.switchboard.config.SwitchboardConfig.TierConfig;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The routing parts of the configuration: groups, aliases, channel rules and client-key limits. */
public final class GroupsLoader {

  /** The strategy names a tier may use. */
  public static final Set<String> STRATEGIES = Set.of("round_robin", "random", "weighted", "failover", "lru", "least_used",
      "most_remaining", "oldest_first", "lowest_latency", "lowest_cost", "fill_first");

  private GroupsLoader() {}

  static ChannelRules channelRules(Section c) {
    String prefix = c.string("prefix", null);
    if (prefix != null && (prefix.contains("/") || prefix.contains("*"))) {
      throw new ConfigException(c.key("prefix"), "must not contain '/' or '*'");
    }
    return new ChannelRules(c.bool("enabled", true), rates(Section.of(c.key("limits"), c.raw("limits"),
        Set.of("rpm", "tpm", "rpd"))), c.longValue("quota", -1, 0), c.strings("tags"), prefix, c.decimal("cost", 1.0, 0),
        nanos(c, "costQuota"));
  }

  /** A money amount in billionths of the prices' currency, exactly as written (at most 9 decimals); -1 when absent. */
  private static long nanos(Section c, String name) {
    double amount = c.decimal(name, -1, 0);
    if (amount < 0) return -1;
    try {
      return java.math.BigDecimal.valueOf(amount).movePointRight(9).longValueExact();
    } catch (ArithmeticException e) {
      throw new ConfigException(c.key(name), "must have at most 9 decimal places and be below 9,000,000,000");
    }
  }

  static KeyRules keyRules(Section k) {
    Section l = Section.of(k.key("limits"), k.raw("limits"),
        Set.of("rpm", "tpm", "rpd", "maxConcurrent", "budgetPerDay", "budgetPerMonth"));
    return new KeyRules(rates(l), l.integer("maxConcurrent", 0, 0, 1_000_000), l.decimal("budgetPerDay", 0, 0),
        l.decimal("budgetPerMonth", 0, 0), expiry(k));
  }

  private static Rates rates(Section l) {
    return new Rates(l.longValue("rpm", 0, 0), l.longValue("tpm", 0, 0), l.longValue("rpd", 0, 0));
  }

  /** {@code 2027-01-31} (end of that day is not implied: the key expires at its start, UTC) or an ISO instant. */
  private static long expiry(Section k) {
    String s = k.string("expiresAt", null);
    if (s == null) return 0;
    try {
      return s.length() == 10 ? LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()
          : Instant.parse(s).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new ConfigException(k.key("expiresAt"), "expected a date (2027-01-31) or an instant (2027-01-31T12:00:00Z), got '" + s + "'");
    }
  }

  static Map<String, String> aliases(Section top) {
    return top.stringMap("aliases");
  }

  static List<GroupConfig> groups(Section top, List<ChannelConfig> channels) {
    Map<String, ChannelConfig> byName = new HashMap<>();
    channels.forEach(c -> byName.put(c.name(), c));
    Set<String> names = new HashSet<>();
    List<GroupConfig> out = new ArrayList<>();
    List<Object> items = top.list("groups");
    for (int i = 0; i < items.size(); i++) {
      Section g = Section.of("groups[" + i + "]", items.get(i), Set.of("name", "aliases", "strategy", "members", "tiers"));
      String name = g.required("name");
      List<String> aliases = g.strings("aliases");
      for (String n : concat(name, aliases)) {
        if (!names.add(n)) throw new ConfigException(g.key("name"), "model name '" + n + "' is used by two groups");
      }
      List<TierConfig> tiers = new ArrayList<>();
      if (g.has("members")) {
        if (g.has("tiers")) throw new ConfigException(g.key("tiers"), "give either members (one tier) or tiers, not both");
        tiers.add(tier(g, name, byName));
      } else {
        List<Object> ts = g.list("tiers");
        if (ts.isEmpty()) throw new ConfigException(g.key("members"), "a group needs members or tiers");
        for (int t = 0; t < ts.size(); t++) {
          tiers.add(tier(Section.of(g.key("tiers") + "[" + t + "]", ts.get(t), Set.of("strategy", "members")), name, byName));
        }
      }
      out.add(new GroupConfig(name, aliases, List.copyOf(tiers)));
    }
    return List.copyOf(out);
  }

  private static TierConfig tier(Section t, String group, Map<String, ChannelConfig> channels) {
    String strategy = t.string("strategy", "weighted");
    if (!STRATEGIES.contains(strategy)) {
      throw new ConfigException(t.key("strategy"), "unknown strategy '" + strategy + "' (known: " + String.join(", ", STRATEGIES.stream().sorted().toList()) + ")");
    }
    List<MemberConfig> members = new ArrayList<>();
    List<Object> ms = t.list("members");
    if (ms.isEmpty()) throw new ConfigException(t.key("members"), "at least one member is required");
    for (int m = 0; m < ms.size(); m++) {
      Object raw = ms.get(m) instanceof String s ? new io.vertx.core.json.JsonObject().put("channel", s) : ms.get(m);
      Section ms1 = Section.of(t.key("members") + "[" + m + "]", raw, Set.of("channel", "model", "weight", "cost"));
      String channel = ms1.required("channel");
      ChannelConfig c = channels.get(channel);
      if (c == null) throw new ConfigException(ms1.key("channel"), "no channel named '" + channel + "'");
      String upstream = ms1.string("model", c.modelMap().getOrDefault(group, group));
      members.add(new MemberConfig(channel, upstream, ms1.integer("weight", c.weight(), 0, 1_000_000),
          ms1.decimal("cost", c.rules().cost(), 0)));
    }
    return new TierConfig(strategy, List.copyOf(members));
  }

  private static List<String> concat(String first, List<String> rest) {
    List<String> all = new ArrayList<>(rest);
    all.add(0, first);
    return all;
  }
}
