package dev.switchboard.bus;

/** Every event-bus address the verticles talk over, in one place. */
public final class Addresses {

  /** Selector publishes each new {@code PoolSnapshot} here. */
  public static final String POOL_SNAPSHOT = "switchboard.pool.snapshot";
  /** Request/reply: the current {@code PoolSnapshot}, for an edge that just started. */
  public static final String POOL_CURRENT = "switchboard.pool.current";
  /** Fire-and-forget {@code Outcome}s from edges to the selector. */
  public static final String POOL_OUTCOME = "switchboard.pool.outcome";
  /** Ask the selector to reload channels and keys from the store. */
  public static final String POOL_RELOAD = "switchboard.pool.reload";
  /** Zero a channel's or credential's used quota ({@code {"channel": id}} / {@code {"credential": id}}); replies with the snapshot. */
  public static final String POOL_QUOTA_RESET = "switchboard.pool.quota.reset";
  /** Fire-and-forget {@code UsageRecord}s from edges to the stats verticle. */
  public static final String USAGE = "switchboard.stats.usage";
  /** Request/reply: flush buffered usage records now; replies with the number written. */
  public static final String USAGE_FLUSH = "switchboard.stats.flush";
  /** Request/reply: whole-body request rewrites handed to the translator workers. */
  public static final String TRANSLATE_REQUEST = "switchboard.translate.request";

  private Addresses() {}
}
