package dev.switchboard.stats;

/**
 * A question to the hourly rollups: the hours starting in [{@code fromMs}, {@code toMs}),
 * optionally only one client key, channel or model (a filter is off when {@code null}).
 */
public record UsageQuery(long fromMs, long toMs, Long clientKeyId, Long channelId, String model) {

  /** What a breakdown groups by. */
  public enum By {
    KEY("client_key_id"),
    CHANNEL("channel_id"),
    MODEL("model");

    private final String column;

    By(String column) {
      this.column = column;
    }

    /** The rollup column; a fixed identifier, never user input. */
    public String column() {
      return column;
    }
  }

  public UsageQuery {
    if (toMs < fromMs) throw new IllegalArgumentException("toMs before fromMs");
  }

  /** Everything in a time range. */
  public static UsageQuery between(long fromMs, long toMs) {
    return new UsageQuery(fromMs, toMs, null, null, null);
  }

  public UsageQuery key(long id) {
    return new UsageQuery(fromMs, toMs, id, channelId, model);
  }

  public UsageQuery channel(long id) {
    return new UsageQuery(fromMs, toMs, clientKeyId, id, model);
  }

  public UsageQuery model(String name) {
    return new UsageQuery(fromMs, toMs, clientKeyId, channelId, name);
  }
}
