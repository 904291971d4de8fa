package dev.switchboard.translate.anthropic;

/** Anthropic {@code stop_reason} as a Chat {@code finish_reason} ({@code cross-protocol.md} §8). */
final class AnthropicToChatFinish {

  private AnthropicToChatFinish() {}

  /**
   * Only members of Chat's enum come out (P24). The reason follows what the client was given:
   * {@code tool_calls} exactly when a tool call was emitted, whatever the upstream said (P25).
   */
  static String of(Object stopReason, boolean emittedToolCall) {
    if (emittedToolCall) return "tool_calls";
    if (!(stopReason instanceof String s)) return "stop";
    return switch (s) {
      case "max_tokens", "model_context_window_exceeded" -> "length";
      case "refusal" -> "content_filter";
      default -> "stop"; // end_turn, stop_sequence, pause_turn, tool_use without a tool block, unknown
    };
  }
}
