package dev.switchboard.translate.tap;

import dev.switchboard.translate.Protocol;
import dev.switchboard.translate.StreamTap;
import dev.switchboard.translate.openai.ChatStreamTap;

/** The tap for a stream in each protocol. */
public final class StreamTaps {

  private StreamTaps() {}

  /**
   * @param clientWantsUsage for OpenAI Chat: whether the client asked for the usage chunk the
   *     gateway always requests (it is withheld otherwise)
   */
  public static StreamTap of(Protocol protocol, boolean clientWantsUsage) {
    return switch (protocol) {
      case OPENAI_CHAT -> new ChatStreamTap(clientWantsUsage);
      case OPENAI_RESPONSES -> new ResponsesStreamTap();
      case ANTHROPIC_MESSAGES -> new MessagesStreamTap();
      case GEMINI -> new GeminiStreamTap();
    };
  }
}
