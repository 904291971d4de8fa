package dev.switchboard.config;

import java.util.Locale;

/** Parses the human units the YAML accepts: durations ({@code 250ms}, {@code 30s}, {@code 5m}) and sizes ({@code 10MiB}). */
final class Units {

  private Units() {}

  /** A number is milliseconds; otherwise a number followed by ms, s, m or h. */
  static long millis(String key, Object value) {
    if (value instanceof Number n) {
      return nonNegative(key, n.longValue());
    }
    String s = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
    try {
      if (s.endsWith("ms")) return nonNegative(key, Long.parseLong(s.substring(0, s.length() - 2).trim()));
      if (s.endsWith("s")) return nonNegative(key, Math.round(Double.parseDouble(s.substring(0, s.length() - 1).trim()) * 1000));
      if (s.endsWith("m")) return nonNegative(key, Math.round(Double.parseDouble(s.substring(0, s.length() - 1).trim()) * 60_000));
      if (s.endsWith("h")) return nonNegative(key, Math.round(Double.parseDouble(s.substring(0, s.length() - 1).trim()) * 3_600_000));
      return nonNegative(key, Long.parseLong(s));
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "expected a duration such as 500ms, 30s or 5m, got '" + value + "'");
    }
  }

  /** A number is bytes; otherwise a number followed by B, KB, KiB, MB, MiB, GB or GiB. */
  static long bytes(String key, Object value) {
    if (value instanceof Number n) {
      return nonNegative(key, n.longValue());
    }
    String s = String.valueOf(value).trim();
    int split = 0;
    while (split < s.length() && (Character.isDigit(s.charAt(split)) || s.charAt(split) == '.')) {
      split++;
    }
    String unit = s.substring(split).trim().toLowerCase(Locale.ROOT);
    long factor = switch (unit) {
      case "", "b" -> 1L;
      case "kb" -> 1000L;
      case "kib", "k" -> 1024L;
      case "mb" -> 1000L * 1000;
      case "mib", "m" -> 1024L * 1024;
      case "gb" -> 1000L * 1000 * 1000;
      case "gib", "g" -> 1024L * 1024 * 1024;
      default -> throw new ConfigException(key, "expected a size such as 10MiB or 65536, got '" + value + "'");
    };
    try {
      return nonNegative(key, Math.round(Double.parseDouble(s.substring(0, split)) * factor));
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "expected a size such as 10MiB or 65536, got '" + value + "'");
    }
  }

  private static long nonNegative(String key, long v) {
    if (v < 0) {
      throw new ConfigException(key, "must not be negative, got " + v);
    }
    return v;
  }
}
