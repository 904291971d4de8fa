package dev.switchboard.select;

/**
 * How an attempt on a lease ended, sent fire-and-forget from an edge to the selector.
 * {@code retryAfterMs} is what the upstream asked for on a 429, or -1. {@code model} is the
 * upstream model of the lease (health is kept per credential and model; null = every model),
 * {@code baseUrl} the one used (its latency ranks base URLs), {@code ttftMs} the time to the
 * first token when known, else -1 ({@code latencyMs}, to the response head, stands in).
 */
public record Outcome(long target, long channelId, Kind kind, int status, long retryAfterMs, long latencyMs,
    String model, String baseUrl, long ttftMs) {

  /** The classes of result the selector's health rules distinguish. */
  public enum Kind {
    SUCCESS, RATE_LIMITED, AUTH_FAILED, SERVER_ERROR, CONNECT_ERROR, TIMEOUT, CLIENT_ERROR
  }

  /** Without model, base URL or time to first token: health per credential for every model. */
  public Outcome(long target, long channelId, Kind kind, int status, long retryAfterMs, long latencyMs) {
    this(target, channelId, kind, status, retryAfterMs, latencyMs, null, null, -1);
  }

  /** The outcome of an attempt on {@code lease}: what an edge sends once it has the upstream's head (or failure). */
  public static Outcome of(Lease lease, Kind kind, int status, long retryAfterMs, long latencyMs) {
    return new Outcome(lease.target(), lease.channelId(), kind, status, retryAfterMs, latencyMs, lease.upstreamModel(),
        lease.baseUrl(), -1);
  }

  /** The same outcome with the time to first token, for a stream that has produced its first event. */
  public Outcome withTtft(long ttft) {
    return new Outcome(target, channelId, kind, status, retryAfterMs, latencyMs, model, baseUrl, ttft);
  }

  /** The status class of an upstream HTTP answer, as the health rules see it. */
  public static Kind classify(int status) {
    if (status < 400) return Kind.SUCCESS;
    if (status == 429) return Kind.RATE_LIMITED;
    if (status == 401 || status == 403) return Kind.AUTH_FAILED;
    if (status >= 500 || status == 408) return Kind.SERVER_ERROR;
    return Kind.CLIENT_ERROR;
  }
}
