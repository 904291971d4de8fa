package dev.switchboard.select;

import dev.switchboard.store.Channel;
import dev.switchboard.store.ClientKey;
import dev.switchboard.store.Credential;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An immutable view of the pool that edges pick leases from without asking anyone: routes per
 * exposed model (highest priority first), client keys by hash, and the targets that are
 * benched until a given time. The selector publishes a new one whenever any of that changes.
 */
public final class PoolSnapshot {

  /** One way to serve a model: a channel and the name its upstream uses. */
  public record Route(Channel channel, String upstreamModel) {}

  private final long version;
  private final Map<String, List<Route>> routes;
  private final Map<String, ClientKey> keysByHash;
  private final Map<Long, Long> benchedUntil;
  private final List<String> models;

  private PoolSnapshot(long version, Map<String, List<Route>> routes, Map<String, ClientKey> keysByHash,
      Map<Long, Long> benchedUntil) {
    this.version = version;
    this.routes = routes;
    this.keysByHash = keysByHash;
    this.benchedUntil = benchedUntil;
    this.models = List.copyOf(new TreeSet<>(routes.keySet()));
  }

  public static PoolSnapshot empty() {
    return new PoolSnapshot(0, Map.of(), Map.of(), Map.of());
  }

  /** Builds routes from enabled channels; a channel's model map renames models upstream. */
  public static PoolSnapshot of(long version, List<Channel> channels, List<ClientKey> keys, Map<Long, Long> benchedUntil) {
    Map<String, List<Route>> routes = new HashMap<>();
    for (Channel channel : channels) {
      if (!channel.enabled()) continue;
      for (String model : channel.models()) {
        String upstream = channel.modelMap().getOrDefault(model, model);
        routes.computeIfAbsent(model, m -> new ArrayList<>()).add(new Route(channel, upstream));
      }
    }
    Map<String, List<Route>> sorted = new HashMap<>();
    routes.forEach((model, list) -> {
      list.sort(Comparator.comparingInt((Route r) -> r.channel().priority()).reversed());
      sorted.put(model, List.copyOf(list));
    });
    Map<String, ClientKey> byHash = new HashMap<>();
    keys.stream().filter(ClientKey::enabled).forEach(k -> byHash.put(k.keyHash(), k));
    return new PoolSnapshot(version, Map.copyOf(sorted), Map.copyOf(byHash), Map.copyOf(benchedUntil));
  }

  public PoolSnapshot withBenched(long newVersion, Map<Long, Long> benched) {
    return new PoolSnapshot(newVersion, routes, keysByHash, Map.copyOf(benched));
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
    return (int) routes.values().stream().flatMap(List::stream).map(r -> r.channel().id()).distinct().count();
  }

  /** Every exposed model, sorted. */
  public List<String> models() {
    return models;
  }

  public boolean serves(String model) {
    return routes.containsKey(model);
  }

  /**
   * Picks a lease for the model: the highest priority tier that has a usable target wins,
   * channels in a tier by weight, credentials in a channel at random. Targets in
   * {@code tried} or benched at {@code nowMs} are skipped. Null when nothing is usable.
   */
  public Lease pick(String model, Set<Long> tried, long nowMs) {
    List<Route> candidates = routes.get(model);
    if (candidates == null) return null;
    int i = 0;
    while (i < candidates.size()) {
      int priority = candidates.get(i).channel().priority();
      int end = i;
      while (end < candidates.size() && candidates.get(end).channel().priority() == priority) end++;
      Lease lease = pickInTier(candidates.subList(i, end), tried, nowMs);
      if (lease != null) return lease;
      i = end;
    }
    return null;
  }

  /** When the earliest benched target for the model comes back, or 0 if none is benched. */
  public long earliestReturn(String model, long nowMs) {
    long earliest = 0;
    for (Route route : routes.getOrDefault(model, List.of())) {
      for (long target : targets(route.channel())) {
        long until = benchedUntil.getOrDefault(target, 0L);
        if (until > nowMs && (earliest == 0 || until < earliest)) earliest = until;
      }
    }
    return earliest;
  }

  private Lease pickInTier(List<Route> tier, Set<Long> tried, long nowMs) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    List<Route> open = new ArrayList<>(tier);
    while (!open.isEmpty()) {
      int total = 0;
      for (Route r : open) total += r.channel().weight();
      int ticket = random.nextInt(total);
      int idx = 0;
      while (ticket >= open.get(idx).channel().weight()) {
        ticket -= open.get(idx).channel().weight();
        idx++;
      }
      Route route = open.get(idx);
      Lease lease = pickCredential(route, tried, nowMs, random);
      if (lease != null) return lease;
      open.remove(idx);
    }
    return null;
  }

  private Lease pickCredential(Route route, Set<Long> tried, long nowMs, ThreadLocalRandom random) {
    Channel ch = route.channel();
    String baseUrl = ch.baseUrls().size() == 1 ? ch.baseUrls().get(0) : ch.baseUrls().get(random.nextInt(ch.baseUrls().size()));
    if (ch.credentials().isEmpty()) {
      long target = -ch.id();
      return usable(target, tried, nowMs) ? new Lease(ch.id(), ch.name(), ch.type(), 0, null, baseUrl, route.upstreamModel()) : null;
    }
    List<Credential> usable = new ArrayList<>(ch.credentials().size());
    for (Credential c : ch.credentials()) {
      if (c.enabled() && usable(c.id(), tried, nowMs)) usable.add(c);
    }
    if (usable.isEmpty()) return null;
    Credential c = usable.get(random.nextInt(usable.size()));
    return new Lease(ch.id(), ch.name(), ch.type(), c.id(), c.secret(), baseUrl, route.upstreamModel());
  }

  private boolean usable(long target, Set<Long> tried, long nowMs) {
    return !tried.contains(target) && benchedUntil.getOrDefault(target, 0L) <= nowMs;
  }

  private static List<Long> targets(Channel ch) {
    if (ch.credentials().isEmpty()) return List.of(-ch.id());
    return ch.credentials().stream().map(Credential::id).toList();
  }
}
