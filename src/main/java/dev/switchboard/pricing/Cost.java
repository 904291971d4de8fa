package dev.switchboard.pricing;

import java.math.BigDecimal;

/**
 * The cost of one request: {@code nanos} billionths of the price currency, computed with the
 * price version {@code priceVersion}. An integer, so sums are exact.
 */
public record Cost(long nanos, long priceVersion) {

  /** The response header the edge returns the cost in, as {@link #display()}, where a key asks for it. */
  public static final String HEADER = "x-switchboard-cost";

  private static final int NANO_SCALE = 9;

  /** The amount in currency units, exactly: {@code 0.004650000} for 4,650,000 nanos. */
  public BigDecimal amount() {
    return BigDecimal.valueOf(nanos, NANO_SCALE);
  }

  /** The amount as a plain decimal without trailing zeros, for a header or a usage object. */
  public String display() {
    BigDecimal s = amount().stripTrailingZeros();
    return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
  }
}
