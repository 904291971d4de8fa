package dev.switchboard.select;

import dev.switchboard.config.SwitchboardConfig.ChannelRules;
import dev.switchboard.config.SwitchboardConfig.GroupConfig;
import dev.switchboard.config.SwitchboardConfig.MemberConfig;
import dev.switchboard.config.SwitchboardConfig.TierConfig;
import dev.switchboard.store.Channel;
import dev.switchboard.store.Credential;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns channels and the routing configuration into groups. Without a declared group, a model
 * is served by every channel that lists it (or matches it with a wildcard), in priority tiers
 * picked by weight: the behaviour from before groups existed. A channel with a {@code prefix}
 * serves its models only as {@code prefix/model}.
 */
final class RouteBuilder {

  /** A channel model pattern with {@code *} in it. */
  record Wildcard(Channel channel, String pattern) {
    boolean matches(String model) {
      return glob(pattern, model);
    }
  }

  private final RouteConfig config;
  private final List<Channel> enabled = new ArrayList<>();
  /** Every channel prefix plus "/": names under them belong to those channels only. */
  private final List<String> prefixes = new ArrayList<>();
  final Map<String, Group> groups = new HashMap<>();
  final Map<String, String> aliases = new HashMap<>();
  final List<Wildcard> wildcards = new ArrayList<>();

  RouteBuilder(List<Channel> channels, RouteConfig config) {
    this.config = config;
    for (Channel ch : channels) {
      if (ch.enabled() && config.channel(ch.name()).enabled()) enabled.add(ch);
      String prefix = config.channel(ch.name()).prefix();
      if (prefix != null && !prefixes.contains(prefix + "/")) prefixes.add(prefix + "/");
    }
  }

  RouteBuilder build() {
    Map<String, List<Channel>> byModel = new LinkedHashMap<>();
    for (Channel ch : enabled) {
      for (String model : ch.models()) {
        if (model.contains("*")) {
          wildcards.add(new Wildcard(ch, model));
        } else {
          byModel.computeIfAbsent(exposed(ch, model), m -> new ArrayList<>()).add(ch);
        }
      }
    }
    byModel.forEach((name, chs) -> groups.put(name, byPriority(name, chs)));
    Map<String, Channel> byName = new HashMap<>();
    enabled.forEach(ch -> byName.put(ch.name(), ch));
    for (GroupConfig g : config.groups()) {
      groups.put(g.name(), declared(g, byName));
      g.aliases().forEach(a -> aliases.put(a, g.name()));
    }
    aliases.putAll(config.aliases());
    return this;
  }

  /** A group for a model only wildcards serve, or null. */
  Group wildcardGroup(String model) {
    List<Channel> matching = new ArrayList<>();
    for (Wildcard w : wildcards) {
      String local = local(w.channel(), model);
      if (local != null && w.matches(local) && !matching.contains(w.channel())) matching.add(w.channel());
    }
    return matching.isEmpty() ? null : byPriority(model, matching);
  }

  private Group byPriority(String name, List<Channel> channels) {
    List<Channel> sorted = new ArrayList<>(channels);
    sorted.sort(Comparator.comparingInt(Channel::priority).reversed());
    List<Tier> tiers = new ArrayList<>();
    int i = 0;
    while (i < sorted.size()) {
      int end = i;
      while (end < sorted.size() && sorted.get(end).priority() == sorted.get(i).priority()) end++;
      List<Candidate> candidates = new ArrayList<>();
      for (int m = i; m < end; m++) {
        Channel ch = sorted.get(m);
        String local = local(ch, name);
        String upstream = ch.modelMap().getOrDefault(local, local);
        add(candidates, ch, upstream, m - i, ch.weight(), config.channel(ch.name()).cost());
      }
      tiers.add(new Tier(name + "#" + tiers.size(), Strategy.WEIGHTED, List.copyOf(candidates)));
      i = end;
    }
    return new Group(name, List.copyOf(tiers));
  }

  private Group declared(GroupConfig g, Map<String, Channel> byName) {
    List<Tier> tiers = new ArrayList<>();
    for (TierConfig t : g.tiers()) {
      List<Candidate> candidates = new ArrayList<>();
      int member = 0;
      for (MemberConfig m : t.members()) {
        Channel ch = byName.get(m.channel());
        if (ch != null) add(candidates, ch, m.model(), member, m.weight(), m.cost());
        member++;
      }
      tiers.add(new Tier(g.name() + "#" + tiers.size(), Strategy.of(t.strategy()), List.copyOf(candidates)));
    }
    return new Group(g.name(), List.copyOf(tiers));
  }

  private void add(List<Candidate> out, Channel ch, String upstream, int member, int weight, double c) {
    if (ch.credentials().isEmpty()) {
      out.add(new Candidate(ch, null, upstream, member, weight, c));
    }
    for (Credential cred : ch.credentials()) {
      out.add(new Candidate(ch, cred, upstream, member, weight, c));
    }
  }

  private String exposed(Channel ch, String model) {
    String prefix = config.channel(ch.name()).prefix();
    return prefix == null ? model : prefix + "/" + model;
  }

  /**
   * The model name as the channel lists it: the exposed name without the channel's prefix; null
   * when it lacks the prefix, or when a channel without one meets a name under another's.
   */
  private String local(Channel ch, String exposed) {
    ChannelRules rules = config.channel(ch.name());
    if (rules.prefix() == null) {
      // a shared channel's wildcard must not serve a team's names: that would bypass the isolation
      for (String p : prefixes) if (exposed.startsWith(p)) return null;
      return exposed;
    }
    String p = rules.prefix() + "/";
    return exposed.startsWith(p) ? exposed.substring(p.length()) : null;
  }

  /** {@code *} matches any run of characters, everything else itself. */
  static boolean glob(String pattern, String s) {
    int p = 0;
    int i = 0;
    int star = -1;
    int mark = 0;
    while (i < s.length()) {
      if (p < pattern.length() && pattern.charAt(p) != '*' && pattern.charAt(p) == s.charAt(i)) {
        p++;
        i++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        mark = i;
      } else if (star >= 0) {
        p = star + 1;
        i = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') p++;
    return p == pattern.length();
  }
}
