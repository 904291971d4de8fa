package dev.switchboard.upstream;

import io.vertx.core.MultiMap;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Reads how long an upstream asked us to wait: {@code retry-after-ms}, or {@code retry-after} in seconds or as an HTTP date. */
public final class RetryAfter {

  /** Digits with an optional fraction; Java's parser would also take NaN, Infinity, hex and 5d. */
  private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

  private RetryAfter() {}

  /** Milliseconds to wait, or -1 when the upstream did not say. */
  public static long millis(MultiMap headers, long nowMs) {
    String ms = headers.get("retry-after-ms");
    if (ms != null) {
      try {
        return Math.max(0, Math.round(number(ms)));
      } catch (NumberFormatException ignored) {
        // fall through to retry-after
      }
    }
    String value = headers.get("retry-after");
    if (value == null || value.isBlank()) return -1;
    try {
      return Math.max(0, Math.round(number(value) * 1000));
    } catch (NumberFormatException notSeconds) {
      try {
        return Math.max(0, ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli() - nowMs);
      } catch (DateTimeParseException notDate) {
        return -1;
      }
    }
  }

  private static double number(String s) {
    String t = s.trim();
    if (!NUMBER.matcher(t).matches()) throw new NumberFormatException(t);
    return Double.parseDouble(t);
  }
}
