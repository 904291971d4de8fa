package dev.switchboard.pricing;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What one model costs, per million tokens, in one currency (USD for the synced catalogue).
 * {@code input} and {@code output} are the base prices; {@code cacheRead}, the cache writes and
 * {@code reasoning} are {@code null} when not priced separately. A price with every part
 * {@code null} is a withdrawal: this level no longer prices the model and resolution falls
 * through to the next one.
 */
public record ModelPrice(BigDecimal input, BigDecimal output, BigDecimal cacheRead, BigDecimal cacheWrite5m,
    BigDecimal cacheWrite1h, BigDecimal reasoning) {

  /** The marker that withdraws a price. */
  public static final ModelPrice WITHDRAWN = new ModelPrice(null, null, null, null, null, null);

  public ModelPrice {
    input = normalise(input);
    output = normalise(output);
    cacheRead = normalise(cacheRead);
    cacheWrite5m = normalise(cacheWrite5m);
    cacheWrite1h = normalise(cacheWrite1h);
    reasoning = normalise(reasoning);
  }

  /** Input and output only, from decimal strings such as {@code "3"} and {@code "0.0375"}. */
  public static ModelPrice of(String input, String output) {
    return new ModelPrice(new BigDecimal(input), new BigDecimal(output), null, null, null, null);
  }

  public ModelPrice withCacheRead(String perMillion) {
    return new ModelPrice(input, output, new BigDecimal(perMillion), cacheWrite5m, cacheWrite1h, reasoning);
  }

  public ModelPrice withCacheWrites(String fiveMinutes, String oneHour) {
    return new ModelPrice(input, output, cacheRead, dec(fiveMinutes), dec(oneHour), reasoning);
  }

  public ModelPrice withReasoning(String perMillion) {
    return new ModelPrice(input, output, cacheRead, cacheWrite5m, cacheWrite1h, dec(perMillion));
  }

  public boolean withdrawn() {
    return input == null && output == null && cacheRead == null && cacheWrite5m == null && cacheWrite1h == null
        && reasoning == null;
  }

  /** Same prices, whatever the scale they were written with ({@code 3} equals {@code 3.00}). */
  public boolean samePrices(ModelPrice other) {
    return other != null && Objects.equals(input, other.input) && Objects.equals(output, other.output)
        && Objects.equals(cacheRead, other.cacheRead) && Objects.equals(cacheWrite5m, other.cacheWrite5m)
        && Objects.equals(cacheWrite1h, other.cacheWrite1h) && Objects.equals(reasoning, other.reasoning);
  }

  private static BigDecimal dec(String s) {
    return s == null ? null : new BigDecimal(s);
  }

  /** Strips trailing zeros so equal prices compare equal; a negative price is rejected. */
  private static BigDecimal normalise(BigDecimal v) {
    if (v == null) return null;
    if (v.signum() < 0) throw new IllegalArgumentException("a price cannot be negative: " + v.toPlainString());
    BigDecimal s = v.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }
}
