package dev.switchboard.pricing;

import dev.switchboard.stats.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Cost of a request's tokens at one price, exactly (decimal arithmetic, rounded once to whole
 * nanos, half to even). {@link Usage} counts input with cache reads and writes included and
 * output with reasoning included, whatever protocol reported them, so:
 *
 * <pre>
 *   uncached input × input + cache read × cacheRead + cache write 5 m × cacheWrite5m
 *     + cache write 1 h × cacheWrite1h + (output − reasoning) × output + reasoning × reasoning
 * </pre>
 *
 * <p>A part without its own price falls back: cache read and cache writes to the input price,
 * a one-hour write to the five-minute one first, reasoning to the output price. So an OpenAI
 * {@code prompt_tokens} that includes {@code cached_tokens} is never charged twice, and
 * reasoning tokens are output unless priced separately.
 */
public final class CostCalculator {

  private static final BigDecimal NANOS_PER_UNIT_PER_MILLION = BigDecimal.valueOf(1_000);

  private CostCalculator() {}

  /** The cost in nanos of {@code usage} at {@code price} (per million tokens). */
  public static long nanos(ModelPrice price, Usage usage) {
    BigDecimal input = orZero(price.input());
    BigDecimal output = orZero(price.output());
    BigDecimal cacheRead = or(price.cacheRead(), input);
    BigDecimal write5m = or(price.cacheWrite5m(), input);
    BigDecimal write1h = or(price.cacheWrite1h(), write5m);
    BigDecimal reasoning = or(price.reasoning(), output);
    long reasoningTokens = Math.min(usage.reasoning(), usage.output());
    BigDecimal perMillion = input.multiply(BigDecimal.valueOf(usage.uncachedInput()))
        .add(cacheRead.multiply(BigDecimal.valueOf(usage.cached())))
        .add(write5m.multiply(BigDecimal.valueOf(usage.cacheWrite5m())))
        .add(write1h.multiply(BigDecimal.valueOf(usage.cacheWrite1h())))
        .add(output.multiply(BigDecimal.valueOf(usage.output() - reasoningTokens)))
        .add(reasoning.multiply(BigDecimal.valueOf(reasoningTokens)));
    // price per million tokens × tokens / 10^6 units = × 10^3 nanos
    return perMillion.multiply(NANOS_PER_UNIT_PER_MILLION).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
  }

  private static BigDecimal orZero(BigDecimal v) {
    return v == null ? BigDecimal.ZERO : v;
  }

  private static BigDecimal or(BigDecimal v, BigDecimal fallback) {
    return v == null ? fallback : v;
  }
}
