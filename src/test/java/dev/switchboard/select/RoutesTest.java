package dev.switchboard.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.SwitchboardConfig.ChannelRules;
import dev.switchboard.config.SwitchboardConfig.GroupConfig;
import dev.switchboard.config.SwitchboardConfig.MemberConfig;
import dev.switchboard.config.SwitchboardConfig.Rates;
import dev.switchboard.config.SwitchboardConfig.TierConfig;
import dev.switchboard.store.Channel;
import dev.switchboard.store.ClientKey;
import dev.switchboard.store.Credential;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Wildcards, prefixes, aliases, session preference, base URL choice and explain. */
class RoutesTest {

  private static final long NOW = 1_000_000;

  private static Channel channel(long id, List<String> models, Map<String, String> map, long... keys) {
    List<Credential> creds = new java.util.ArrayList<>();
    for (long k : keys) creds.add(new Credential(k, id, "sk-" + k, true));
    return new Channel(id, "ch" + id, "openai", List.of("http://a" + id, "http://b" + id), models, map, 0, 1, true, "config", creds);
  }

  private static RouteConfig config(Map<String, ChannelRules> rules, List<GroupConfig> groups, Map<String, String> aliases) {
    return new RouteConfig(rules, Map.of(), groups, aliases, RouteConfig.CostLookup.NONE);
  }

  private static ChannelRules prefixed(String prefix) {
    return new ChannelRules(true, Rates.NONE, -1, List.of(), prefix, 1.0);
  }

  @Test
  void wildcardModelsServeMatchingNamesBesideExactOnes() {
    Channel exact = channel(1, List.of("gpt-4o"), Map.of(), 11);
    Channel family = channel(2, List.of("gpt-4*"), Map.of("gpt-4-turbo", "gpt-4-turbo-2024"), 21);
    Channel any = channel(3, List.of("*"), Map.of(), 31);
    PoolSnapshot pool = PoolSnapshot.of(1, List.of(exact, family, any), List.of(), Map.of());
    assertEquals(Set.of(11L), targets(pool, "gpt-4o"), "an exact name is served by the channels that list it");
    assertEquals(Set.of(21L, 31L), targets(pool, "gpt-4.1"));
    assertEquals("gpt-4-turbo-2024", pool.pick("gpt-4-turbo", Set.of(31L), NOW).upstreamModel(), "its model map applies");
    assertEquals("gpt-4-turbo", pool.pick("gpt-4-turbo", Set.of(21L), NOW).upstreamModel());
    assertEquals(Set.of(31L), targets(pool, "claude-x"));
    assertTrue(pool.serves("anything"));
    assertEquals(List.of("gpt-4o"), pool.models(), "wildcards are not listed");
    assertTrue(RouteBuilder.glob("a*c*", "abxcz") && !RouteBuilder.glob("a*c", "abxcz") && RouteBuilder.glob("*", ""));
  }

  @Test
  void aPrefixIsolatesATeamsChannels() {
    Channel team = channel(1, List.of("gpt-4o"), Map.of(), 11);
    Channel shared = channel(2, List.of("gpt-4o"), Map.of(), 21);
    Channel anything = channel(3, List.of("*"), Map.of(), 31);
    PoolSnapshot pool = PoolSnapshot.of(1, List.of(team, shared, anything), List.of(),
        config(Map.of("ch1", prefixed("teamA")), List.of(), Map.of()), Map.of(), Telemetry.NONE);
    assertEquals(Set.of(11L), targets(pool, "teamA/gpt-4o"));
    assertEquals("gpt-4o", pool.pick("teamA/gpt-4o", Set.of(), NOW).upstreamModel(), "the prefix is not sent upstream");
    assertEquals(Set.of(21L), targets(pool, "gpt-4o"));
    assertFalse(pool.serves("teamA/o3"), "a shared wildcard does not serve a team's names");
    assertEquals(Set.of(31L), targets(pool, "o3"));
    ClientKey teamKey = new ClientKey(1, "a", "h", List.of("teamA/*"), true, "config");
    assertTrue(pool.allows(teamKey, "teamA/gpt-4o"));
    assertFalse(pool.allows(teamKey, "gpt-4o"));
  }

  @Test
  void aliasesAndDeclaredGroupsResolveToOneGroup() {
    Channel a = channel(1, List.of("m"), Map.of(), 11);
    GroupConfig g = new GroupConfig("smart", List.of("clever"), List.of(new TierConfig("failover",
        List.of(new MemberConfig("ch1", "big-model", 1, 1)))));
    PoolSnapshot pool = PoolSnapshot.of(1, List.of(a), List.of(), config(Map.of(), List.of(g), Map.of("brainy", "smart")),
        Map.of(), Telemetry.NONE);
    for (String name : List.of("smart", "clever", "brainy")) assertEquals("big-model", pool.pick(name, Set.of(), NOW).upstreamModel());
    assertEquals(List.of("brainy", "clever", "m", "smart"), pool.models());
    ClientKey key = new ClientKey(1, "k", "h", List.of("smart"), true, "config");
    assertTrue(pool.allows(key, "clever"), "an alias of an allowed model is allowed");
    assertFalse(pool.allows(key, "m"));
  }

