package dev.switchboard.limit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * One counter with a cap. {@code REQUESTS} counts admissions, {@code UNITS} (tokens, or cost in
 * micro-units) is added after the fact with {@link Limiter#add} and admits while below the cap,
 * {@code CONCURRENT} counts requests in flight until {@link Limiter#release}. Windows are fixed
 * and aligned to UTC (minute, day, calendar month); a concurrency counter has none.
 */
public record Limit(String key, Kind kind, long max, Window window) {

  /** What a limit counts. */
  public enum Kind {
    REQUESTS, UNITS, CONCURRENT
  }

  /** Fixed windows, UTC. */
  public enum Window {
    MINUTE, DAY, MONTH, NONE;

    /** Start of the window holding {@code now}; 0 for no window. */
    public long start(long now) {
      return switch (this) {
        case MINUTE -> now - Math.floorMod(now, 60_000L);
        case DAY -> now - Math.floorMod(now, 86_400_000L);
        case MONTH -> {
          ZonedDateTime t = Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC);
          yield t.withDayOfMonth(1).toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        }
        case NONE -> 0;
      };
    }

    /** End of the window holding {@code now} (exclusive); {@code now} for no window. */
    public long end(long now) {
      return switch (this) {
        case MINUTE -> start(now) + 60_000;
        case DAY -> start(now) + 86_400_000;
        case MONTH -> Instant.ofEpochMilli(start(now)).atZone(ZoneOffset.UTC).plusMonths(1).toInstant().toEpochMilli();
        case NONE -> now;
      };
    }
  }

  /** How long a concurrency counter outlives its last acquisition: a crashed instance's slots come back. */
  public static final long CONCURRENT_TTL_MS = 15 * 60_000;

  public static Limit requests(String key, long max, Window window) {
    return new Limit(key, Kind.REQUESTS, max, window);
  }

  public static Limit units(String key, long max, Window window) {
    return new Limit(key, Kind.UNITS, max, window);
  }

  public static Limit concurrent(String key, long max) {
    return new Limit(key, Kind.CONCURRENT, max, Window.NONE);
  }

  /** Cost units as the whole micro-units {@code UNITS} limits count. */
  public static long micros(double cost) {
    return Math.round(cost * 1_000_000);
  }

  /** Start of the window holding {@code now}; 0 for no window. */
  public long windowStart(long now) {
    return window.start(now);
  }

  /** End of the window holding {@code now} (exclusive); for no window, now plus the concurrency TTL. */
  public long windowEnd(long now) {
    return window == Window.NONE ? now + CONCURRENT_TTL_MS : window.end(now);
  }

  /** The counter's name for the window holding {@code now}. */
  public String counter(long now) {
    return window == Window.NONE ? key + ":c" : key + ":" + kind.name().charAt(0) + ":" + windowStart(now);
  }
}
