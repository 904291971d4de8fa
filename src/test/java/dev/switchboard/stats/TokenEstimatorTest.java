package dev.switchboard.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.knuddels.jtokkit.api.EncodingType;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class TokenEstimatorTest {

  @Test
  void countsWithTheModelFamilysTokenizer() {
    // "Hello, world!" is 4 tokens in both cl100k_base and o200k_base
    assertEquals(4, TokenEstimator.count("gpt-4o-mini", "Hello, world!"));
    assertEquals(4, TokenEstimator.count("claude-sonnet-4-5", "Hello, world!"));
    assertEquals(0, TokenEstimator.count("gpt-4o", ""));
    assertEquals(0, TokenEstimator.count("gpt-4o", null));
    assertEquals(EncodingType.O200K_BASE, TokenEstimator.encodingType("openai/gpt-4.1"));
    assertEquals(EncodingType.O200K_BASE, TokenEstimator.encodingType("o3-mini"));
    assertEquals(EncodingType.CL100K_BASE, TokenEstimator.encodingType("gpt-4-turbo"));
    assertEquals(EncodingType.CL100K_BASE, TokenEstimator.encodingType(null));
  }

  @Test
  void estimatesAChatExchangeAndMarksItEstimated() {
    Usage u = TokenEstimator.estimate("gpt-4o", List.of("You are terse.", "Hello, world!"), "Hi.");
    int system = TokenEstimator.count("gpt-4o", "You are terse.");
    assertEquals(3 + (3 + system) + (3 + 4), u.input(), "3 per message and 3 to prime the reply");
    assertEquals(TokenEstimator.count("gpt-4o", "Hi."), u.output());
    assertTrue(u.estimated());
    assertEquals(0, u.cached());
    assertEquals(Usage.NONE.input(), TokenEstimator.estimate("gpt-4o", List.of(), "").input());
  }

  @Test
  void specialTokensArePlainTextAndTheAsyncFormRunsOnAWorker(Vertx vertx) {
    assertTrue(TokenEstimator.count("gpt-4o", "<|endoftext|>") > 1, "never the one special token");
    Usage u = TokenEstimator.estimate(vertx, "gpt-4o", List.of("Hello, world!"), "Hi.").await();
    assertEquals(3 + 3 + 4, u.input());
    assertTrue(u.estimated());
  }
}
