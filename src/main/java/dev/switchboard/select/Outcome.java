package dev.switchboard.select;

/**
 * How an attempt on a lease ended, sent fire-and-forget from an edge to the selector.
 * {@code retryAfterMs} is what the upstream asked for on a 429, or -1.
 */
public record Outcome(long target, long channelId, Kind kind, int status, long retryAfterMs, long latencyMs) {

  /** The classes of result the selector's health rules distinguish. */
  public enum Kind {
    SUCCESS, RATE_LIMITED, AUTH_FAILED, SERVER_ERROR, CONNECT_ERROR, TIMEOUT, CLIENT_ERROR
  }
}
