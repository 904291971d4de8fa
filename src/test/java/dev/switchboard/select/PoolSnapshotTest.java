package dev.switchboard.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.store.Channel;
import dev.switchboard.store.ClientKey;
import dev.switchboard.store.Credential;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PoolSnapshotTest {

  private static final String MODEL = "gpt-4o";
  private static final long NOW = 1_000_000;

  private static Credential key(long id, long channelId) {
    return new Credential(id, channelId, "sk-" + id, true);
  }

  private static Channel channel(long id, int priority, int weight, Credential... credentials) {
    return new Channel(id, "ch" + id, "openai", List.of("https://ch" + id + ".example/v1", "https://spare.example/v1"),
        List.of(MODEL), Map.of(), priority, weight, true, "config", List.of(credentials));
  }

  private static PoolSnapshot pool(Map<Long, Long> benched, Channel... channels) {
    return PoolSnapshot.of(1, List.of(channels), List.of(), benched);
  }

  private static PoolSnapshot pool(Channel... channels) {
    return pool(Map.of(), channels);
  }

  private static Map<Long, Integer> channelCounts(PoolSnapshot pool, int picks, Set<Long> tried) {
    Map<Long, Integer> counts = new HashMap<>();
    for (int i = 0; i < picks; i++) counts.merge(pool.pick(MODEL, tried, NOW).channelId(), 1, Integer::sum);
    return counts;
  }

  @Test
  void leasesCarryTheChannelAndItsCredential() {
    Lease lease = pool(channel(1, 0, 1, key(11, 1))).pick(MODEL, Set.of(), NOW);
    assertEquals(new Lease(1, "ch1", "openai", 11, "sk-11", lease.baseUrl(), MODEL), lease);
    assertEquals(11, lease.target());
    assertFalse(lease.toString().contains("sk-11"), "a lease never prints its secret");
  }

  @Test
  void everyBaseUrlOfAChannelIsUsed() {
    PoolSnapshot pool = pool(channel(1, 0, 1, key(11, 1)));
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 2_000; i++) counts.merge(pool.pick(MODEL, Set.of(), NOW).baseUrl(), 1, Integer::sum);
    assertEquals(Set.of("https://ch1.example/v1", "https://spare.example/v1"), counts.keySet());
    assertTrue(counts.values().stream().allMatch(n -> n > 800), counts.toString());
  }

  @Test
  void aModelMapRenamesTheModelUpstream() {
    Channel ch = new Channel(1, "ch1", "openai", List.of("http://a"), List.of("fast", MODEL), Map.of("fast", "gpt-4o-mini"),
        0, 1, true, "config", List.of(key(11, 1)));
    PoolSnapshot pool = pool(ch);
    assertEquals("gpt-4o-mini", pool.pick("fast", Set.of(), NOW).upstreamModel());
    assertEquals(MODEL, pool.pick(MODEL, Set.of(), NOW).upstreamModel());
    assertEquals(List.of("fast", MODEL), pool.models());
  }

  @Test
  void anUnknownModelHasNoLease() {
    PoolSnapshot pool = pool(channel(1, 0, 1, key(11, 1)));
    assertNull(pool.pick("other", Set.of(), NOW));
    assertFalse(pool.serves("other"));
    assertTrue(pool.serves(MODEL));
    assertNull(PoolSnapshot.empty().pick(MODEL, Set.of(), NOW));
  }

  @Test
  void theHighestPriorityTierWins() {
    PoolSnapshot pool = pool(channel(1, 0, 100, key(11, 1)), channel(2, 10, 1, key(21, 2)), channel(3, -5, 100, key(31, 3)));
    for (int i = 0; i < 500; i++) {
      assertEquals(2, pool.pick(MODEL, Set.of(), NOW).channelId());
    }
  }

  @Test
  void aLowerTierIsUsedOnlyWhenTheHigherTierHasNothingUsable() {
    Channel high = channel(1, 10, 1, key(11, 1), key(12, 1));
    Channel low = channel(2, 0, 1, key(21, 2));
    assertEquals(1, pool(high, low).pick(MODEL, Set.of(11L), NOW).channelId());
    assertEquals(2, pool(high, low).pick(MODEL, Set.of(11L, 12L), NOW).channelId());
    assertEquals(2, pool(Map.of(11L, NOW + 1, 12L, NOW + 1), high, low).pick(MODEL, Set.of(), NOW).channelId());
    assertEquals(2, pool(Map.of(11L, NOW + 1), high, low).pick(MODEL, Set.of(12L), NOW).channelId());
    Channel disabledKeys = channel(1, 10, 1, new Credential(11, 1, "sk-11", false));
    assertEquals(2, pool(disabledKeys, low).pick(MODEL, Set.of(), NOW).channelId());
    assertNull(pool(high, low).pick(MODEL, Set.of(11L, 12L, 21L), NOW));
  }

  @Test
  void channelsInATierArePickedInProportionToTheirWeight() {
    PoolSnapshot pool = pool(channel(1, 0, 3, key(11, 1)), channel(2, 0, 1, key(21, 2)));
    Map<Long, Integer> counts = channelCounts(pool, 4_000, Set.of());
    double share = counts.getOrDefault(1L, 0) / 4_000.0;
    assertTrue(Math.abs(share - 0.75) <= 0.05, "channel 1 got " + share + " of the picks, expected 0.75 ± 0.05");
  }

  @Test
  void equalWeightsShareEvenlyAcrossThreeChannels() {
    PoolSnapshot pool = pool(channel(1, 0, 2, key(11, 1)), channel(2, 0, 2, key(21, 2)), channel(3, 0, 2, key(31, 3)));
    Map<Long, Integer> counts = channelCounts(pool, 6_000, Set.of());
    for (long id = 1; id <= 3; id++) {
      double share = counts.getOrDefault(id, 0) / 6_000.0;
      assertTrue(Math.abs(share - 1.0 / 3) <= 0.05, "channel " + id + " got " + share);
    }
  }

  @Test
  void credentialsOfAChannelAreAllUsed() {
    PoolSnapshot pool = pool(channel(1, 0, 1, key(11, 1), key(12, 1), key(13, 1)));
    Map<Long, Integer> counts = new HashMap<>();
    for (int i = 0; i < 3_000; i++) counts.merge(pool.pick(MODEL, Set.of(), NOW).credentialId(), 1, Integer::sum);
    for (long id = 11; id <= 13; id++) {
      double share = counts.getOrDefault(id, 0) / 3_000.0;
      assertTrue(Math.abs(share - 1.0 / 3) <= 0.05, "credential " + id + " got " + share);
    }
  }

  @Test
  void triedBenchedAndDisabledTargetsAreNeverPicked() {
    Channel a = channel(1, 0, 5, key(11, 1), key(12, 1), new Credential(13, 1, "sk-13", false));
    Channel b = channel(2, 0, 1, key(21, 2), key(22, 2));
    PoolSnapshot pool = pool(Map.of(12L, NOW + 5_000, 22L, NOW + 1), a, b);
    Set<Long> tried = Set.of(11L);
    for (int i = 0; i < 2_000; i++) {
      assertEquals(21, pool.pick(MODEL, tried, NOW).credentialId());
    }
  }

  @Test
  void aBenchThatHasRunOutNoLongerCounts() {
    PoolSnapshot pool = pool(Map.of(11L, NOW), channel(1, 0, 1, key(11, 1)));
    assertEquals(11, pool.pick(MODEL, Set.of(), NOW).credentialId());
    assertNull(pool.pick(MODEL, Set.of(), NOW - 1));
  }

  @Test
  void aChannelWithoutKeysIsItsOwnTargetByNegativeId() {
    Channel local = channel(7, 0, 1);
    Lease lease = pool(local).pick(MODEL, Set.of(), NOW);
    assertEquals(new Lease(7, "ch7", "openai", 0, null, lease.baseUrl(), MODEL), lease);
    assertTrue(local.baseUrls().contains(lease.baseUrl()));
    assertEquals(-7, lease.target());
    assertNull(pool(local).pick(MODEL, Set.of(-7L), NOW));
    assertNull(pool(Map.of(-7L, NOW + 1), local).pick(MODEL, Set.of(), NOW));
    assertEquals(-7, pool(Map.of(7L, NOW + 1), local).pick(MODEL, Set.of(7L), NOW).target(), "a credential id 7 is another target");
  }

  @Test
  void aKeylessChannelAndAKeyedChannelShareATier() {
    PoolSnapshot pool = pool(channel(1, 0, 1), channel(2, 0, 1, key(21, 2)));
    assertEquals(2, pool.pick(MODEL, Set.of(-1L), NOW).channelId());
    assertEquals(1, pool.pick(MODEL, Set.of(21L), NOW).channelId());
    Map<Long, Integer> counts = channelCounts(pool, 2_000, Set.of());
    assertTrue(counts.getOrDefault(1L, 0) > 800 && counts.getOrDefault(2L, 0) > 800, counts.toString());
  }

  @Test
  void disabledChannelsAreNotRoutedAndDisabledKeysNotFound() {
    Channel off = new Channel(1, "off", "openai", List.of("http://a"), List.of("only-off"), Map.of(), 0, 1, false, "api", List.of());
    ClientKey on = new ClientKey(1, "alice", "aa", List.of(), true, "config");
    ClientKey disabled = new ClientKey(2, "bob", "bb", List.of(), false, "config");
    PoolSnapshot pool = PoolSnapshot.of(3, List.of(off, channel(2, 0, 1, key(21, 2))), List.of(on, disabled), Map.of());
    assertFalse(pool.serves("only-off"));
    assertEquals(List.of(MODEL), pool.models());
    assertEquals(1, pool.channelCount());
    assertSame(on, pool.keyByHash("aa"));
    assertNull(pool.keyByHash("bb"));
    assertEquals(1, pool.keyCount());
    assertEquals(3, pool.version());
  }

  @Test
  void earliestReturnIsTheSoonestBenchStillRunning() {
    PoolSnapshot pool = pool(Map.of(11L, NOW + 9_000, 21L, NOW + 4_000, -3L, NOW - 1),
        channel(1, 0, 1, key(11, 1)), channel(2, 5, 1, key(21, 2)), channel(3, 0, 1));
    assertEquals(NOW + 4_000, pool.earliestReturn(MODEL, NOW));
    assertEquals(NOW + 9_000, pool.earliestReturn(MODEL, NOW + 4_000));
    assertEquals(0, pool.earliestReturn(MODEL, NOW + 9_000));
    assertEquals(0, pool.earliestReturn("other", NOW));
  }

  @Test
  void withBenchedKeepsTheRoutesAndReplacesTheBenches() {
    PoolSnapshot pool = pool(channel(1, 0, 1, key(11, 1)));
    PoolSnapshot benched = pool.withBenched(2, Map.of(11L, NOW + 1));
    assertNull(benched.pick(MODEL, Set.of(), NOW));
    assertNotEquals(null, pool.pick(MODEL, Set.of(), NOW));
    assertEquals(2, benched.version());
    assertEquals(pool.models(), benched.models());
  }

  @Test
  void aSessionKeepsItsTargetWithinTheHighestUsableTierOnly() {
    Channel primary = channel(1, 10, 1, key(11, 1));
    Channel fallback = channel(2, 0, 1, key(21, 2));

    // bound to the fallback while the primary was down: once the primary is usable, it wins
    assertEquals(11, pool(Map.of(), primary, fallback).pick(MODEL, Set.of(), NOW, 21).credentialId());
    // while the primary is benched or already tried, the session keeps its fallback target
    assertEquals(21, pool(Map.of(11L, NOW + 10_000), primary, fallback).pick(MODEL, Set.of(), NOW, 21).credentialId());
    assertEquals(21, pool(Map.of(), primary, fallback).pick(MODEL, Set.of(11L), NOW, 21).credentialId());
    // within one tier the bound target is kept over its peers
    Channel twoKeys = channel(3, 10, 1, key(31, 3), key(32, 3));
    for (int i = 0; i < 50; i++) {
      assertEquals(32, pool(Map.of(), twoKeys).pick(MODEL, Set.of(), NOW, 32).credentialId());
    }
  }

  @Test
  void aTracedPickTellsWhatItSkippedWhyAndWhatItChose() {
    Channel high = channel(1, 10, 1, key(11, 1), new Credential(12, 1, "sk-12", false), key(13, 1));
    Channel low = channel(2, 0, 1, key(21, 2));
    List<String> heard = new java.util.ArrayList<>();
    PickTrace trace = new PickTrace() {
      @Override
      public void skipped(String channel, long credentialId, String upstreamModel, String reason) {
        heard.add("skip " + channel + "/" + credentialId + ": " + reason.replaceAll("[0-9]+ ms", "N ms"));
      }

      @Override
      public void chose(String group, int tier, String strategy, boolean bySession) {
        heard.add("chose " + group + " tier " + tier + " " + strategy + (bySession ? " by session" : ""));
      }

      @Override
      public void session(long boundTarget) {
        heard.add("session " + boundTarget);
      }
    };
    Lease lease = pool(Map.of(13L, NOW + 500), high, low).pick(MODEL, Set.of(11L), NOW, 0, trace);
    assertEquals(21, lease.credentialId());
    assertEquals(List.of("skip ch1/11: already tried", "skip ch1/12: credential disabled", "skip ch1/13: cooling for N ms: benched",
        "chose gpt-4o tier 1 weighted"), heard);

    heard.clear();
    assertEquals(21, pool(high, low).pick(MODEL, Set.of(11L, 13L), NOW, 21, trace).credentialId());
    assertEquals(List.of("skip ch1/11: already tried", "skip ch1/12: credential disabled", "skip ch1/13: already tried",
        "chose gpt-4o tier 1 weighted by session"), heard, "why the session's binding in tier 1 still holds");

    heard.clear();
    assertEquals(13, pool(high, low).pick(MODEL, Set.of(11L), NOW, 21, trace).credentialId());
    assertEquals(List.of("skip ch1/11: already tried", "skip ch1/12: credential disabled", "chose gpt-4o tier 0 weighted"), heard,
        "a usable higher tier breaks the binding; its skips are told once");
  }
}
