package dev.switchboard.stats;

/**
 * Token counts of one response in the gateway's own terms: {@code input} includes cached
 * tokens and cache writes and {@code output} includes reasoning tokens, as OpenAI reports
 * them. {@code cacheWrite5m} and {@code cacheWrite1h} are the prompt tokens written to the
 * cache for five minutes and for an hour (Anthropic {@code cache_creation}); a cache write of
 * unknown lifetime counts as five minutes. {@code estimated} marks counts the gateway worked out
 * itself because the upstream reported none.
 */
public record Usage(long input, long output, long cached, long reasoning, long cacheWrite5m, long cacheWrite1h,
    boolean estimated) {

  public static final Usage NONE = new Usage(0, 0, 0, 0);

  /** Reported counts without cache writes. */
  public Usage(long input, long output, long cached, long reasoning) {
    this(input, output, cached, reasoning, 0, 0, false);
  }

  public long total() {
    return input + output;
  }

  /** Input tokens billed at the plain input price: neither read from nor written to a cache. */
  public long uncachedInput() {
    return Math.max(0, input - cached - cacheWrite5m - cacheWrite1h);
  }

  /** The same counts with cache writes split by lifetime. */
  public Usage withCacheWrites(long fiveMinutes, long oneHour) {
    return new Usage(input, output, cached, reasoning, fiveMinutes, oneHour, estimated);
  }
}
