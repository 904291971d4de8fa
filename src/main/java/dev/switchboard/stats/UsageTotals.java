package dev.switchboard.stats;

import java.math.BigDecimal;

/**
 * Sums over the usage records of one group: an hour of a time series ({@code hourMs} set) or
 * one key, channel or model of a breakdown (that one set). Fields that do not name the group are
 * {@code -1} or {@code null}. {@code unpriced} counts requests no price was known for (their cost
 * is not in {@code costNanos}); {@code latencyMs} is the sum of their latencies.
 */
public record UsageTotals(
    long hourMs,
    long clientKeyId,
    long channelId,
    String model,
    long requests,
    long errors,
    long inputTokens,
    long outputTokens,
    long cachedTokens,
    long cacheWrite5mTokens,
    long cacheWrite1hTokens,
    long reasoningTokens,
    long costNanos,
    long unpriced,
    long estimated,
    long latencyMs) {

  /** The cost in currency units, exactly. */
  public BigDecimal cost() {
    return BigDecimal.valueOf(costNanos, 9);
  }

  /** Mean latency in milliseconds, 0 without requests. */
  public long meanLatencyMs() {
    return requests == 0 ? 0 : latencyMs / requests;
  }
}
