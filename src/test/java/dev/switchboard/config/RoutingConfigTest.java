package dev.switchboard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.SwitchboardConfig.ChannelRules;
import dev.switchboard.config.SwitchboardConfig.GroupConfig;
import dev.switchboard.config.SwitchboardConfig.KeyRules;
import dev.switchboard.config.SwitchboardConfig.MemberConfig;
import dev.switchboard.config.SwitchboardConfig.Rates;
import dev.switchboard.config.SwitchboardConfig.TierConfig;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The routing parts of the configuration: channel rules, groups, aliases, key limits, health settings. */
class RoutingConfigTest {

  private static final String CHANNELS = """
      channels:
        - {name: a, baseUrl: 'http://a', models: [gpt-4o, 'gpt-4*'], modelMap: {fast: gpt-4o-mini}, weight: 2, cost: 3}
        - name: b
          baseUrl: 'http://b'
          models: ['*']
          enabled: false
          limits: {rpm: 60, tpm: 1000, rpd: 5000}
          quota: 100000
          tags: [cheap, eu]
          prefix: teamA
      """;

  private static SwitchboardConfig parse(String text) {
    Map<String, Object> map = new Yaml().load(text);
    return ConfigLoader.parse(map == null ? new JsonObject() : new JsonObject(map), Map.of());
  }

