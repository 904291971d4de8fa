package dev.switchboard.select;

import dev.switchboard.config.SwitchboardConfig.ChannelRules;
import dev.switchboard.config.SwitchboardConfig.KeyRules;
import dev.switchboard.store.Channel;
import dev.switchboard.store.ClientKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An immutable view of the pool that edges pick leases from without asking anyone: groups per
 * exposed model (failover tiers, each with its strategy), client keys by hash, benches, and the
 * latency and quota measurements. The selector publishes a new one whenever any of that
 * changes. Picking mutates nothing shared but a half-open bench's probe claim (one CAS); what
 * strategies remember lives in a per-edge {@link PickState}.
 */
public final class PoolSnapshot {

  /** Share of picks that try another base URL than the fastest, to keep measuring it. */
  static final double URL_EXPLORE = 0.05;
  private static final int WILDCARD_CACHE = 4_096;

  private final long version;
  private final RouteBuilder routes;
  private final Map<String, ClientKey> keysByHash;
  private final Map<Long, List<Bench>> benches;
  private final Telemetry telemetry;
  private final RouteConfig config;
  private final Map<Long, Channel> channelsById;
  private final List<String> models;
  private final ConcurrentHashMap<String, Group> wildcardGroups = new ConcurrentHashMap<>();

  private PoolSnapshot(long version, RouteBuilder routes, Map<String, ClientKey> keysByHash, Map<Long, List<Bench>> benches,
      Telemetry telemetry, RouteConfig config, Map<Long, Channel> channelsById) {
    this.version = version;
    this.routes = routes;
    this.keysByHash = keysByHash;
    this.benches = benches;
    this.telemetry = telemetry;
    this.config = config;
    this.channelsById = channelsById;
    TreeSet<String> names = new TreeSet<>(routes.groups.keySet());
    names.addAll(routes.aliases.keySet());
    this.models = List.copyOf(names);
  }

  public static PoolSnapshot empty() {
    return of(0, List.of(), List.of(), Map.of());
  }

  /** Without routing configuration; {@code benchedUntil} benches whole targets for every model. */
  public static PoolSnapshot of(long version, List<Channel> channels, List<ClientKey> keys, Map<Long, Long> benchedUntil) {
    return of(version, channels, keys, RouteConfig.NONE, asBenches(benchedUntil), Telemetry.NONE);
  }

  static PoolSnapshot of(long version, List<Channel> channels, List<ClientKey> keys, RouteConfig config,
      Map<Long, List<Bench>> benches, Telemetry telemetry) {
    Map<String, ClientKey> byHash = new HashMap<>();
    keys.stream().filter(ClientKey::enabled).forEach(k -> byHash.put(k.keyHash(), k));
    Map<Long, Channel> byId = new HashMap<>();
    channels.forEach(c -> byId.put(c.id(), c));
    return new PoolSnapshot(version, new RouteBuilder(channels, config).build(), Map.copyOf(byHash), benches, telemetry,
        config, Map.copyOf(byId));
  }

  public PoolSnapshot withBenched(long newVersion, Map<Long, Long> benched) {
    return new PoolSnapshot(newVersion, routes, keysByHash, asBenches(benched), telemetry, config, channelsById);
  }

  PoolSnapshot with(long newVersion, Map<Long, List<Bench>> newBenches, Telemetry newTelemetry) {
    return new PoolSnapshot(newVersion, routes, keysByHash, newBenches, newTelemetry, config, channelsById);
  }

  private static Map<Long, List<Bench>> asBenches(Map<Long, Long> benchedUntil) {
    Map<Long, List<Bench>> out = new HashMap<>();
    benchedUntil.forEach((t, until) -> out.put(t, List.of(Bench.of(t, null, Bench.State.COOLING, until, "benched", 0))));
    return Map.copyOf(out);
  }

  public long version() {
    return version;
  }

