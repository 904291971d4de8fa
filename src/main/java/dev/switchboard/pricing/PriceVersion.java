package dev.switchboard.pricing;

/**
 * One stored version of a model's price at one level, effective from {@code effectiveFromMs}
 * until the next version of the same level, channel and model. Versions are only ever appended
 * (effective from the time they are written), so a past request's cost never changes.
 * {@code channelId} is 0 except at {@link Scope#CHANNEL}; {@code id} is 0 before it is stored.
 */
public record PriceVersion(long id, Scope scope, long channelId, String model, long effectiveFromMs,
    ModelPrice price, String source) {

  /** Where a price comes from, in resolution order. */
  public enum Scope {
    /** Set for one channel (an operator's negotiated or reseller price). */
    CHANNEL("channel"),
    /** The operator's own price for a model, from {@code pricing.models} or the management API. */
    DEFAULT("default"),
    /** The synced catalogue (models.dev format). */
    CATALOGUE("catalogue");

    private final String column;

    Scope(String column) {
      this.column = column;
    }

    /** The value stored in {@code prices.scope}. */
    public String column() {
      return column;
    }

    public static Scope ofColumn(String value) {
      for (Scope s : values()) {
        if (s.column.equals(value)) return s;
      }
      throw new IllegalArgumentException("unknown price scope '" + value + "'");
    }
  }

  /** The same price as a new version to be stored. */
  public static PriceVersion of(Scope scope, long channelId, String model, long effectiveFromMs, ModelPrice price,
      String source) {
    return new PriceVersion(0, scope, channelId, model, effectiveFromMs, price, source);
  }
}
