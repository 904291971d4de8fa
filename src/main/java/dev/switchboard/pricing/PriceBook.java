package dev.switchboard.pricing;

import dev.switchboard.pricing.PriceVersion.Scope;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every stored price version, indexed for lookup; immutable, so any thread may read it while
 * the owner builds the next one. Resolution at a time: the channel's own price for the model,
 * else the operator default, else the synced catalogue; at each level the version in effect
 * then (the latest one effective at or before that time), unless that version is a withdrawal.
 */
public final class PriceBook {

  public static final PriceBook EMPTY = new PriceBook(List.of());

  private final Map<Key, List<PriceVersion>> versions = new HashMap<>();
  private final int size;

  private record Key(Scope scope, long channelId, String model) {}

  public PriceBook(Collection<PriceVersion> all) {
    for (PriceVersion v : all) {
      versions.computeIfAbsent(new Key(v.scope(), v.channelId(), v.model()), k -> new ArrayList<>()).add(v);
    }
    Comparator<PriceVersion> order = Comparator.comparingLong(PriceVersion::effectiveFromMs)
        .thenComparingLong(PriceVersion::id);
    versions.values().forEach(list -> list.sort(order));
    this.size = all.size();
  }

  /** The price version for a request to {@code model} over channel {@code channelId} at {@code atMs}. */
  public Optional<PriceVersion> resolve(long channelId, String model, long atMs) {
    if (model == null) return Optional.empty();
    PriceVersion v = channelId == 0 ? null : at(new Key(Scope.CHANNEL, channelId, model), atMs);
    if (v == null) v = at(new Key(Scope.DEFAULT, 0, model), atMs);
    if (v == null) v = at(new Key(Scope.CATALOGUE, 0, model), atMs);
    return Optional.ofNullable(v);
  }

  /** The newest version at a level whatever its time (what a sync compares against), withdrawals included. */
  public Optional<PriceVersion> latest(Scope scope, long channelId, String model) {
    List<PriceVersion> list = versions.get(new Key(scope, channelId, model));
    return list == null ? Optional.empty() : Optional.of(list.get(list.size() - 1));
  }

  /** The newest version of every model at a level (withdrawals included). */
  public List<PriceVersion> latestAt(Scope scope) {
    List<PriceVersion> out = new ArrayList<>();
    versions.forEach((k, list) -> {
      if (k.scope() == scope) out.add(list.get(list.size() - 1));
    });
    return out;
  }

  /** How many versions in total. */
  public int size() {
    return size;
  }

  private PriceVersion at(Key key, long atMs) {
    List<PriceVersion> list = versions.get(key);
    if (list == null) return null;
    PriceVersion found = null;
    for (PriceVersion v : list) {
      if (v.effectiveFromMs() > atMs) break;
      found = v;
    }
    return found == null || found.price().withdrawn() ? null : found;
  }
}
