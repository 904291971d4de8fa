package dev.switchboard.translate.tap;

import dev.switchboard.stats.Usage;
import dev.switchboard.translate.Protocol;
import dev.switchboard.translate.anthropic.AnthropicToChatUsage;
import dev.switchboard.translate.openai.ChatUsage;
import io.vertx.core.json.JsonObject;

/**
 * Usage of a whole (non-streamed) answer in each protocol, in the gateway's terms: input counts
 * cached tokens, output counts reasoning tokens ({@code cross-protocol.md} §9).
 */
public final class Usages {

  private Usages() {}

  /** The usage of an answer body, or null when it reports none. */
  public static Usage of(Protocol protocol, JsonObject answer) {
    return switch (protocol) {
      case OPENAI_CHAT -> answer.getValue("usage") instanceof JsonObject u ? ChatUsage.parse(u) : null;
      case OPENAI_RESPONSES -> answer.getValue("usage") instanceof JsonObject u ? responses(u) : null;
      case ANTHROPIC_MESSAGES -> anthropic(answer.getValue("usage"));
      case GEMINI -> answer.getValue("usageMetadata") instanceof JsonObject u ? gemini(u) : null;
    };
  }

  /** Responses: {@code input_tokens} includes cached, {@code output_tokens} includes reasoning. */
  public static Usage responses(JsonObject u) {
    JsonObject in = u.getValue("input_tokens_details") instanceof JsonObject o ? o : new JsonObject();
    JsonObject out = u.getValue("output_tokens_details") instanceof JsonObject o ? o : new JsonObject();
    return new Usage(num(u, "input_tokens"), num(u, "output_tokens"), num(in, "cached_tokens"), num(out, "reasoning_tokens"));
  }

  /**
   * Gemini: {@code promptTokenCount} includes cached content; thinking is counted apart from the
   * candidates, so output is candidates plus thoughts.
   */
  public static Usage gemini(JsonObject u) {
    long thoughts = num(u, "thoughtsTokenCount");
    return new Usage(num(u, "promptTokenCount"), num(u, "candidatesTokenCount") + thoughts,
        num(u, "cachedContentTokenCount"), thoughts);
  }

  private static Usage anthropic(Object usage) {
    AnthropicToChatUsage u = new AnthropicToChatUsage();
    u.update(usage);
    return u.seen() ? u.toUsage() : null;
  }

  static long num(JsonObject o, String key) {
    return o.getValue(key) instanceof Number n ? Math.max(0, n.longValue()) : 0;
  }
}
