package dev.switchboard.select;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Why a target (for one upstream model, or for all when {@code model} is null) is out of
 * rotation, and until when. After {@code until} a cooled-down target is simply back; an open
 * circuit or a disabled credential is half-open: exactly one edge may send a probe, claimed with
 * a compare-and-set on {@code probe} (lock-free), and a claim older than {@code probeTimeoutMs}
 * counts as lost. Shared by reference between snapshots so a claim outlives a republish.
 */
public record Bench(long target, String model, State state, long until, String reason, AtomicLong probe, long probeTimeoutMs) {

  /** The kinds of bench. */
  public enum State {
    /** 429: back by itself once the retry-after has passed. */
    COOLING,
    /** Too many errors in the window: a probe decides. */
    OPEN,
    /** The upstream rejected the credential (401/403): a probe decides, after the longest cooldown. */
    DISABLED
  }

  static Bench of(long target, String model, State state, long until, String reason, long probeTimeoutMs) {
    return new Bench(target, model, state, until, reason, new AtomicLong(), probeTimeoutMs);
  }

  boolean covers(String upstreamModel) {
    return model == null || model.equals(upstreamModel);
  }

  /** Blocks at {@code now} without claiming anything: still running, or its probe is out. */
  boolean blocks(long now) {
    if (now < until) return true;
    if (state == State.COOLING) return false;
    long claimed = probe.get();
    return claimed != 0 && now - claimed < probeTimeoutMs;
  }

  /** Past its time and waiting for a probe. */
  boolean wantsProbe(long now) {
    return state != State.COOLING && now >= until;
  }

  /** Claims the one probe; false when another edge got it first. */
  boolean claimProbe(long now) {
    long claimed = probe.get();
    if (claimed != 0 && now - claimed < probeTimeoutMs) return false;
    return probe.compareAndSet(claimed, Math.max(1, now));
  }

  String describe(long now) {
    if (now < until) return state.name().toLowerCase() + " for " + (until - now) + " ms: " + reason;
    return "half-open, its probe is in flight: " + reason;
  }
}
