package dev.switchboard.select;

import dev.switchboard.store.ChannelSpend;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Measurements the selector folds from outcomes, published in snapshots: an EWMA of time to
 * first token per (target, upstream model), an EWMA of response-head latency per base URL, and
 * what is left of each channel's quotas: {@code quotaLeft} in tokens, {@code costLeft} in
 * billionths of the prices' currency. The mutable {@link Book} lives in the selector;
 * {@link #freeze} copies it for a snapshot.
 */
record Telemetry(Map<Long, Map<String, Double>> ttft, Map<String, Double> urlLatency, Map<Long, Long> quotaLeft,
    Map<Long, Long> costLeft) {

  static final Telemetry NONE = new Telemetry(Map.of(), Map.of(), Map.of(), Map.of());
  /** Weight of the newest sample. */
  static final double ALPHA = 0.3;
  /** What a connect error or timeout counts as for a base URL, so a dead URL sinks to the end. */
  static final double FAILED_URL_MS = 30_000;

  /** Token quotas only. */
  Telemetry(Map<Long, Map<String, Double>> ttft, Map<String, Double> urlLatency, Map<Long, Long> quotaLeft) {
    this(ttft, urlLatency, quotaLeft, Map.of());
  }

  double ttftOf(long target, String model) {
    Map<String, Double> byModel = ttft.get(target);
    if (byModel == null) return -1;
    Double v = byModel.get(model);
    if (v == null) v = byModel.get(""); // from an edge that did not say which model
    return v == null ? -1 : v;
  }

  double urlLatencyOf(String url) {
    Double v = urlLatency.get(url);
    return v == null ? -1 : v;
  }

  /** Token quota left on the channel, or {@link Long#MAX_VALUE} when it has none. */
  long quotaLeft(long channelId) {
    Long v = quotaLeft.get(channelId);
    return v == null ? Long.MAX_VALUE : v;
  }

  /** Cost quota left on the channel in nanos, or {@link Long#MAX_VALUE} when it has none. */
  long costLeft(long channelId) {
    Long v = costLeft.get(channelId);
    return v == null ? Long.MAX_VALUE : v;
  }

  /**
   * What {@code most_remaining} ranks by: the cost quota left where the channel has one, else
   * the token quota left (compare channels with the same kind of quota).
   */
  long remaining(long channelId) {
    Long cost = costLeft.get(channelId);
    return cost != null ? cost : quotaLeft(channelId);
  }

  /** Why the channel is out of rotation for its quotas, or null. */
  String exhausted(long channelId) {
    if (costLeft(channelId) <= 0) return "cost quota exhausted";
    if (quotaLeft(channelId) <= 0) return "quota exhausted";
    return null;
  }

  /**
   * The selector's mutable side. Single-threaded. Spending is counted only for channels with a
   * quota; what is not yet stored waits in {@code unsaved} for the next batch.
   */
  static final class Book {
    private final Map<Long, Map<String, Double>> ttft = new HashMap<>();
    private final Map<String, Double> urls = new HashMap<>();
    private final Map<Long, Long> tokenQuota = new HashMap<>();
    private final Map<Long, Long> costQuota = new HashMap<>();
    /** Per channel: {tokens, nanos} used in total, as stored plus what this instance has not stored yet. */
    private final Map<Long, long[]> spent = new HashMap<>();
    private final Map<Long, long[]> unsaved = new HashMap<>();

    /** Token quota only. */
    void quota(long channelId, long tokens) {
      quota(channelId, tokens, -1);
    }

    /** The channel's configured quotas; -1 = none. */
    void quota(long channelId, long tokens, long costNanos) {
      if (tokens >= 0) tokenQuota.put(channelId, tokens);
      else tokenQuota.remove(channelId);
      if (costNanos >= 0) costQuota.put(channelId, costNanos);
      else costQuota.remove(channelId);
    }

    /** Whether any channel has a quota. */
    boolean hasQuotas() {
      return !tokenQuota.isEmpty() || !costQuota.isEmpty();
    }

    void apply(Outcome o) {
      if (o.baseUrl() != null) {
        boolean dead = o.kind() == Outcome.Kind.CONNECT_ERROR || o.kind() == Outcome.Kind.TIMEOUT;
        if (dead || o.latencyMs() >= 0) urls.merge(o.baseUrl(), dead ? FAILED_URL_MS : o.latencyMs(), Book::ewma);
      }
      if (o.kind() == Outcome.Kind.SUCCESS) {
        long sample = o.ttftMs() >= 0 ? o.ttftMs() : o.latencyMs();
        if (sample >= 0) {
          ttft.computeIfAbsent(o.target(), t -> new HashMap<>()).merge(o.model() == null ? "" : o.model(), (double) sample, Book::ewma);
        }
      }
    }

    /** True when the channel has a quota (so a new snapshot should show what is left). */
    boolean spend(Spend s) {
      long id = s.channelId();
      if (!tokenQuota.containsKey(id) && !costQuota.containsKey(id)) return false;
      long tokens = Math.max(0, s.tokens());
      long nanos = Math.max(0, s.costNanos());
      if (tokens == 0 && nanos == 0) return false;
      add(spent, id, tokens, nanos);
      add(unsaved, id, tokens, nanos);
      return true;
    }

    /** What has not been stored yet, handed over for a batch write (and forgotten here). */
    List<ChannelSpend> takeUnsaved() {
      List<ChannelSpend> out = new ArrayList<>(unsaved.size());
      unsaved.forEach((id, v) -> out.add(new ChannelSpend(id, v[0], v[1])));
      unsaved.clear();
      return out;
    }

    /** A batch that could not be written: kept for the next one. */
    void unsavedAgain(List<ChannelSpend> batch) {
      batch.forEach(d -> add(unsaved, d.channelId(), d.tokens(), d.costNanos()));
    }

    /** The sums every instance stored, plus what this one has not stored yet. */
    void stored(List<ChannelSpend> totals) {
      spent.clear();
      totals.forEach(t -> add(spent, t.channelId(), t.tokens(), t.costNanos()));
      unsaved.forEach((id, v) -> add(spent, id, v[0], v[1]));
    }

    Telemetry freeze() {
      Map<Long, Map<String, Double>> t = new HashMap<>();
      ttft.forEach((k, v) -> t.put(k, Map.copyOf(v)));
      Map<Long, Long> tokensLeft = new HashMap<>();
      tokenQuota.forEach((id, q) -> tokensLeft.put(id, Math.max(0, q - spent.getOrDefault(id, ZERO)[0])));
      Map<Long, Long> costLeft = new HashMap<>();
      costQuota.forEach((id, q) -> costLeft.put(id, Math.max(0, q - spent.getOrDefault(id, ZERO)[1])));
      return new Telemetry(Map.copyOf(t), Map.copyOf(urls), Map.copyOf(tokensLeft), Map.copyOf(costLeft));
    }

    private static final long[] ZERO = {0, 0};

    private static void add(Map<Long, long[]> sums, long channelId, long tokens, long nanos) {
      long[] v = sums.computeIfAbsent(channelId, k -> new long[2]);
      v[0] += tokens;
      v[1] += nanos;
    }

    private static double ewma(double old, double sample) {
      return old + ALPHA * (sample - old);
    }
  }
}