  /** The enabled, unexpired key with this hash, or null. */
  public ClientKey keyByHash(String sha256Hex) {
    ClientKey key = keysByHash.get(sha256Hex);
    return key == null || key.expiredAt(System.currentTimeMillis()) ? null : key;
  }

  public int keyCount() {
    return keysByHash.size();
  }

  public int channelCount() {
    Set<Long> ids = new java.util.HashSet<>();
    routes.groups.values().forEach(g -> g.tiers().forEach(t -> t.candidates().forEach(c -> ids.add(c.channel().id()))));
    routes.wildcards.forEach(w -> ids.add(w.channel().id()));
    return ids.size();
  }

  /** Every exposed model and alias, sorted (wildcard-served names are not listed). */
  public List<String> models() {
    return models;
  }

  public boolean serves(String model) {
    return group(model) != null;
  }

  /** Whether the key may use the model: its list allows the name, its alias target, or a {@code prefix*} pattern covering it. */
  public boolean allows(ClientKey key, String model) {
    if (key.models().isEmpty() || key.allows(model)) return true;
    String target = routes.aliases.get(model);
    for (String allowed : key.models()) {
      if (allowed.contains("*") && (RouteBuilder.glob(allowed, model) || target != null && RouteBuilder.glob(allowed, target))) return true;
      if (allowed.equals(target)) return true;
    }
    return false;
  }

  /** Whether the channel is in this snapshot. */
  public boolean hasChannel(long channelId) {
    return channelsById.containsKey(channelId);
  }

  /** Whether a credential of a channel of this snapshot has this id. */
  public boolean hasCredential(long credentialId) {
    for (Channel ch : channelsById.values()) {
      for (var cred : ch.credentials()) {
        if (cred.id() == credentialId) return true;
      }
    }
    return false;
  }

  /** The routing attributes of a channel (limits, quota, tags); defaults for channels not declared in YAML. */
  public ChannelRules channelRules(long channelId) {
    Channel ch = channelsById.get(channelId);
    return ch == null ? ChannelRules.DEFAULT : config.channel(ch.name());
  }

  /** The limits of a client key as declared in YAML, or none. */
  public KeyRules keyRules(ClientKey key) {
    return config.key(key.name());
  }

  /** {@link #pick(String, Set, long, long)} without a session binding. */
  public Lease pick(String model, Set<Long> tried, long nowMs) {
    return pick(model, tried, nowMs, 0, PickState.current());
  }

  /**
   * Picks a lease for the model: the bound target {@code preferredTarget} (0 = none) when it is
   * usable and not tried, else the first tier with a usable target, chosen by the tier's
   * strategy. Tried, benched, disabled and out-of-quota targets are skipped; a half-open target
   * is leased to one edge only, as its probe. Null when nothing is usable.
   */
  public Lease pick(String model, Set<Long> tried, long nowMs, long preferredTarget) {
    return pick(model, tried, nowMs, preferredTarget, PickState.current(), PickTrace.NONE);
  }

  /** The same, telling {@code trace} what it skipped and why, and what it chose. */
  public Lease pick(String model, Set<Long> tried, long nowMs, long preferredTarget, PickTrace trace) {
    return pick(model, tried, nowMs, preferredTarget, PickState.current(), trace);
  }

  Lease pick(String model, Set<Long> tried, long nowMs, long preferredTarget, PickState state) {
    return pick(model, tried, nowMs, preferredTarget, state, PickTrace.NONE);
  }

