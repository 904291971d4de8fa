package dev.switchboard.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.SwitchboardConfig.GroupConfig;
import dev.switchboard.config.SwitchboardConfig.MemberConfig;
import dev.switchboard.config.SwitchboardConfig.TierConfig;
import dev.switchboard.store.Channel;
import dev.switchboard.store.Credential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One test per strategy: the distribution of 1,000 picks. Random strategies are held to five
 * standard deviations of their binomial share (a false failure about once in 3.5 million runs).
 */
class StrategiesTest {

  private static final String GROUP = "gpt-4o";
  private static final long NOW = 1_000_000;
  private static final int PICKS = 1_000;

  /** Channel {@code id} named ch{id} with credentials id*10+1, id*10+2, ... */
  private static Channel channel(long id, int keys) {
    List<Credential> creds = new ArrayList<>();
    for (int k = 1; k <= keys; k++) creds.add(new Credential(id * 10 + k, id, "sk-" + id + k, true));
    return new Channel(id, "ch" + id, "openai", List.of("http://ch" + id), List.of("upstream"), Map.of(), 0, 1, true,
        "config", creds);
  }

  private static MemberConfig member(long channelId, int weight, double cost) {
    return new MemberConfig("ch" + channelId, "upstream", weight, cost);
  }

  private static PoolSnapshot pool(List<Channel> channels, Map<Long, List<Bench>> benches, Telemetry telemetry, TierConfig... tiers) {
    RouteConfig config = new RouteConfig(Map.of(), Map.of(), List.of(new GroupConfig(GROUP, List.of(), List.of(tiers))), Map.of(),
        RouteConfig.CostLookup.NONE);
    return PoolSnapshot.of(1, channels, List.of(), config, benches, telemetry);
  }

  private static PoolSnapshot pool(String strategy, List<Channel> channels, MemberConfig... members) {
    return pool(channels, Map.of(), Telemetry.NONE, new TierConfig(strategy, List.of(members)));
  }

  private static Map<Long, Integer> counts(PoolSnapshot pool, PickState state, int picks) {
    Map<Long, Integer> counts = new HashMap<>();
    for (int i = 0; i < picks; i++) counts.merge(pool.pick(GROUP, Set.of(), NOW, 0, state).target(), 1, Integer::sum);
    return counts;
  }

  private static void assertShare(Map<Long, Integer> counts, long target, double p) {
    double sd = Math.sqrt(p * (1 - p) / PICKS);
    double share = counts.getOrDefault(target, 0) / (double) PICKS;
    assertTrue(Math.abs(share - p) <= 5 * sd, "target " + target + " got " + share + ", expected " + p + " ± " + 5 * sd + ": " + counts);
  }

  private static Map<Long, List<Bench>> cooling(long... targets) {
    Map<Long, List<Bench>> out = new HashMap<>();
    for (long t : targets) out.put(t, List.of(Bench.of(t, null, Bench.State.COOLING, NOW + 60_000, "rate limited (429)", 0)));
    return out;
  }

  @Test
  void roundRobinTakesEveryTargetInTurn() {
    PoolSnapshot pool = pool("round_robin", List.of(channel(1, 2), channel(2, 1)), member(1, 1, 1), member(2, 1, 1));
    Map<Long, Integer> counts = counts(pool, new PickState(), PICKS);
    assertEquals(Set.of(11L, 12L, 21L), counts.keySet());
    counts.values().forEach(n -> assertTrue(n == 333 || n == 334, counts.toString()));
  }

  @Test
  void randomSpreadsUniformly() {
    PoolSnapshot pool = pool("random", List.of(channel(1, 3), channel(2, 1)), member(1, 1, 1), member(2, 1, 1));
    Map<Long, Integer> counts = counts(pool, new PickState(), PICKS);
    for (long t : new long[] {11, 12, 13, 21}) assertShare(counts, t, 0.25);
  }

