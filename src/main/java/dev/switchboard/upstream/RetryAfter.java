package dev.switchboard.upstream;

import io.vertx.core.MultiMap;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads how long an upstream asked us to wait: {@code retry-after-ms}, or {@code retry-after} in seconds or as an HTTP date. */
public final class RetryAfter {

  private RetryAfter() {}

  /** Milliseconds to wait, or -1 when the upstream did not say. */
  public static long millis(MultiMap headers, long nowMs) {
    String ms = headers.get("retry-after-ms");
    if (ms != null) {
      try {
        return Math.max(0, Math.round(Double.parseDouble(ms.trim())));
      } catch (NumberFormatException ignored) {
        // fall through to retry-after
      }
    }
    String value = headers.get("retry-after");
    if (value == null || value.isBlank()) return -1;
    try {
      return Math.max(0, Math.round(Double.parseDouble(value.trim()) * 1000));
    } catch (NumberFormatException notSeconds) {
      try {
        return Math.max(0, ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli() - nowMs);
      } catch (DateTimeParseException notDate) {
        return -1;
      }
    }
  }
}
