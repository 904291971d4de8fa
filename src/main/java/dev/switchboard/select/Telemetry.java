package dev.switchboard.select;

import dev.switchboard.store.ChannelSpend;
import dev.switchboard.store.CredentialSpend;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Measurements the selector folds from outcomes, published in snapshots: an EWMA of time to
 * first token per (target, upstream model), an EWMA of response-head latency per base URL, and
 * what is left of each channel's and each credential's quotas: {@code quotaLeft} in tokens,
 * {@code costLeft} in billionths of the prices' currency (by channel id; {@code credentialQuotaLeft}
 * and {@code credentialCostLeft} by credential id). The mutable {@link Book} lives in the
 * selector; {@link #freeze} copies it for a snapshot.
 */
record Telemetry(Map<Long, Map<String, Double>> ttft, Map<String, Double> urlLatency, Map<Long, Long> quotaLeft,
    Map<Long, Long> costLeft, Map<Long, Long> credentialQuotaLeft, Map<Long, Long> credentialCostLeft) {

  static final Telemetry NONE = new Telemetry(Map.of(), Map.of(), Map.of(), Map.of());
  /** Weight of the newest sample. */
  static final double ALPHA = 0.3;
  /** What a connect error or timeout counts as for a base URL, so a dead URL sinks to the end. */
  static final double FAILED_URL_MS = 30_000;

  /** Token quotas of channels only. */
  Telemetry(Map<Long, Map<String, Double>> ttft, Map<String, Double> urlLatency, Map<Long, Long> quotaLeft) {
    this(ttft, urlLatency, quotaLeft, Map.of());
  }

  /** Quotas of channels only. */
  Telemetry(Map<Long, Map<String, Double>> ttft, Map<String, Double> urlLatency, Map<Long, Long> quotaLeft,
      Map<Long, Long> costLeft) {
    this(ttft, urlLatency, quotaLeft, costLeft, Map.of(), Map.of());
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

  /**
   * What {@code most_remaining} ranks a credential by: the smaller of its channel's
   * {@link #remaining(long)} and its own (cost left where it has a cost quota, else tokens left);
   * {@code credentialId} 0 for a channel without keys.
   */
  long remaining(long channelId, long credentialId) {
    long channel = remaining(channelId);
    if (credentialId == 0) return channel;
    Long cost = credentialCostLeft.get(credentialId);
    return Math.min(channel, cost != null ? cost : credentialQuotaLeft(credentialId));
  }

  /** Why the channel is out of rotation for its quotas, or null. */
  String exhausted(long channelId) {
    if (costLeft(channelId) <= 0) return "cost quota exhausted";
    if (quotaLeft(channelId) <= 0) return "quota exhausted";
    return null;
  }

  /** Token quota left on the credential, or {@link Long#MAX_VALUE} when it has none. */
  long credentialQuotaLeft(long credentialId) {
    Long v = credentialQuotaLeft.get(credentialId);
    return v == null ? Long.MAX_VALUE : v;
  }

  /** Cost quota left on the credential in nanos, or {@link Long#MAX_VALUE} when it has none. */
  long credentialCostLeft(long credentialId) {
    Long v = credentialCostLeft.get(credentialId);
    return v == null ? Long.MAX_VALUE : v;
  }

  /** Why the credential is out of rotation for its own quotas, or null. */
  String credentialExhausted(long credentialId) {
    if (credentialCostLeft(credentialId) <= 0 || credentialQuotaLeft(credentialId) <= 0) return "credential quota exhausted";
    return null;
  }

  /**
   * The selector's mutable side. Single-threaded. Spending is counted only for channels and
   * credentials with a quota, each in its own {@link Ledger}.
   */
  static final class Book {
    private final Map<Long, Map<String, Double>> ttft = new HashMap<>();
    private final Map<String, Double> urls = new HashMap<>();
    private final Ledger channels = new Ledger();
    private final Ledger credentials = new Ledger();

    /** Token quota only. */
    void quota(long channelId, long tokens) {
      quota(channelId, tokens, -1);
    }

    /** The channel's quotas; -1 = none. */
    void quota(long channelId, long tokens, long costNanos) {
      channels.quota(channelId, tokens, costNanos);
    }

    /** The credential's own quotas; -1 = none. */
    void credentialQuota(long credentialId, long tokens, long costNanos) {
      credentials.quota(credentialId, tokens, costNanos);
    }

    /** Forgets every quota (before a reload sets those in force again). */
    void clearQuotas() {
      channels.clearQuotas();
      credentials.clearQuotas();
    }

    /** Whether any channel or credential has a quota. */
    boolean hasQuotas() {
      return channels.hasQuotas() || credentials.hasQuotas();
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

    /** True when the channel or the credential has a quota (so a new snapshot should show what is left). */
    boolean spend(Spend s) {
      long tokens = Math.max(0, s.tokens());
      long nanos = Math.max(0, s.costNanos());
      if (tokens == 0 && nanos == 0) return false;
      boolean counted = channels.spend(s.channelId(), tokens, nanos);
      // a target above 0 is a credential; below, a channel without keys
      if (s.target() > 0) counted |= credentials.spend(s.target(), tokens, nanos);
      return counted;
    }

    /** What channels used and has not been stored yet, handed over for a batch write (and forgotten here). */
    List<ChannelSpend> takeUnsaved() {
      List<ChannelSpend> out = new ArrayList<>();
      channels.takeUnsaved((id, v) -> out.add(new ChannelSpend(id, v[0], v[1])));
      return out;
    }

    /** The same for credentials. */
    List<CredentialSpend> takeUnsavedCredentials() {
      List<CredentialSpend> out = new ArrayList<>();
      credentials.takeUnsaved((id, v) -> out.add(new CredentialSpend(id, v[0], v[1])));
      return out;
    }

    /** A batch that could not be written: kept for the next one. */
    void unsavedAgain(List<ChannelSpend> batch) {
      batch.forEach(d -> channels.unsavedAgain(d.channelId(), d.tokens(), d.costNanos()));
    }

    void unsavedCredentialsAgain(List<CredentialSpend> batch) {
      batch.forEach(d -> credentials.unsavedAgain(d.credentialId(), d.tokens(), d.costNanos()));
    }

    /** The sums every instance stored, plus what this one has not stored yet. */
    void stored(List<ChannelSpend> totals) {
      Map<Long, long[]> sums = new HashMap<>();
      totals.forEach(t -> sums.put(t.channelId(), new long[] {t.tokens(), t.costNanos()}));
      channels.stored(sums);
    }

    void storedCredentials(List<CredentialSpend> totals) {
      Map<Long, long[]> sums = new HashMap<>();
      totals.forEach(t -> sums.put(t.credentialId(), new long[] {t.tokens(), t.costNanos()}));
      credentials.stored(sums);
    }

    /** Forgets what the channel used, stored or not: its quotas are whole again here. */
    void resetChannel(long channelId) {
      channels.reset(channelId);
    }

    void resetCredential(long credentialId) {
      credentials.reset(credentialId);
    }

    Telemetry freeze() {
      Map<Long, Map<String, Double>> t = new HashMap<>();
      ttft.forEach((k, v) -> t.put(k, Map.copyOf(v)));
      return new Telemetry(Map.copyOf(t), Map.copyOf(urls), channels.left(0), channels.left(1), credentials.left(0),
          credentials.left(1));
    }

    private static double ewma(double old, double sample) {
      return old + ALPHA * (sample - old);
    }
  }

  /**
   * Quotas and what was used against them, by id (of channels or of credentials): {tokens, nanos}
   * used in total as stored plus what this instance has not stored yet; what is not stored yet
   * waits in {@code unsaved} for the next batch.
   */
  private static final class Ledger {
    private static final long[] ZERO = {0, 0};
    private final Map<Long, Long> tokenQuota = new HashMap<>();
    private final Map<Long, Long> costQuota = new HashMap<>();
    private final Map<Long, long[]> spent = new HashMap<>();
    private final Map<Long, long[]> unsaved = new HashMap<>();

    void quota(long id, long tokens, long costNanos) {
      if (tokens >= 0) tokenQuota.put(id, tokens);
      else tokenQuota.remove(id);
      if (costNanos >= 0) costQuota.put(id, costNanos);
      else costQuota.remove(id);
    }

    void clearQuotas() {
      tokenQuota.clear();
      costQuota.clear();
    }

    boolean hasQuotas() {
      return !tokenQuota.isEmpty() || !costQuota.isEmpty();
    }

    boolean spend(long id, long tokens, long nanos) {
      if (!tokenQuota.containsKey(id) && !costQuota.containsKey(id)) return false;
      add(spent, id, tokens, nanos);
      add(unsaved, id, tokens, nanos);
      return true;
    }

    void takeUnsaved(java.util.function.BiConsumer<Long, long[]> to) {
      unsaved.forEach(to);
      unsaved.clear();
    }

    void unsavedAgain(long id, long tokens, long nanos) {
      add(unsaved, id, tokens, nanos);
    }

    void stored(Map<Long, long[]> totals) {
      spent.clear();
      totals.forEach((id, v) -> add(spent, id, v[0], v[1]));
      unsaved.forEach((id, v) -> add(spent, id, v[0], v[1]));
    }

    void reset(long id) {
      spent.remove(id);
      unsaved.remove(id);
    }

    /** What is left of each quota: {@code which} 0 = tokens, 1 = nanos. */
    Map<Long, Long> left(int which) {
      Map<Long, Long> out = new HashMap<>();
      (which == 0 ? tokenQuota : costQuota).forEach((id, q) -> out.put(id, Math.max(0, q - spent.getOrDefault(id, ZERO)[which])));
      return Map.copyOf(out);
    }

    private static void add(Map<Long, long[]> sums, long id, long tokens, long nanos) {
      long[] v = sums.computeIfAbsent(id, k -> new long[2]);
      v[0] += tokens;
      v[1] += nanos;
    }
  }
}