  private Lease pick(String model, Set<Long> tried, long nowMs, long preferredTarget, PickState state, PickTrace trace) {
    Group group = group(model);
    if (group == null) return null;
    if (preferredTarget != 0) {
      // the session's target while it is usable, unless a higher tier is usable again: a
      // session that failed over goes back with everyone else
      // what it passes over is told only if the binding wins; else the pick below tells it
      List<Candidate> passed = trace == PickTrace.NONE ? null : new ArrayList<>();
      preferred:
      for (int t = 0; t < group.tiers().size(); t++) {
        Tier tier = group.tiers().get(t);
        boolean tierUsable = false;
        for (Candidate c : tier.candidates()) {
          boolean usable = !tried.contains(c.target()) && skipReason(c, nowMs, false) == null;
          if (usable && c.target() == preferredTarget) {
            if (passed != null) {
              for (Candidate p : passed) {
                skipped(trace, p, tried.contains(p.target()) ? "already tried" : skipReason(p, nowMs, false));
              }
            }
            trace.chose(group.name(), t, tier.strategy().configName(), true);
            return lease(c, tier, state);
          }
          if (!usable && passed != null) passed.add(c);
          tierUsable |= usable;
        }
        if (tierUsable) break preferred;
      }
    }
    for (int t = 0; t < group.tiers().size(); t++) {
      Tier tier = group.tiers().get(t);
      List<Candidate> usable = new ArrayList<>(tier.candidates().size());
      for (Candidate c : tier.candidates()) {
        String skip = tried.contains(c.target()) ? "already tried" : skipReason(c, nowMs, true);
        if (skip == null) usable.add(c);
        else if (trace != PickTrace.NONE) skipped(trace, c, skip);
      }
      while (!usable.isEmpty()) {
        Candidate chosen = Strategies.choose(tier, usable, state, telemetry, config.costs());
        if (chosen == null) break;
        Bench probe = probeFor(chosen, nowMs);
        if (probe == null || probe.claimProbe(nowMs)) {
          trace.chose(group.name(), t, tier.strategy().configName(), false);
          return lease(chosen, tier, state);
        }
        skipped(trace, chosen, "half-open, another request is probing it");
        usable.removeIf(c -> c == chosen); // another edge took the probe
      }
    }
    return null;
  }

  private static void skipped(PickTrace trace, Candidate c, String reason) {
    trace.skipped(c.channel().name(), c.credential() == null ? 0 : c.credential().id(), c.upstreamModel(), reason);
  }

  private Lease lease(Candidate c, Tier tier, PickState state) {
    state.markUsed(c.target());
    if (tier.strategy() == Strategy.FILL_FIRST) state.fill(tier.key(), c.target());
    return c.lease(baseUrl(c.channel()));
  }

  /** Whether more than one target could serve {@code model}: only then does session affinity choose anything. */
  public boolean hasChoice(String model) {
    Group group = group(model);
    if (group == null) return false;
    int targets = 0;
    for (Tier tier : group.tiers()) {
      targets += tier.candidates().size();
      if (targets > 1) return true;
    }
    return false;
  }

  /**
   * Whether every candidate for {@code model} is out only because its upstream rate limited it
   * (a 429 cooldown still running): the client should then hear a 429, not "no upstream".
   */
  public boolean onlyRateLimited(String model, long nowMs) {
    Group group = group(model);
    if (group == null) return false;
    boolean any = false;
    for (Tier tier : group.tiers()) {
      for (Candidate c : tier.candidates()) {
        List<Bench> list = benches.get(c.target());
        boolean cooling = false;
        if (list != null) {
          for (Bench b : list) {
            if (b.covers(c.upstreamModel()) && b.blocks(nowMs)) {
              if (b.state() != Bench.State.COOLING) return false;
              cooling = true;
            }
          }
        }
        if (!cooling) return false;
        any = true;
      }
    }
    return any;
  }

  /** Why the candidate cannot be used now, or null; with {@code allowProbe} a half-open bench does not block. */
  private String skipReason(Candidate c, long now, boolean allowProbe) {
    if (c.credential() != null && !c.credential().enabled()) return "credential disabled";
    List<Bench> list = benches.get(c.target());
    if (list != null) {
      for (Bench b : list) {
        if (b.covers(c.upstreamModel()) && (b.blocks(now) || !allowProbe && b.wantsProbe(now))) return b.describe(now);
      }
    }
    String channel = telemetry.exhausted(c.channel().id());
    if (channel != null || c.credential() == null) return channel;
    return telemetry.credentialExhausted(c.credential().id());
  }

