package dev.switchboard.translate.anthropic;

import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.JsonObject;

/**
 * {@code reasoning_effort} as Anthropic extended thinking. Budgets follow CLIProxyAPI's column
 * of the effort/budget table ({@code cross-protocol.md} §7), raised to Anthropic's minimum of
 * 1024; {@code max} is clamped to a ceiling that fits the output limit of current models.
 */
final class ChatToAnthropicThinking {

  static final int MIN_BUDGET = 1024;
  /** The largest output current Claude models accept; {@code max_tokens} is never raised past it. */
  static final int OUTPUT_CEILING = 64000;
  static final int MAX_BUDGET = 60000;

  private ChatToAnthropicThinking() {}

  /** The thinking budget for an effort, 0 for none. */
  static int budget(Object effort) {
    if (effort == null) return 0;
    if (!(effort instanceof String s)) throw new TranslationException("'reasoning_effort' must be a string");
    return switch (s) {
      case "none" -> 0;
      case "minimal", "low" -> MIN_BUDGET; // minimal is 512 in the table, below Anthropic's floor
      case "medium" -> 8192;
      case "high" -> 24576;
      case "xhigh" -> 32768;
      case "max" -> MAX_BUDGET;
      default -> throw new TranslationException("'reasoning_effort' must be one of none, minimal, low, medium, high, xhigh, max");
    };
  }

  /**
   * Switches thinking on. {@code max_tokens} counts thinking, so when it does not exceed the
   * budget it becomes budget plus what the client asked for (or the default), within the
   * ceiling. A temperature other than 1 and a top_p below 0.95 are not accepted with thinking
   * and are dropped.
   */
  static void enable(JsonObject out, int budget) {
    int maxTokens = out.getInteger("max_tokens");
    if (maxTokens <= budget) {
      maxTokens = (int) Math.min(OUTPUT_CEILING, (long) budget + maxTokens);
      out.put("max_tokens", maxTokens);
    }
    out.put("thinking", new JsonObject().put("type", "enabled").put("budget_tokens", budget));
    if (out.getValue("temperature") instanceof Number t && t.doubleValue() != 1.0) out.remove("temperature");
    if (out.getValue("top_p") instanceof Number p && p.doubleValue() < 0.95) out.remove("top_p");
  }
}
