package dev.switchboard.select;

import dev.switchboard.config.SwitchboardConfig.ChannelRules;
import dev.switchboard.config.SwitchboardConfig.GroupConfig;
import dev.switchboard.config.SwitchboardConfig.MemberConfig;
import dev.switchboard.config.SwitchboardConfig.TierConfig;
import dev.switchboard.store.AdminStore.StoredAlias;
import dev.switchboard.store.AdminStore.StoredGroup;
import dev.switchboard.store.Channel;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Groups and aliases created over the management API, turned into the shape YAML groups have.
 * A stored member names its channel by id (a rename keeps it); its model, weight and cost
 * default from the channel as a YAML member's do. A member whose channel is gone is dropped,
 * as a YAML member of a disabled channel is.
 */
public final class StoredRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(StoredRoutes.class);

  private StoredRoutes() {}

  /** {@code base} with the stored groups and aliases added (names were checked unique when stored). */
  public static RouteConfig merge(RouteConfig base, List<StoredGroup> groups, List<StoredAlias> aliases, List<Channel> channels) {
    if (groups.isEmpty() && aliases.isEmpty()) return base;
    Map<Long, Channel> byId = new HashMap<>();
    channels.forEach(c -> byId.put(c.id(), c));
    List<GroupConfig> all = new ArrayList<>(base.groups());
    for (StoredGroup g : groups) {
      GroupConfig parsed = group(g, byId, base);
      if (parsed != null) all.add(parsed);
    }
    Map<String, String> allAliases = new HashMap<>(base.aliases());
    aliases.forEach(a -> allAliases.putIfAbsent(a.alias(), a.model()));
    return new RouteConfig(base.channels(), base.keys(), List.copyOf(all), Map.copyOf(allAliases), base.costs());
  }

  private static GroupConfig group(StoredGroup g, Map<Long, Channel> channels, RouteConfig base) {
    try {
      JsonObject def = new JsonObject(g.definition());
      List<String> aliases = new ArrayList<>();
      def.getJsonArray("aliases", new JsonArray()).forEach(a -> aliases.add((String) a));
      List<TierConfig> tiers = new ArrayList<>();
      for (Object t : def.getJsonArray("tiers", new JsonArray())) {
        JsonObject tier = (JsonObject) t;
        List<MemberConfig> members = new ArrayList<>();
        for (Object m : tier.getJsonArray("members", new JsonArray())) {
          JsonObject member = (JsonObject) m;
          Channel ch = channels.get(member.getLong("channelId", -1L));
          if (ch == null) continue;
          ChannelRules rules = base.channel(ch.name());
          // absent and null alike take the channel's default
          String model = member.getString("model");
          Integer weight = member.getInteger("weight");
          Double cost = member.getDouble("cost");
          members.add(new MemberConfig(ch.name(), model != null ? model : ch.modelMap().getOrDefault(g.name(), g.name()),
              weight != null ? weight : ch.weight(), cost != null ? cost : rules.cost()));
        }
        tiers.add(new TierConfig(tier.getString("strategy", "weighted"), List.copyOf(members)));
      }
      return new GroupConfig(g.name(), List.copyOf(aliases), List.copyOf(tiers));
    } catch (DecodeException | ClassCastException | NullPointerException e) {
      // written by the API after validation: only a hand-edited row gets here
      LOG.warn("stored group '{}' is unreadable and not routed: {}", g.name(), e.getMessage());
      return null;
    }
  }
}