  private Bench probeFor(Candidate c, long now) {
    List<Bench> list = benches.get(c.target());
    if (list == null) return null;
    for (Bench b : list) {
      if (b.covers(c.upstreamModel()) && b.wantsProbe(now)) return b;
    }
    return null;
  }

  /** The half-open bench a lease from {@link #pick} probes, or null when it is an ordinary lease. */
  Bench probing(Lease lease, long now) {
    List<Bench> list = benches.get(lease.target());
    if (list == null) return null;
    for (Bench b : list) {
      if (b.covers(lease.upstreamModel()) && b.wantsProbe(now)) return b;
    }
    return null;
  }

  /** The fastest base URL by measured latency; unmeasured ones first, and another one now and then. */
  private String baseUrl(Channel ch) {
    List<String> urls = ch.baseUrls();
    if (urls.size() == 1) return urls.get(0);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String best = null;
    double bestMs = Double.MAX_VALUE;
    int unmeasured = 0;
    String pickUnmeasured = null;
    for (String url : urls) {
      double ms = telemetry.urlLatencyOf(url);
      if (ms < 0) {
        if (random.nextInt(++unmeasured) == 0) pickUnmeasured = url;
      } else if (ms < bestMs) {
        best = url;
        bestMs = ms;
      }
    }
    if (pickUnmeasured != null) return pickUnmeasured;
    if (random.nextDouble() < URL_EXPLORE) return urls.get(random.nextInt(urls.size()));
    return best;
  }

  /** A disabled credential whose probe is due, with a lease to probe it on. */
  record Due(Bench bench, Lease lease) {}

  /** Disabled credentials (of known channels) whose time is up and whose probe nobody has claimed. Claims nothing. */
  List<Due> disabledDue(long now) {
    List<Due> out = new ArrayList<>();
    benches.forEach((target, list) -> {
      for (Bench b : list) {
        if (b.state() != Bench.State.DISABLED || !b.wantsProbe(now) || b.blocks(now)) continue;
        for (Channel ch : channelsById.values()) {
          if (target < 0 && ch.id() == -target) {
            out.add(new Due(b, new Lease(ch.id(), ch.name(), ch.type(), 0, null, baseUrl(ch), null)));
          }
          for (var cred : ch.credentials()) {
            if (cred.id() == target) out.add(new Due(b, new Lease(ch.id(), ch.name(), ch.type(), cred.id(), cred.secret(), baseUrl(ch), null)));
          }
        }
      }
    });
    return out;
  }

  /** When the earliest benched target for the model comes back, or 0 if none is benched. */
  public long earliestReturn(String model, long nowMs) {
    Group group = group(model);
    if (group == null) return 0;
    long earliest = 0;
    for (Tier tier : group.tiers()) {
      for (Candidate c : tier.candidates()) {
        for (Bench b : benches.getOrDefault(c.target(), List.of())) {
          if (b.covers(c.upstreamModel()) && b.until() > nowMs && (earliest == 0 || b.until() < earliest)) earliest = b.until();
        }
      }
    }
    return earliest;
  }

  /**
   * A dry run for an admin: every candidate for the model in the order tiers are tried, with
   * why it would be skipped for this key now. Claims nothing and records nothing.
   */
  public Explanation explain(String model, ClientKey key, long nowMs) {
    Group group = group(model);
    List<Explanation.Step> steps = new ArrayList<>();
    if (group != null) {
      boolean allowed = key == null || allows(key, model);
      for (int t = 0; t < group.tiers().size(); t++) {
        Tier tier = group.tiers().get(t);
        for (Candidate c : tier.candidates()) {
          String skip = !allowed ? "key '" + key.name() + "' may not use " + model : skipReason(c, nowMs, true);
          steps.add(new Explanation.Step(t, tier.strategy().configName(), c.channel().name(),
              c.credential() == null ? 0 : c.credential().id(), c.upstreamModel(), skip));
        }
      }
    }
    return new Explanation(model, group == null ? null : group.name(), List.copyOf(steps));
  }

