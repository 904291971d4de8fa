package dev.switchboard.select;

import java.util.HashMap;
import java.util.Map;

/**
 * Measurements the selector folds from outcomes, published in snapshots: an EWMA of time to
 * first token per (target, upstream model), an EWMA of response-head latency per base URL, and
 * the quota left per channel. The mutable {@link Book} lives in the selector; {@link #freeze}
 * copies it for a snapshot.
 */
record Telemetry(Map<Long, Map<String, Double>> ttft, Map<String, Double> urlLatency, Map<Long, Long> quotaLeft) {

  static final Telemetry NONE = new Telemetry(Map.of(), Map.of(), Map.of());
  /** Weight of the newest sample. */
  static final double ALPHA = 0.3;
  /** What a connect error or timeout counts as for a base URL, so a dead URL sinks to the end. */
  static final double FAILED_URL_MS = 30_000;

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

  /** Quota left on the channel, or {@link Long#MAX_VALUE} when it has none. */
  long quotaLeft(long channelId) {
    Long v = quotaLeft.get(channelId);
    return v == null ? Long.MAX_VALUE : v;
  }

  /** The selector's mutable side. Single-threaded. */
  static final class Book {
    private final Map<Long, Map<String, Double>> ttft = new HashMap<>();
    private final Map<String, Double> urls = new HashMap<>();
    private final Map<Long, Long> quota = new HashMap<>();

    void quota(long channelId, long total) {
      if (total >= 0) quota.putIfAbsent(channelId, total);
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
      Long left = quota.get(s.channelId());
      if (left == null || s.tokens() <= 0) return false;
      quota.put(s.channelId(), Math.max(0, left - s.tokens()));
      return true;
    }

    Telemetry freeze() {
      Map<Long, Map<String, Double>> t = new HashMap<>();
      ttft.forEach((k, v) -> t.put(k, Map.copyOf(v)));
      return new Telemetry(Map.copyOf(t), Map.copyOf(urls), Map.copyOf(quota));
    }

    private static double ewma(double old, double sample) {
      return old + ALPHA * (sample - old);
    }
  }
}
