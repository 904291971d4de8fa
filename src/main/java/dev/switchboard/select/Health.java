package dev.switchboard.select;

import dev.switchboard.select.Outcome.Kind;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds attempt outcomes into bench times per target. A 429 benches for the upstream's
 * retry-after (capped), a rejected credential for the longest cooldown, and three failures in a
 * row (5xx, connect error, timeout) for a short while; a success clears the record.
 * Owned by the selector verticle: single-threaded.
 */
final class Health {

  static final long DEFAULT_RATE_LIMIT_MS = 5_000;
  static final int FAILURES_TO_BENCH = 3;
  static final long FAILURE_BENCH_MS = 10_000;

  private static final Logger log = LoggerFactory.getLogger(Health.class);

  private final long maxCooldownMs;
  private final Map<Long, Long> benchedUntil = new HashMap<>();
  private final Map<Long, Integer> failuresInARow = new HashMap<>();

  Health(long maxCooldownMs) {
    this.maxCooldownMs = maxCooldownMs;
  }

  /** Applies one outcome; true when the bench times changed and a new snapshot is due. */
  boolean apply(Outcome o, long nowMs) {
    benchedUntil.values().removeIf(until -> until <= nowMs);
    return switch (o.kind()) {
      case SUCCESS -> {
        failuresInARow.remove(o.target());
        yield benchedUntil.remove(o.target()) != null;
      }
      case CLIENT_ERROR -> false;
      case RATE_LIMITED -> bench(o, nowMs, Math.min(o.retryAfterMs() > 0 ? o.retryAfterMs() : DEFAULT_RATE_LIMIT_MS, maxCooldownMs), "rate limited (429)");
      case AUTH_FAILED -> bench(o, nowMs, maxCooldownMs, "credential rejected (" + o.status() + ")");
      // the count survives the bench: the first attempt after it is a half-open probe, and a
      // failed probe benches the target again at once
      case SERVER_ERROR, CONNECT_ERROR, TIMEOUT -> {
        int n = failuresInARow.merge(o.target(), 1, Integer::sum);
        yield n >= FAILURES_TO_BENCH && bench(o, nowMs, Math.min(FAILURE_BENCH_MS, maxCooldownMs), n + " failures in a row, last " + o.kind());
      }
    };
  }

  Map<Long, Long> benched() {
    return benchedUntil;
  }

  private boolean bench(Outcome o, long nowMs, long forMs, String why) {
    long until = nowMs + forMs;
    Long before = benchedUntil.put(o.target(), until);
    if (before == null || before <= nowMs) {
      log.warn("benched target {} of channel {} for {} ms: {}", o.target(), o.channelId(), forMs, why);
    }
    return true;
  }
}