  /** One bench as an admin sees it: {@code state} cooling, open, disabled or half_open (its time is up, a probe decides). */
  public record BenchStatus(String model, String state, long untilMs, String reason) {}

  /**
   * One target of a channel: a credential (id &gt; 0) or the channel itself when it has no keys
   * (0), with what is left of the credential's own quotas (tokens, nanos; -1 = none).
   */
  public record TargetStatus(long credentialId, boolean enabled, List<BenchStatus> benches, Map<String, Double> ttftMs,
      long quotaLeft, long costLeftNanos) {}

  /**
   * A channel's live status: its routing switch, token quota left (-1 = none), cost quota left in
   * nanos (-1 = none), latency per base URL (-1 = unmeasured).
   */
  public record ChannelStatus(Channel channel, boolean enabled, long quotaLeft, long costLeftNanos,
      Map<String, Double> urlLatencyMs, List<TargetStatus> targets) {}

  /**
   * Every channel of the snapshot with its credentials, their benches in force or waiting for a
   * probe at {@code nowMs}, and the measurements picks use. Claims nothing.
   */
  public List<ChannelStatus> status(long nowMs) {
    List<ChannelStatus> out = new ArrayList<>();
    channelsById.values().stream().sorted(java.util.Comparator.comparingLong(Channel::id)).forEach(ch -> {
      List<TargetStatus> targets = new ArrayList<>();
      if (ch.credentials().isEmpty()) {
        targets.add(targetStatus(-ch.id(), 0, true, nowMs));
      }
      for (var cred : ch.credentials()) {
        targets.add(targetStatus(cred.id(), cred.id(), cred.enabled(), nowMs));
      }
      Map<String, Double> urls = new java.util.LinkedHashMap<>();
      ch.baseUrls().forEach(u -> urls.put(u, telemetry.urlLatencyOf(u)));
      long quota = telemetry.quotaLeft(ch.id());
      long cost = telemetry.costLeft(ch.id());
      out.add(new ChannelStatus(ch, ch.enabled() && channelRules(ch.id()).enabled(), quota == Long.MAX_VALUE ? -1 : quota,
          cost == Long.MAX_VALUE ? -1 : cost, urls, List.copyOf(targets)));
    });
    return out;
  }

  private TargetStatus targetStatus(long target, long credentialId, boolean enabled, long nowMs) {
    List<BenchStatus> list = new ArrayList<>();
    for (Bench b : benches.getOrDefault(target, List.of())) {
      if (b.until() <= nowMs && !b.wantsProbe(nowMs)) continue; // a spent cooldown
      String state = b.until() > nowMs ? b.state().name().toLowerCase(java.util.Locale.ROOT) : "half_open";
      list.add(new BenchStatus(b.model(), state, b.until(), b.reason()));
    }
    Map<String, Double> ttft = telemetry.ttft().getOrDefault(target, Map.of());
    long quota = credentialId == 0 ? Long.MAX_VALUE : telemetry.credentialQuotaLeft(credentialId);
    long cost = credentialId == 0 ? Long.MAX_VALUE : telemetry.credentialCostLeft(credentialId);
    return new TargetStatus(credentialId, enabled, List.copyOf(list), ttft, quota == Long.MAX_VALUE ? -1 : quota,
        cost == Long.MAX_VALUE ? -1 : cost);
  }

  private Group group(String model) {
    if (model == null) return null;
    String name = routes.aliases.getOrDefault(model, model);
    Group g = routes.groups.get(name);
    if (g != null || routes.wildcards.isEmpty()) return g;
    g = wildcardGroups.get(name);
    if (g != null) return g;
    g = routes.wildcardGroup(name);
    // bounded: a client can send any model name
    if (g != null && wildcardGroups.size() < WILDCARD_CACHE) wildcardGroups.putIfAbsent(name, g);
    return g;
  }
}
