package dev.switchboard.sse;

/** The upstream sent an SSE event larger than {@code limits.maxSseEventBytes}. Stackless. */
public final class SseEventTooLargeException extends RuntimeException {

  public SseEventTooLargeException(int limit) {
    super("upstream sent an SSE event larger than " + limit + " bytes", null, false, false);
  }
}