  @Test
  void aDisabledChannelInTheConfigurationIsNotRouted() {
    Channel a = channel(1, List.of("m"), Map.of(), 11);
    PoolSnapshot pool = PoolSnapshot.of(1, List.of(a), List.of(),
        config(Map.of("ch1", new ChannelRules(false, Rates.NONE, -1, List.of(), null, 1)), List.of(), Map.of()), Map.of(), Telemetry.NONE);
    assertFalse(pool.serves("m"));
  }

  @Test
  void aSessionsBoundTargetIsPreferredWhileItIsUsable() {
    PoolSnapshot pool = PoolSnapshot.of(1, List.of(channel(1, List.of("m"), Map.of(), 11, 12, 13, 14)), List.of(), Map.of());
    for (int i = 0; i < 200; i++) assertEquals(13, pool.pick("m", Set.of(), NOW, 13).target());
    PoolSnapshot cooling = pool.withBenched(2, Map.of(13L, NOW + 1_000));
    for (int i = 0; i < 200; i++) assertTrue(cooling.pick("m", Set.of(), NOW, 13).target() != 13, "the binding breaks");
    assertTrue(pool.pick("m", Set.of(13L), NOW, 13).target() != 13, "and a retry never goes back to it");
    assertEquals(11, pool.pick("m", Set.of(12L, 13L, 14L), NOW, 99).target(), "an unknown binding is ignored");
  }

  @Test
  void theFastestBaseUrlWinsAndTheOthersAreStillProbed() {
    Channel ch = channel(1, List.of("m"), Map.of(), 11);
    Telemetry t = new Telemetry(Map.of(), Map.of("http://a1", 400.0, "http://b1", 50.0), Map.of());
    PoolSnapshot pool = PoolSnapshot.of(1, List.of(ch), List.of(), RouteConfig.NONE, Map.of(), t);
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 1_000; i++) counts.merge(pool.pick("m", Set.of(), NOW).baseUrl(), 1, Integer::sum);
    double slow = PoolSnapshot.URL_EXPLORE / 2;
    double sd = Math.sqrt(slow * (1 - slow) / 1_000);
    int probes = counts.getOrDefault("http://a1", 0);
    assertTrue(Math.abs(probes / 1_000.0 - slow) <= 5 * sd && probes > 0, counts.toString());
    Telemetry oneNew = new Telemetry(Map.of(), Map.of("http://b1", 50.0), Map.of());
    assertEquals("http://a1", PoolSnapshot.of(1, List.of(ch), List.of(), RouteConfig.NONE, Map.of(), oneNew)
        .pick("m", Set.of(), NOW).baseUrl(), "an unmeasured URL is measured first");
  }

  @Test
  void theTelemetryBookFoldsLatencyIntoAnEwma() {
    Telemetry.Book book = new Telemetry.Book();
    Lease lease = new Lease(1, "ch1", "openai", 11, "sk", "http://a1", "m");
    book.apply(Outcome.of(lease, Outcome.Kind.SUCCESS, 200, -1, 100));
    book.apply(Outcome.of(lease, Outcome.Kind.SUCCESS, 200, -1, 200).withTtft(200));
    assertEquals(130.0, book.freeze().ttftOf(11, "m"), 1e-9);
    book.apply(Outcome.of(lease, Outcome.Kind.CONNECT_ERROR, 0, -1, 5));
    assertTrue(book.freeze().urlLatencyOf("http://a1") > 9_000, "a dead URL sinks");
    book.quota(1, 1_000);
    assertTrue(book.spend(Spend.of(lease, 400)));
    assertEquals(600, book.freeze().quotaLeft(1));
    assertEquals(Long.MAX_VALUE, book.freeze().quotaLeft(2));
  }

  @Test
  void explainListsEveryCandidateInOrderWithWhyItWouldBeSkipped() {
    Channel high = new Channel(1, "high", "openai", List.of("http://a"), List.of("m"), Map.of(), 10, 1, true, "config",
        List.of(new Credential(11, 1, "s", true), new Credential(12, 1, "s", false)));
    Channel low = channel(2, List.of("m"), Map.of(), 21);
    PoolSnapshot pool = PoolSnapshot.of(1, List.of(low, high), List.of(), Map.of()).withBenched(2, Map.of(11L, NOW + 5_000));
    Explanation e = pool.explain("m", null, NOW);
    assertEquals("m", e.resolved());
    assertEquals(List.of("high", "high", "ch2"), e.candidates().stream().map(Explanation.Step::channel).toList());
    assertEquals(List.of(0, 0, 1), e.candidates().stream().map(Explanation.Step::tier).toList());
    assertTrue(e.candidates().get(0).skipped().startsWith("cooling for 5000 ms"), e.candidates().get(0).skipped());
    assertEquals("credential disabled", e.candidates().get(1).skipped());
    assertNull(e.candidates().get(2).skipped());
    ClientKey narrow = new ClientKey(1, "bob", "h", List.of("other"), true, "config");
    assertTrue(pool.explain("m", narrow, NOW).candidates().stream().allMatch(s -> s.skipped().contains("may not use")));
    assertEquals(List.of(), pool.explain("nope", null, NOW).candidates());
  }

  private static Set<Long> targets(PoolSnapshot pool, String model) {
    Set<Long> seen = new java.util.HashSet<>();
    for (int i = 0; i < 300; i++) seen.add(pool.pick(model, Set.of(), NOW).target());
    return seen;
  }
}