  @Test
  void weightedFollowsMemberWeightsAndAMemberSharesItsWeightAmongItsKeys() {
    PoolSnapshot pool = pool("weighted", List.of(channel(1, 1), channel(2, 2), channel(3, 1)),
        member(1, 1, 1), member(2, 3, 1), member(3, 0, 1));
    Map<Long, Integer> counts = counts(pool, new PickState(), PICKS);
    assertShare(counts, 11, 0.25);
    assertShare(counts, 21, 0.375);
    assertShare(counts, 22, 0.375);
    assertEquals(0, counts.getOrDefault(31L, 0), "weight 0 is never picked");
    PoolSnapshot oneKeyCooling = pool(List.of(channel(1, 1), channel(2, 2)), cooling(22), Telemetry.NONE,
        new TierConfig("weighted", List.of(member(1, 1, 1), member(2, 3, 1))));
    Map<Long, Integer> after = counts(oneKeyCooling, new PickState(), PICKS);
    assertShare(after, 21, 0.75); // the member keeps its share while one of its keys cools down
  }

  @Test
  void failoverUsesTheFirstUsableMemberAndTheNextTierOnlyWhenATierHasNothing() {
    List<Channel> chs = List.of(channel(1, 1), channel(2, 1), channel(3, 1));
    TierConfig first = new TierConfig("failover", List.of(member(1, 1, 1), member(2, 1, 1)));
    TierConfig second = new TierConfig("random", List.of(member(3, 1, 1)));
    assertEquals(Map.of(11L, PICKS), counts(pool(chs, Map.of(), Telemetry.NONE, first, second), new PickState(), PICKS));
    assertEquals(Map.of(21L, PICKS), counts(pool(chs, cooling(11), Telemetry.NONE, first, second), new PickState(), PICKS));
    assertEquals(Map.of(31L, PICKS), counts(pool(chs, cooling(11, 21), Telemetry.NONE, first, second), new PickState(), PICKS));
    assertNull(pool(chs, cooling(11, 21, 31), Telemetry.NONE, first, second).pick(GROUP, Set.of(), NOW, 0, new PickState()));
  }

  @Test
  void lruTakesTheTargetUsedLongestAgo() {
    PoolSnapshot pool = pool("lru", List.of(channel(1, 4)), member(1, 1, 1));
    PickState state = new PickState();
    List<Long> order = new ArrayList<>();
    for (int i = 0; i < PICKS; i++) order.add(pool.pick(GROUP, Set.of(), NOW, 0, state).target());
    for (int i = 4; i < PICKS; i++) assertEquals(order.get(i - 4), order.get(i), "a strict cycle");
    assertEquals(Set.of(11L, 12L, 13L, 14L), Set.copyOf(order.subList(0, 4)));
  }

  @Test
  void leastUsedCatchesUpATargetThatWasUsedLess() {
    PoolSnapshot pool = pool("least_used", List.of(channel(1, 3)), member(1, 1, 1));
    PickState state = new PickState();
    for (int i = 0; i < 100; i++) state.markUsed(11);
    Map<Long, Integer> counts = counts(pool, state, PICKS);
    // 1,100 uses in all end up ~366-367 each: target 11 already had 100
    assertTrue(Math.abs(counts.get(11L) + 100 - counts.get(12L)) <= 1, counts.toString());
    assertTrue(Math.abs(counts.get(12L) - counts.get(13L)) <= 1, counts.toString());
  }

  @Test
  void mostRemainingPrefersTheChannelWithTheMostQuotaLeft() {
    List<Channel> chs = List.of(channel(1, 1), channel(2, 1), channel(3, 1));
    TierConfig tier = new TierConfig("most_remaining", List.of(member(1, 1, 1), member(2, 1, 1), member(3, 1, 1)));
    Telemetry quota = new Telemetry(Map.of(), Map.of(), Map.of(1L, 500L, 2L, 9_000L, 3L, 0L));
    assertEquals(Map.of(21L, PICKS), counts(pool(chs, Map.of(), quota, tier), new PickState(), PICKS));
    Telemetry spent = new Telemetry(Map.of(), Map.of(), Map.of(1L, 500L, 2L, 0L, 3L, 0L));
    assertEquals(Map.of(11L, PICKS), counts(pool(chs, Map.of(), spent, tier), new PickState(), PICKS), "exhausted quota is skipped");
  }

