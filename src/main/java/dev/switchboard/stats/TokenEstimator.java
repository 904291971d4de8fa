package dev.switchboard.stats;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Locale;

/**
 * Estimates the usage of a response whose upstream reported none, with OpenAI's tokenizers
 * (jtokkit): {@code o200k_base} for the GPT-4o, GPT-4.1, GPT-5 and o-series families,
 * {@code cl100k_base} for every other model, an approximation for non-OpenAI models. Chat
 * framing follows OpenAI's counting guide: 3 tokens per message and 3 to prime the reply. The
 * result is marked {@linkplain Usage#estimated() estimated}.
 *
 * <p>Tokenizing is CPU work (the first call also loads the vocabulary, about 100 ms): on an
 * event loop use {@link #estimate(Vertx, String, List, String)}, which runs on a worker.
 */
public final class TokenEstimator {

  private static final int PER_MESSAGE = 3;
  private static final int REPLY_PRIMING = 3;

  private TokenEstimator() {}

  private static final class Vocabularies {
    static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
  }

  /** Tokens of {@code text} for {@code model}, special tokens counted as plain text. */
  public static int count(String model, String text) {
    if (text == null || text.isEmpty()) return 0;
    return encoding(model).countTokensOrdinary(text);
  }

  /**
   * Estimated usage of a chat exchange: {@code messages} are the text of each prompt message
   * (system, user, assistant, tool), {@code completion} the text generated (tool-call arguments
   * included).
   */
  public static Usage estimate(String model, List<String> messages, String completion) {
    long input = messages.isEmpty() ? 0 : REPLY_PRIMING;
    for (String m : messages) {
      input += PER_MESSAGE + count(model, m);
    }
    return new Usage(input, count(model, completion), 0, 0, 0, 0, true);
  }

  /** {@link #estimate(String, List, String)} on a worker thread. */
  public static Future<Usage> estimate(Vertx vertx, String model, List<String> messages, String completion) {
    return vertx.executeBlocking(() -> estimate(model, messages, completion), false);
  }

  static EncodingType encodingType(String model) {
    String m = model == null ? "" : model.toLowerCase(Locale.ROOT);
    int slash = m.lastIndexOf('/');
    if (slash >= 0) m = m.substring(slash + 1); // openai/gpt-4o on a router
    boolean o200k = m.startsWith("gpt-4o") || m.startsWith("gpt-4.1") || m.startsWith("gpt-4.5")
        || m.startsWith("gpt-5") || m.startsWith("chatgpt-") || m.startsWith("gpt-oss")
        || m.matches("o[1-9].*");
    return o200k ? EncodingType.O200K_BASE : EncodingType.CL100K_BASE;
  }

  private static Encoding encoding(String model) {
    return Vocabularies.REGISTRY.getEncoding(encodingType(model));
  }
}
