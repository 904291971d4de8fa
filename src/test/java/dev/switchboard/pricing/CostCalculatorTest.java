package dev.switchboard.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.stats.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.junit.jupiter.api.Test;

/**
 * Costs worked out by hand from each vendor's published prices (per million tokens) and the
 * usage each protocol reports, normalised the way cross-protocol.md §9 says.
 */
class CostCalculatorTest {

  private static BigDecimal cents(Cost cost) {
    return cost.amount().setScale(2, RoundingMode.HALF_EVEN);
  }

  private static Cost cost(ModelPrice price, Usage usage) {
    return new Cost(CostCalculator.nanos(price, usage), 1);
  }

  @Test
  void aCachedAnthropicRequestPaysEachKindOfInputTokenAtItsOwnPrice() {
    // Claude Sonnet 4.5: $3 input, $15 output, $0.30 cache read, $3.75 5-minute write, $6 1-hour write
    ModelPrice sonnet = ModelPrice.of("3", "15").withCacheRead("0.30").withCacheWrites("3.75", "6");
    // Anthropic usage: input_tokens 5,000 (uncached only), cache_read_input_tokens 150,000,
    // cache_creation_input_tokens 30,000 (ephemeral_5m 20,000 + ephemeral_1h 10,000), output_tokens 4,000
    Usage usage = new Usage(5_000 + 150_000 + 30_000, 4_000, 150_000, 0, 20_000, 10_000, false);
    //   5,000 × 3     = 15,000
    // 150,000 × 0.30  = 45,000
    //  20,000 × 3.75  = 75,000
    //  10,000 × 6     = 60,000
    //   4,000 × 15    = 60,000
    //                  255,000 per million = $0.255
    Cost c = cost(sonnet, usage);
    assertEquals(255_000_000L, c.nanos());
    assertEquals(new BigDecimal("0.255000000"), c.amount());
    assertEquals("0.255", c.display());
    assertEquals(new BigDecimal("0.26"), cents(c));
  }

  @Test
  void aGeminiThinkingRequestPaysItsThoughtsAsOutput() {
    // Gemini 2.5 Pro (prompts up to 200k): $1.25 input, $10 output, thinking included in output
    ModelPrice pro = ModelPrice.of("1.25", "10");
    // usageMetadata: promptTokenCount 12,000, candidatesTokenCount 800, thoughtsTokenCount 3,200
    // -> output = candidates + thoughts = 4,000, reasoning = 3,200
    Usage usage = new Usage(12_000, 800 + 3_200, 0, 3_200);
    // 12,000 × 1.25 = 15,000; 4,000 × 10 = 40,000; 55,000 per million = $0.055
    Cost c = cost(pro, usage);
    assertEquals(55_000_000L, c.nanos());
    assertEquals(new BigDecimal("0.06"), cents(c));
    assertEquals("0.055", c.display());
  }

  @Test
  void aGeminiFlashRequestWithCachedContentAndThinking() {
    // Gemini 2.5 Flash: $0.30 input, $2.50 output, $0.075 cached
    ModelPrice flash = ModelPrice.of("0.30", "2.50").withCacheRead("0.075");
    // promptTokenCount 40,000 of which cachedContentTokenCount 30,000; candidates 1,000 + thoughts 5,000
    Usage usage = new Usage(40_000, 6_000, 30_000, 5_000);
    // 10,000 × 0.30 = 3,000; 30,000 × 0.075 = 2,250; 6,000 × 2.50 = 15,000; 20,250 per million = $0.02025
    Cost c = cost(flash, usage);
    assertEquals(20_250_000L, c.nanos());
    assertEquals(new BigDecimal("0.02"), cents(c));
  }

  @Test
  void openAiCachedTokensInsidePromptTokensAreNotChargedTwice() {
    // GPT-4o: $2.50 input, $10 output, $1.25 cached input
    ModelPrice gpt4o = ModelPrice.of("2.50", "10").withCacheRead("1.25");
    // prompt_tokens 10,000 with prompt_tokens_details.cached_tokens 8,000; completion_tokens 500
    Usage usage = new Usage(10_000, 500, 8_000, 0);
    // 2,000 × 2.50 = 5,000; 8,000 × 1.25 = 10,000; 500 × 10 = 5,000; 20,000 per million = $0.02
    // (charging all 10,000 prompt tokens at $2.50 on top of the cached ones would be $0.04)
    assertEquals(20_000_000L, CostCalculator.nanos(gpt4o, usage));
  }

  @Test
  void reasoningTokensAreOutputUnlessPricedSeparately() {
    Usage usage = new Usage(0, 1_000, 0, 600);
    assertEquals(10_000_000L, CostCalculator.nanos(ModelPrice.of("1", "10"), usage));
    // 400 × 10 + 600 × 20 = 16,000 per million
    assertEquals(16_000_000L, CostCalculator.nanos(ModelPrice.of("1", "10").withReasoning("20"), usage));
  }

  @Test
  void unpricedCachePartsFallBackToTheInputPriceAndTheOneHourWriteToTheFiveMinuteOne() {
    Usage usage = new Usage(1_000, 0, 100, 0, 200, 300, false);
    // no cache prices: every input token at $2
    assertEquals(2_000_000L, CostCalculator.nanos(ModelPrice.of("2", "8"), usage));
    // 400 × 2 + 100 × 2 (read: input) + 200 × 3 + 300 × 3 (1 h: the 5-minute price) = 2,500
    assertEquals(2_500_000L, CostCalculator.nanos(ModelPrice.of("2", "8").withCacheWrites("3", null), usage));
  }

  @Test
  void roundsOnceToWholeNanosHalfToEven() {
    // $0.0375 per million: one token is 37.5 nanos, two are exactly 75
    assertEquals(38L, CostCalculator.nanos(ModelPrice.of("0.0375", "0"), new Usage(1, 0, 0, 0)));
    assertEquals(75L, CostCalculator.nanos(ModelPrice.of("0.0375", "0"), new Usage(2, 0, 0, 0)));
    assertEquals(0L, CostCalculator.nanos(ModelPrice.of("3", "15"), Usage.NONE));
  }
}
