package dev.switchboard.stats;

/**
 * A question to the request log: requests started in [{@code fromMs}, {@code toMs}), newest
 * first, one page of {@code limit} after {@code offset}. A filter is off when {@code null}:
 * the client key, the channel that gave the final answer, the client's model name, an exact
 * {@code status} or a status class ({@code statusClass} 2 for 2xx ... 5 for 5xx), the error
 * class, and whether the answer was streamed.
 */
public record RequestQuery(long fromMs, long toMs, Long clientKeyId, Long channelId, String model, Integer status,
    Integer statusClass, String errorClass, Boolean streamed, int limit, int offset) {

  public RequestQuery {
    if (toMs < fromMs) throw new IllegalArgumentException("toMs before fromMs");
    if (limit < 1 || offset < 0) throw new IllegalArgumentException("limit must be positive, offset not negative");
  }

  /** Everything in a time range, the first {@code limit}. */
  public static RequestQuery between(long fromMs, long toMs, int limit) {
    return new RequestQuery(fromMs, toMs, null, null, null, null, null, null, null, limit, 0);
  }
}
