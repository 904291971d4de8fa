package dev.switchboard.select;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.config.SwitchboardConfig.ChannelRules;
import dev.switchboard.config.SwitchboardConfig.GroupConfig;
import dev.switchboard.config.SwitchboardConfig.KeyRules;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The routing configuration a snapshot is built with: channel rules and client-key limits by
 * name (declared in YAML; channels managed at run time get the defaults), groups, aliases, and
 * the price lookup {@code lowest_cost} uses before a member's own {@code cost}.
 */
public record RouteConfig(Map<String, ChannelRules> channels, Map<String, KeyRules> keys, List<GroupConfig> groups,
    Map<String, String> aliases, CostLookup costs) {

  /**
   * A price per (channel, upstream model), consulted by {@code lowest_cost} at pick time so a
   * changed price applies at once; NaN when unknown (the member's {@code cost} then counts).
   */
  @FunctionalInterface
  public interface CostLookup {
    CostLookup NONE = (channelId, channel, model) -> Double.NaN;

    double cost(long channelId, String channel, String upstreamModel);
  }

  public static final RouteConfig NONE = new RouteConfig(Map.of(), Map.of(), List.of(), Map.of(), CostLookup.NONE);

  public static RouteConfig from(SwitchboardConfig config) {
    return from(config, CostLookup.NONE);
  }

  public static RouteConfig from(SwitchboardConfig config, CostLookup costs) {
    Map<String, ChannelRules> channels = new HashMap<>();
    config.channels().forEach(c -> channels.put(c.name(), c.rules()));
    Map<String, KeyRules> keys = new HashMap<>();
    config.apiKeys().forEach(k -> keys.put(k.name(), k.rules()));
    return new RouteConfig(Map.copyOf(channels), Map.copyOf(keys), config.groups(), config.aliases(), costs);
  }

  public ChannelRules channel(String name) {
    return channels.getOrDefault(name, ChannelRules.DEFAULT);
  }

  public KeyRules key(String name) {
    return keys.getOrDefault(name, KeyRules.NONE);
  }
}
