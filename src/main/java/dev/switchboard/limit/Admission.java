package dev.switchboard.limit;

/**
 * A limiter's answer: admitted, or rejected by {@code limit} (its key) with the time until it
 * would admit again, in milliseconds (the end of the window; a guess for concurrency).
 */
public record Admission(boolean admitted, String limit, long retryAfterMs) {

  public static final Admission ADMITTED = new Admission(true, null, 0);

  public static Admission rejected(String limit, long retryAfterMs) {
    return new Admission(false, limit, Math.max(1, retryAfterMs));
  }
}