  @Test
  void oldestFirstTakesTheEarliestCreatedCredential() {
    Channel ch = new Channel(1, "ch1", "openai", List.of("http://a"), List.of("upstream"), Map.of(), 0, 1, true, "config",
        List.of(new Credential(30, 1, "c", true), new Credential(10, 1, "a", true), new Credential(20, 1, "b", true)));
    assertEquals(Map.of(10L, PICKS), counts(pool("oldest_first", List.of(ch), member(1, 1, 1)), new PickState(), PICKS));
    PoolSnapshot cooled = pool(List.of(ch), cooling(10), Telemetry.NONE, new TierConfig("oldest_first", List.of(member(1, 1, 1))));
    assertEquals(Map.of(20L, PICKS), counts(cooled, new PickState(), PICKS));
  }

  @Test
  void lowestLatencyMeasuresEveryTargetThenSendsAlmostEverythingToTheFastest() {
    List<Channel> chs = List.of(channel(1, 1), channel(2, 1), channel(3, 1));
    TierConfig tier = new TierConfig("lowest_latency", List.of(member(1, 1, 1), member(2, 1, 1), member(3, 1, 1)));
    Telemetry oneUnmeasured = new Telemetry(Map.of(11L, Map.of("upstream", 100.0), 21L, Map.of("upstream", 200.0)), Map.of(), Map.of());
    assertEquals(31L, pool(chs, Map.of(), oneUnmeasured, tier).pick(GROUP, Set.of(), NOW, 0, new PickState()).target());
    Telemetry measured = new Telemetry(Map.of(11L, Map.of("upstream", 300.0), 21L, Map.of("upstream", 100.0),
        31L, Map.of("upstream", 200.0)), Map.of(), Map.of());
    Map<Long, Integer> counts = counts(pool(chs, Map.of(), measured, tier), new PickState(), PICKS);
    double explore = Strategies.EXPLORE / 3;
    assertShare(counts, 21, 1 - 2 * explore);
    assertShare(counts, 11, explore);
    assertShare(counts, 31, explore);
  }

  @Test
  void lowestCostTakesTheCheapestMemberAndSplitsTies() {
    List<Channel> chs = List.of(channel(1, 1), channel(2, 1), channel(3, 1));
    assertEquals(Map.of(21L, PICKS), counts(pool("lowest_cost", chs, member(1, 1, 2.0), member(2, 1, 0.5), member(3, 1, 1.0)),
        new PickState(), PICKS));
    Map<Long, Integer> tie = counts(pool("lowest_cost", chs, member(1, 1, 0.5), member(2, 1, 0.5), member(3, 1, 1.0)),
        new PickState(), PICKS);
    assertShare(tie, 11, 0.5);
    assertShare(tie, 21, 0.5);
    RouteConfig priced = new RouteConfig(Map.of(), Map.of(), List.of(new GroupConfig(GROUP, List.of(),
        List.of(new TierConfig("lowest_cost", List.of(member(1, 1, 1), member(2, 1, 1), member(3, 1, 1)))))), Map.of(),
        (channelId, channel, model) -> channelId == 3 && channel.equals("ch3") && model.equals("upstream") ? 0.1 : Double.NaN);
    PoolSnapshot lookup = PoolSnapshot.of(1, chs, List.of(), priced, Map.of(), Telemetry.NONE);
    assertEquals(Map.of(31L, PICKS), counts(lookup, new PickState(), PICKS), "a price lookup overrides the member's cost");
  }

  @Test
  void fillFirstStaysOnOneTargetUntilItIsNotUsableAndDoesNotGoBack() {
    List<Channel> chs = List.of(channel(1, 3));
    TierConfig tier = new TierConfig("fill_first", List.of(member(1, 1, 1)));
    PickState state = new PickState();
    assertEquals(Map.of(11L, PICKS), counts(pool(chs, Map.of(), Telemetry.NONE, tier), state, PICKS));
    assertEquals(Map.of(12L, PICKS), counts(pool(chs, cooling(11), Telemetry.NONE, tier), state, PICKS));
    assertEquals(Map.of(12L, PICKS), counts(pool(chs, Map.of(), Telemetry.NONE, tier), state, PICKS), "11 is back, but 12 is being filled");
    assertEquals(Map.of(11L, PICKS), counts(pool(chs, cooling(12, 13), Telemetry.NONE, tier), state, PICKS), "wraps around");
  }

  @Test
  void everyStrategyNameOfTheConfigurationIsAStrategy() {
    assertEquals(11, Strategy.values().length);
    Arrays.stream(Strategy.values()).forEach(s -> assertEquals(s, Strategy.of(s.configName())));
  }
}