  private static void rejects(String key, String text) {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(text));
    assertTrue(e.getMessage().startsWith(key + ": "), e.getMessage());
  }

  @Test
  void todaysChannelsGetTheDefaultRulesAndNoGroups() {
    SwitchboardConfig c = parse("channels: [{name: a, baseUrl: 'http://a', models: [m], priority: 3, weight: 2}]");
    assertEquals(ChannelRules.DEFAULT, c.channels().get(0).rules());
    assertEquals(List.of(), c.groups());
    assertEquals(Map.of(), c.aliases());
    assertEquals(new SwitchboardConfig.Routing(2, 5_000, 120_000, 120_000, 100, 300_000, 5, 60_000, 10_000, 3_600_000), c.routing());
  }

  @Test
  void channelRulesAreRead() {
    SwitchboardConfig c = parse(CHANNELS);
    assertEquals(new ChannelRules(true, Rates.NONE, -1, List.of(), null, 3.0), c.channels().get(0).rules());
    assertEquals(new ChannelRules(false, new Rates(60, 1000, 5000), 100_000, List.of("cheap", "eu"), "teamA", 1.0),
        c.channels().get(1).rules());
    assertEquals(List.of("gpt-4o", "gpt-4*", "fast"), c.channels().get(0).models());
  }

  @Test
  void aCostQuotaIsReadExactlyInNanosAndBadOnesAreRejected() {
    SwitchboardConfig c = parse("channels: [{name: a, baseUrl: 'http://a', models: [m], costQuota: 25.10, quota: 5}]");
    assertEquals(25_100_000_000L, c.channels().get(0).rules().costQuotaNanos());
    assertEquals(5, c.channels().get(0).rules().quota());
    assertEquals(-1, parse("channels: [{name: a, baseUrl: 'http://a', models: [m]}]").channels().get(0).rules().costQuotaNanos());
    rejects("channels[0].costQuota", "channels: [{name: a, baseUrl: 'http://a', models: [m], costQuota: -1}]");
    rejects("channels[0].costQuota", "channels: [{name: a, baseUrl: 'http://a', models: [m], costQuota: 0.0000000001}]");
    rejects("channels[0].costQuota", "channels: [{name: a, baseUrl: 'http://a', models: [m], costQuota: lots}]");
  }

  @Test
  void returnCostIsAKeySettingOffByDefaultAndRollupRetentionAStatsOne() {
    SwitchboardConfig c = parse("""
        apiKeys:
          - {name: a, key: sk-aaaaaaaaaaaaaaaaaaaa, returnCost: true}
          - {name: b, key: sk-bbbbbbbbbbbbbbbbbbbb}
        stats: {rollupRetentionDays: 400}
        """);
    assertTrue(c.apiKeys().get(0).returnCost());
    assertFalse(c.apiKeys().get(1).returnCost());
    assertEquals(400, c.stats().rollupRetentionDays());
    assertEquals(0, parse("").stats().rollupRetentionDays(), "rollups kept forever by default");
    rejects("apiKeys[0].returnCost", "apiKeys: [{name: a, key: sk-aaaaaaaaaaaaaaaaaaaa, returnCost: maybe}]");
    rejects("stats.rollupRetentionDays", "stats: {rollupRetentionDays: -1}");
  }

  @Test
  void aGroupOfMembersIsOneTierAndTiersFailOver() {
    SwitchboardConfig c = parse(CHANNELS + """
        groups:
          - name: fast
            aliases: [quick]
            strategy: round_robin
            members: [a, {channel: b, model: tiny, weight: 0, cost: 0.5}]
          - name: smart
            tiers:
              - {strategy: failover, members: [{channel: a}]}
              - {members: [{channel: b}]}
        aliases: {gpt4: smart}
        """);
    assertEquals(new GroupConfig("fast", List.of("quick"), List.of(new TierConfig("round_robin", List.of(
        new MemberConfig("a", "gpt-4o-mini", 2, 3.0), new MemberConfig("b", "tiny", 0, 0.5))))), c.groups().get(0));
    GroupConfig smart = c.groups().get(1);
    assertEquals(List.of("failover", "weighted"), smart.tiers().stream().map(TierConfig::strategy).toList());
    assertEquals(new MemberConfig("a", "smart", 2, 3.0), smart.tiers().get(0).members().get(0), "the group name, through the model map");
    assertEquals(Map.of("gpt4", "smart"), c.aliases());
  }

  @Test
  void badGroupsNameTheKey() {
    rejects("groups[0].strategy", CHANNELS + "groups: [{name: g, strategy: fastest, members: [a]}]");
    rejects("groups[0].members[1].channel", CHANNELS + "groups: [{name: g, members: [a, nope]}]");
    rejects("groups[0].tiers", CHANNELS + "groups: [{name: g, members: [a], tiers: [{members: [a]}]}]");
    rejects("groups[0].members", CHANNELS + "groups: [{name: g}]");
    rejects("groups[1].name", CHANNELS + "groups: [{name: g, members: [a]}, {name: h, aliases: [g], members: [a]}]");
    rejects("groups[0].tiers[0].members", CHANNELS + "groups: [{name: g, tiers: [{strategy: random}]}]");
    rejects("channels[0].prefix", "channels: [{name: a, baseUrl: 'http://a', models: [m], prefix: 'a/b'}]");
    rejects("channels[0].limits.rpx", "channels: [{name: a, baseUrl: 'http://a', models: [m], limits: {rpx: 1}}]");
    rejects("channels[0].cost", "channels: [{name: a, baseUrl: 'http://a', models: [m], cost: -1}]");
  }

  @Test
  void clientKeyLimitsAndExpiry() {
    SwitchboardConfig c = parse("""
        apiKeys:
          - name: alice
            key: sk-alice-0123456789abcdef
            models: ['teamA/*']
            limits: {rpm: 10, tpm: 5000, rpd: 100, maxConcurrent: 2, budgetPerDay: 1.5, budgetPerMonth: 20}
            expiresAt: '2027-01-31'
          - {name: bob, key: sk-bob-0123456789abcdef, expiresAt: '2027-01-31T12:00:00Z'}
        """);
    assertEquals(new KeyRules(new Rates(10, 5000, 100), 2, 1.5, 20, 1_801_353_600_000L), c.apiKeys().get(0).rules());
    assertEquals(1_801_396_800_000L, c.apiKeys().get(1).rules().expiresAtMs());
    rejects("apiKeys[0].expiresAt", "apiKeys: [{name: a, key: sk-a-0123456789abcdef, expiresAt: soon}]");
  }

  @Test
  void healthSettingsComeFromTheEnvironmentToo() {
    Map<String, Object> empty = Map.of();
    SwitchboardConfig c = ConfigLoader.parse(new JsonObject(empty), Map.of("SWITCHBOARD_ROUTING_MAX_ERROR_COUNT", "9",
        "SWITCHBOARD_ROUTING_ERROR_WINDOW", "2m", "SWITCHBOARD_ROUTING_CIRCUIT_OPEN", "30s", "SWITCHBOARD_ROUTING_AFFINITY_TTL", "0"));
    assertEquals(9, c.routing().maxErrorCount());
    assertEquals(120_000, c.routing().errorWindowMs());
    assertEquals(30_000, c.routing().circuitOpenMs());
    assertEquals(0, c.routing().affinityTtlMs());
  }
}
